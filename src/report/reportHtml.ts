// Renders a TrainingReport as one self-contained HTML file: inline CSS, charts as inline SVG, every number also
// in a table, the JSON twin embedded as data. No script, no stylesheet or image from anywhere, so it opens offline.
import type { ReportFinding, TrainingReport } from './reportTypes';
import { lineChartSvg } from './svgChart';

export const esc = (v: unknown) => String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const num = (v: number | null | undefined, digits = 4) => (v == null || !Number.isFinite(v) ? '–' : Number(v.toFixed(digits)).toString());
const pct = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(1)} %`);

function table(caption: string, head: string[], rows: (string | number)[][], testId?: string): string {
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
  return `<table${testId ? ` data-table="${testId}"` : ''}><caption>${esc(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

const findingsTable = (caption: string, fs: ReportFinding[]) =>
  fs.length === 0
    ? `<p>${esc(caption)}: none.</p>`
    : table(
        caption,
        ['check', 'severity', 'rows', 'what'],
        fs.map((f) => [f.checkId, f.severity, f.count, f.reason]),
        'findings',
      );

const STYLE = `body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2937;max-width:1000px;margin:24px auto;padding:0 20px}
h1{font-size:1.6rem}h2{font-size:1.2rem;border-bottom:1px solid #d1d5db;padding-bottom:4px;margin-top:28px}
table{border-collapse:collapse;margin:10px 0;font-size:.9rem}caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border:1px solid #d1d5db;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f4f6}
.kv td:first-child{font-weight:600}.muted{color:#4b5563}svg{max-width:100%;height:auto;border:1px solid #e5e7eb}
.warn{background:#fef3c7;padding:6px 10px;border-radius:6px}
@media (prefers-color-scheme:dark){body{background:#0f141b;color:#e5e7eb}th{background:#1f2937}th,td{border-color:#374151}.muted{color:#a8b3c2}.warn{background:#352507}}`;

function kv(caption: string, pairs: [string, unknown][]): string {
  return `<table class="kv"><caption>${esc(caption)}</caption><tbody>${pairs.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v ?? '–')}</td></tr>`).join('')}</tbody></table>`;
}

function curvesSection(r: TrainingReport): string {
  const loss = r.curves.filter((c) => /loss/i.test(c.name));
  const other = r.curves.filter((c) => !/loss/i.test(c.name) && c.name !== 'learning rate');
  const lr = r.curves.filter((c) => c.name === 'learning rate');
  const steps = [...new Set(r.curves.flatMap((c) => c.points.map((p) => p.step)))].sort((a, b) => a - b);
  const byName = r.curves.map((c) => new Map(c.points.map((p) => [p.step, p.value])));
  const rows = steps.map((s) => [s, ...byName.map((m) => (m.has(s) ? num(m.get(s)) : ''))]);
  return [
    '<h2 id="curves">Curves</h2>',
    lineChartSvg(loss, { title: 'Training and validation loss', yLabel: 'loss' }),
    other.length ? lineChartSvg(other, { title: 'Validation metrics', yLabel: 'metric', height: 200 }) : '',
    lr.length ? lineChartSvg(lr, { title: 'Learning rate', yLabel: 'learning rate', height: 160 }) : '',
    `<details><summary>The curves as a table (${rows.length} steps)</summary>${table('Curve data', ['step', ...r.curves.map((c) => c.name)], rows, 'curves')}</details>`,
  ].join('\n');
}

function evaluationSection(r: TrainingReport): string {
  const e = r.evaluation;
  const parts = ['<h2 id="evaluation">Evaluation</h2>'];
  parts.push(
    kv('Final validation', [
      ['validation loss', num(e.final.valLoss)],
      ['validation accuracy', pct(e.final.valAccuracy)],
      ['macro-F1', num(e.final.macroF1)],
      ['perplexity', num(e.final.perplexity, 3)],
      ['best step', e.bestStep ?? '–'],
      ['best validation loss', num(e.bestValLoss)],
      ['best adapter restored', e.restoredBest ? 'yes' : 'no'],
      ...(e.test
        ? ([
            ['test accuracy', `${pct(e.test.accuracy)} on ${e.test.examples} rows`],
            ['test macro-F1', num(e.test.macroF1)],
          ] as [string, unknown][])
        : []),
    ]),
  );
  if (e.perClass.length)
    parts.push(
      table(
        'Per-class metrics (validation)',
        ['label', 'precision', 'recall', 'F1', 'support'],
        e.perClass.map((c) => [c.label, num(c.precision, 3), num(c.recall, 3), num(c.f1, 3), c.support]),
        'per-class',
      ),
    );
  if (e.confusion)
    parts.push(
      table(
        'Confusion matrix (rows: true label, columns: predicted)',
        ['true \\ predicted', ...e.confusion.labels],
        e.confusion.matrix.map((row, i) => [e.confusion!.labels[i], ...row]),
        'confusion',
      ),
    );
  return parts.join('\n');
}

export function renderReportHtml(r: TrainingReport): string {
  const d = r.dataset;
  const s = r.split;
  const body = [
    `<h1>Training report: ${esc(r.run.name)}</h1>`,
    `<p class="muted">Made by the Fine-tuning Studio on ${esc(r.createdAt)}. Run ${esc(r.run.id ?? '(not saved)')}, ${esc(r.run.status)} after ${r.run.steps} steps.</p>`,
    r.verdict ? `<p><strong>Verdict:</strong> ${esc(r.verdict)}</p>` : '',
    '<h2 id="data">Dataset</h2>',
    d
      ? kv('Dataset', [
          ['file', d.fileName],
          ['rows', d.rows],
          ['task', d.task],
          ['rows dropped (empty text or label)', d.droppedRows],
          ['labels', d.labels.map((l) => `${l.label} (${l.count})`).join(', ')],
        ]) +
        findingsTable('Audit findings', d.findings) +
        (d.fixesApplied
          ? `<p>Fixes applied: ${d.fixesApplied.before} → ${d.fixesApplied.after} rows (${d.fixesApplied.dropped} dropped, ${d.fixesApplied.trimmed} trimmed, ${d.fixesApplied.relabeled} relabeled).</p>`
          : '<p>No fixes applied.</p>')
      : '<p>No dataset summary.</p>',
    '<h2 id="split">Split and leakage</h2>',
    s
      ? kv('Split', [
          ['mode', s.mode],
          ['seed', s.seed],
          ['validation share', s.validationFraction],
          ['train rows', s.train],
          ['validation rows', s.validation],
          ['test rows', s.test ?? '–'],
        ]) +
        (s.leakage
          ? `<p${s.leakage.rowsWithTwin > 0 ? ' class="warn"' : ''}>${s.leakage.rowsWithTwin} validation rows (${pct(s.leakage.shareWithTwin)}) have a twin in training${s.leakage.rowsWithTwin > 0 ? (s.leakageAcknowledged ? ': acknowledged before training, so validation scores are optimistic.' : ': not acknowledged.') : '.'}</p>` +
            findingsTable('Leakage checks', s.leakage.findings)
          : '<p>No leakage check recorded.</p>')
      : '<p>No split recorded.</p>',
    '<h2 id="model">Model and settings</h2>',
    kv('Model', [
      ['model id', r.model.id],
      ['revision', r.model.revision ?? '–'],
      ['architecture', r.model.type],
      ['layers', r.model.layers],
      ['hidden size', r.model.hidden],
      ['parameters', r.model.parameters],
      ['pretrained weights', r.model.pretrained == null ? '–' : r.model.pretrained ? 'yes' : 'no (random)'],
      ['strategy', r.strategy],
    ]),
    table(
      'Hyperparameters',
      ['setting', 'value'],
      Object.entries(r.hyperparameters).map(([k, v]) => [k, String(v)]),
      'hyperparameters',
    ),
    curvesSection(r),
    evaluationSection(r),
    '<h2 id="baselines">Baselines</h2>',
    r.baselines.length
      ? table(
          'Baselines on the same validation split',
          ['baseline', 'accuracy', 'macro-F1', 'note'],
          r.baselines.map((b) => [b.name, pct(b.accuracy), num(b.macroF1), b.note ?? '']),
          'baselines',
        )
      : '<p>No baseline was measured.</p>',
    '<h2 id="diagnostics">Diagnostics</h2>',
    r.diagnostics.length
      ? table(
          'Diagnostics raised',
          ['severity', 'what', 'since step', 'advice'],
          r.diagnostics.map((x) => [x.severity, x.title, x.startedAtStep, x.message]),
          'diagnostics',
        )
      : '<p>No diagnostic was raised.</p>',
    '<h2 id="hardware">Hardware and timing</h2>',
    kv('Hardware and timing', [
      ['backend', r.hardware.backend],
      ['why this backend', r.hardware.reason],
      ['GPU adapter', r.hardware.adapter],
      ['browser', r.hardware.userAgent],
      ['mean step', r.timing.meanStepMs == null ? '–' : `${r.timing.meanStepMs.toFixed(0)} ms`],
      ['tokens/s', r.timing.tokensPerSec == null ? '–' : Math.round(r.timing.tokensPerSec)],
      ['total time', r.timing.totalSeconds == null ? '–' : `${r.timing.totalSeconds.toFixed(1)} s`],
    ]),
  ].join('\n');
  // The JSON twin rides along as inert data ("<" escaped so no text can close the element).
  const json = JSON.stringify(r).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Training report: ${esc(r.run.name)}</title><style>${STYLE}</style></head>
<body><main>
${body}
</main>
<script type="application/json" id="report-data">${json}</script>
</body></html>
`;
}
