// Label-leakage hints: the label name written in the texts of that label, and an ID-like column that
// predicts the label. Pure: rows in, findings out; no DOM, no I/O.
import { isMissingLabel } from './labels';
import { okFinding, plural, type Finding } from './quality/findings';

export const LABEL_IN_TEXT = 'label_in_text';
export const ID_COLUMN_PREDICTS_LABEL = 'id_column_predicts_label';

/**
 * A label is flagged when at least 30 % of its texts contain it as a whole word (case-insensitive)
 * and that share is at least 3× the share among other labels' texts, over ≥ 5 hits. A model can then
 * score well by spotting the word, which will not be in real inputs.
 */
export const LABEL_IN_TEXT_MIN_SHARE = 0.3;
export const LABEL_IN_TEXT_MIN_LIFT = 3;
const LABEL_IN_TEXT_MIN_HITS = 5;
/** Labels checked, most frequent first (bounded so 100k labels stay fast). */
const LABEL_IN_TEXT_MAX_LABELS = 500;

/**
 * A column predicts the label when, over rows whose value repeats (≥ half the rows), the majority label
 * per value is right ≥ 95 % of the time and beats always guessing the biggest class by half the gap to
 * 100 %; or when its numeric values, sorted, put the labels in long runs (≤ 20 % of the runs a random
 * order gives), as when ids were assigned class by class.
 */
export const ID_COLUMN_MIN_PURITY = 0.95;
const ID_COLUMN_MAX_RUN_RATIO = 0.2;
const ID_COLUMN_MIN_ROWS = 20;

/** Rows of each flagged label whose text contains that label word. */
export function checkLabelInText(texts: readonly string[], labels: readonly string[]): Finding {
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => {
    if (isMissingLabel(l)) return;
    const g = byLabel.get(l);
    if (g) g.push(i);
    else byLabel.set(l, [i]);
  });
  const lower = texts.map((t) => (t ?? '').toLowerCase());
  const total = labels.length;
  const candidates = [...byLabel]
    .filter(([l]) => l.trim().length >= 2)
    .sort((a, b) => b[1].length - a[1].length)
    .slice(0, LABEL_IN_TEXT_MAX_LABELS);
  const flagged: { label: string; share: number; rows: number[] }[] = [];
  for (const [label, rows] of candidates) {
    const word = label.trim().toLowerCase();
    const own = rows.filter((r) => containsWord(lower[r], word));
    if (own.length < LABEL_IN_TEXT_MIN_HITS) continue;
    let other = 0;
    const mine = new Set(rows);
    for (let i = 0; i < total; i++) if (!mine.has(i) && containsWord(lower[i], word)) other++;
    const share = own.length / rows.length;
    const otherShare = other / Math.max(1, total - rows.length);
    if (share >= LABEL_IN_TEXT_MIN_SHARE && share >= LABEL_IN_TEXT_MIN_LIFT * otherShare) flagged.push({ label, share, rows: own });
  }
  if (flagged.length === 0) return okFinding(LABEL_IN_TEXT, 'No label name is written in many of its own texts.');
  const rows = flagged.flatMap((f) => f.rows).sort((a, b) => a - b);
  const named = flagged
    .slice(0, 5)
    .map((f) => `"${f.label}" in ${Math.round(f.share * 100)} % of its texts`)
    .join(', ');
  return {
    checkId: LABEL_IN_TEXT,
    severity: 'warning',
    count: flagged.length,
    rows,
    reason:
      `The label name appears in the texts themselves: ${named}. The model can learn to spot the word ` +
      'instead of the meaning; remove it from the texts if real inputs will not contain it.',
  };
}

/** Whole-word match: the characters either side are not letters or digits. */
function containsWord(text: string, word: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(word, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : text[at - 1];
    const after = text[at + word.length] ?? '';
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return true;
    from = at + 1;
  }
}

/** Checks every column other than the text and label ones; one finding naming the columns that predict the label. */
export function checkIdColumns(header: readonly string[], rows: readonly (readonly string[])[], textColumn: number, labelColumn: number): Finding {
  const labelled = rows.map((_, i) => i).filter((i) => !isMissingLabel(rows[i][labelColumn]));
  const hits: string[] = [];
  const columns: number[] = [];
  if (labelled.length >= ID_COLUMN_MIN_ROWS) {
    const labels = labelled.map((i) => rows[i][labelColumn]);
    const baseline = majorityShare(labels);
    for (let c = 0; c < header.length; c++) {
      if (c === textColumn || c === labelColumn) continue;
      const values = labelled.map((i) => (rows[i][c] ?? '').trim());
      const why = predictsByValue(values, labels, baseline) ?? predictsByOrder(values, labels);
      if (why) {
        hits.push(`"${header[c]}" ${why}`);
        columns.push(c);
      }
    }
  }
  if (hits.length === 0) return okFinding(ID_COLUMN_PREDICTS_LABEL, 'No other column gives the label away.');
  return {
    checkId: ID_COLUMN_PREDICTS_LABEL,
    severity: 'warning',
    count: columns.length,
    rows: [],
    reason:
      `${plural(columns.length, 'column')} predict the label on their own: ${hits.join('; ')}. If the ` +
      'texts were collected or numbered class by class, validation scores can mislead; split by that column or shuffle ids.',
  };
}

function majorityShare(labels: string[]): number {
  const counts = new Map<string, number>();
  let max = 0;
  for (const l of labels) {
    const c = (counts.get(l) ?? 0) + 1;
    counts.set(l, c);
    if (c > max) max = c;
  }
  return labels.length === 0 ? 0 : max / labels.length;
}

function predictsByValue(values: string[], labels: string[], baseline: number): string | null {
  const perValue = new Map<string, Map<string, number>>();
  values.forEach((v, i) => {
    if (v === '') return;
    const m = perValue.get(v) ?? new Map<string, number>();
    m.set(labels[i], (m.get(labels[i]) ?? 0) + 1);
    perValue.set(v, m);
  });
  let covered = 0;
  let correct = 0;
  for (const m of perValue.values()) {
    let n = 0;
    let best = 0;
    for (const c of m.values()) {
      n += c;
      if (c > best) best = c;
    }
    if (n < 2) continue;
    covered += n;
    correct += best;
  }
  if (covered < values.length / 2) return null;
  const purity = correct / covered;
  if (purity >= ID_COLUMN_MIN_PURITY && purity - baseline >= (1 - baseline) / 2) {
    return `(each value almost always has one label: ${Math.round(purity * 100)} % vs ${Math.round(baseline * 100)} % by guessing the biggest class)`;
  }
  return null;
}

function predictsByOrder(values: string[], labels: string[]): string | null {
  const numeric = values.map((v) => (/^[+-]?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN));
  const order = numeric.map((_, i) => i).filter((i) => !Number.isNaN(numeric[i]));
  if (order.length < ID_COLUMN_MIN_ROWS || order.length < 0.9 * values.length) return null;
  order.sort((a, b) => numeric[a] - numeric[b] || a - b);
  let runs = 1;
  for (let k = 1; k < order.length; k++) if (labels[order[k]] !== labels[order[k - 1]]) runs++;
  const counts = new Map<string, number>();
  for (const i of order) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  let sumSq = 0;
  for (const c of counts.values()) sumSq += (c / order.length) ** 2;
  const expected = 1 + (order.length - 1) * (1 - sumSq);
  if (counts.size >= 2 && runs <= ID_COLUMN_MAX_RUN_RATIO * expected) {
    return `(sorted by it, the labels come in ${runs} runs where a random order gives about ${Math.round(expected)})`;
  }
  return null;
}
