// Builds the TrainingReport (issue 14) from what the studio knows about a run: the live run in the store, or a
// stored run from the runs view (then only what was stored: config, curves, status). Pure.
import type {
  BackendInfo,
  DatasetSummary,
  EvalPoint,
  ModelSummary,
  RunSummary,
  SplitSummary,
  TrainConfig,
  TrainOutcome,
  TrainPoint,
} from '../protocol/messages';
import type { AppliedFixSummary, AuditFinding, ClassReport } from '../protocol/messages';
import { REPORT_FORMAT, type ReportBaseline, type ReportCurve, type ReportFinding, type TrainingReport } from './reportTypes';

export type ReportSource = {
  now: Date;
  run: RunSummary | null;
  outcome: TrainOutcome | null;
  trainConfig: TrainConfig;
  trainPoints: readonly TrainPoint[];
  evalPoints: readonly EvalPoint[];
  evalDetail: { perClass: ClassReport[]; confusion: number[][]; labels: string[] } | null;
  dataset: DatasetSummary | null;
  split: SplitSummary | null;
  lastApplied: AppliedFixSummary | null;
  leakageAcknowledged: boolean;
  task: string;
  model: ModelSummary | null;
  modelId: string;
  revision: string | null;
  backend: BackendInfo | null;
  fewShotBaseline: { k: number; accuracy: number; macroF1: number } | null;
  /** Other baselines (e.g. a classical TF-IDF + logistic regression) and the verdict, when the studio measured them. */
  extraBaselines?: ReportBaseline[];
  verdict?: string | null;
  userAgent: string | null;
};

const finding = (f: AuditFinding): ReportFinding => ({ checkId: f.checkId, severity: f.severity, count: f.count, reason: f.reason });
const curve = (name: string, pts: { step: number; value: number | undefined | null }[]): ReportCurve => ({
  name,
  points: pts.filter((p): p is { step: number; value: number } => p.value != null && Number.isFinite(p.value)),
});

/** The strategy in words: LoRA on which layers (the studio's only strategy unless the config says otherwise). */
export function strategyOf(c: TrainConfig): string {
  const s = (c as TrainConfig & { strategy?: string }).strategy;
  if (s) return s;
  const where = { default: "PEFT's default target modules", attention: 'all attention projections', 'all-linear': 'all linear layers' }[c.loraTargets];
  return `LoRA (r ${c.loraR}, alpha ${c.loraAlpha}, dropout ${c.loraDropout}) on ${where}`;
}

export function buildReport(src: ReportSource): TrainingReport {
  const { outcome, trainConfig: c } = src;
  const last = src.evalPoints.at(-1);
  const status = outcome?.status ?? src.run?.status ?? 'unknown';
  const steps = outcome?.steps ?? src.run?.steps ?? src.trainPoints.at(-1)?.step ?? 0;
  const baselines: ReportBaseline[] = [];
  const fewShot = src.fewShotBaseline ?? outcome?.fewShot ?? null;
  if (fewShot)
    baselines.push({ name: `few-shot (k = ${fewShot.k}, nearest class centroid of the base model)`, accuracy: fewShot.accuracy, macroF1: fewShot.macroF1 });
  baselines.push(...(src.extraBaselines ?? []));
  if (last && src.task === 'classify') baselines.push({ name: 'fine-tuned (this run)', accuracy: last.valAccuracy, macroF1: last.macroF1 ?? null });
  const leakage = src.split?.leakage ?? null;
  const times = src.trainPoints.length > 0 && outcome ? (outcome.meanStepMs * steps) / 1000 : null;
  return {
    format: REPORT_FORMAT,
    createdAt: src.now.toISOString(),
    run: {
      id: outcome?.runId ?? src.run?.id ?? null,
      name: src.run?.name ?? `${src.modelId} on ${src.dataset?.fileName ?? 'data'}`,
      status,
      steps,
      startedAt: src.run ? new Date(src.run.createdAt).toISOString() : null,
    },
    dataset: src.dataset
      ? {
          fileName: src.dataset.fileName,
          rows: src.dataset.rowCount,
          labels: src.dataset.labels.map((l) => ({ label: l.label, count: l.count })),
          droppedRows: src.dataset.droppedRows,
          task: src.task,
          findings: (src.dataset.quality?.findings ?? []).map(finding),
          fixesApplied: src.lastApplied,
        }
      : null,
    split: src.split
      ? {
          mode: src.split.mode ?? 'stratified',
          seed: src.split.seed,
          validationFraction: src.split.validationFraction,
          train: src.split.train,
          validation: src.split.validation,
          test: src.split.test ?? null,
          leakage: leakage ? { rowsWithTwin: leakage.rowsWithTwin, shareWithTwin: leakage.shareWithTwin, findings: leakage.findings.map(finding) } : null,
          leakageAcknowledged: outcome?.acknowledgedLeakage != null || (src.leakageAcknowledged && (leakage?.rowsWithTwin ?? 0) > 0),
        }
      : null,
    model: {
      id: src.modelId,
      revision: src.revision,
      type: src.model?.modelType ?? null,
      layers: src.model?.numLayers ?? null,
      hidden: src.model?.hiddenSize ?? null,
      parameters: src.model?.parameterCount ?? null,
      pretrained: src.model?.pretrained ?? null,
    },
    strategy: strategyOf(c),
    hyperparameters: { ...c },
    curves: [
      curve(
        'training loss',
        src.trainPoints.map((p) => ({ step: p.step, value: p.loss })),
      ),
      curve(
        'validation loss',
        src.evalPoints.map((p) => ({ step: p.step, value: p.valLoss })),
      ),
      ...(src.task === 'classify'
        ? [
            curve(
              'validation accuracy',
              src.evalPoints.map((p) => ({ step: p.step, value: p.valAccuracy })),
            ),
            curve(
              'macro-F1',
              src.evalPoints.map((p) => ({ step: p.step, value: p.macroF1 })),
            ),
          ]
        : [
            curve(
              'perplexity',
              src.evalPoints.map((p) => ({ step: p.step, value: p.perplexity })),
            ),
          ]),
      curve(
        'learning rate',
        src.trainPoints.map((p) => ({ step: p.step, value: p.learningRate })),
      ),
    ].filter((cv) => cv.points.length > 0),
    evaluation: {
      final: {
        valLoss: last?.valLoss ?? null,
        valAccuracy: src.task === 'classify' ? (last?.valAccuracy ?? null) : null,
        macroF1: last?.macroF1 ?? null,
        perplexity: last?.perplexity ?? outcome?.lm?.final?.perplexity ?? null,
      },
      bestStep: outcome?.bestStep ?? null,
      bestValLoss: outcome?.bestValLoss ?? src.run?.bestValLoss ?? null,
      restoredBest: outcome?.restoredBest ?? false,
      test: outcome?.test ?? null,
      perClass: src.evalDetail?.perClass ?? [],
      confusion: src.evalDetail ? { labels: src.evalDetail.labels, matrix: src.evalDetail.confusion } : null,
    },
    baselines,
    verdict: src.verdict ?? null,
    diagnostics: (outcome?.diagnostics ?? []).map((d) => ({
      id: d.id,
      severity: d.severity,
      title: d.title,
      message: d.message,
      startedAtStep: d.startedAtStep,
    })),
    hardware: {
      backend: outcome?.backend ?? src.run?.backend ?? src.backend?.backend ?? 'unknown',
      reason: src.backend?.reason ?? null,
      adapter: src.backend?.adapterDescription ?? null,
      userAgent: src.userAgent,
    },
    timing: { meanStepMs: outcome?.meanStepMs ?? null, tokensPerSec: outcome?.tokensPerSec ?? null, totalSeconds: times },
  };
}
