// Labels that differ only in form ("positive", "positive ", "Positive", "1"/"1.0"/"01", a bidi control before
// a label) would train as separate classes: found here as one finding with a one-click relabel to the most
// frequent spelling of each group. Pure.
import { isMissingLabel } from '../labels';
import { okFinding, plural, type Finding } from './findings';

export const LABEL_VARIANTS = 'label_variants';

/** Bidi marks and embeddings, zero-width characters, BOM and soft hyphen: format characters (Cf) that render as nothing. */
const FORMAT_CONTROLS = /\p{Cf}/gu;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** The form two labels share when they mean the same class: no format controls, NFKC, trimmed, inner spaces
 *  collapsed, lower case; plain numbers by value (1, 1.0, 01 and +1 are one label). */
export function labelKey(label: string): string {
  const s = label.replace(FORMAT_CONTROLS, '').normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  if (PLAIN_NUMBER.test(s)) {
    const n = Number(s);
    if (Number.isFinite(n)) return `#${n}`;
  }
  return s;
}

const show = (l: string) =>
  JSON.stringify(l).replace(
    // Control characters are exactly what this shows escaped.
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

export function checkLabelVariants(labels: readonly string[]): Finding {
  const byKey = new Map<string, Map<string, number[]>>();
  labels.forEach((label, i) => {
    if (isMissingLabel(label)) return;
    const key = labelKey(label);
    let spellings = byKey.get(key);
    if (!spellings) byKey.set(key, (spellings = new Map()));
    const rows = spellings.get(label);
    if (rows) rows.push(i);
    else spellings.set(label, [i]);
  });
  const relabel: Record<string, string> = {};
  const rows: number[] = [];
  const groups: number[][] = [];
  const described: string[] = [];
  let variants = 0;
  for (const spellings of byKey.values()) {
    if (spellings.size < 2) continue;
    // The most frequent spelling wins; ties go to the one seen first.
    const [canonical] = [...spellings].sort((a, b) => b[1].length - a[1].length || a[1][0] - b[1][0])[0];
    const group: number[] = [];
    for (const [spelling, at] of spellings) {
      if (spelling !== canonical) {
        relabel[spelling] = canonical;
        rows.push(...at);
      }
      group.push(...at);
    }
    variants += spellings.size;
    groups.push(group.sort((a, b) => a - b));
    if (described.length < 5) described.push([...spellings.keys()].map(show).join(', ') + ` → ${show(canonical)}`);
  }
  if (variants === 0) return okFinding(LABEL_VARIANTS, 'No labels differ only by case, spaces or format.');
  rows.sort((a, b) => a - b);
  groups.sort((a, b) => a[0] - b[0]);
  return {
    checkId: LABEL_VARIANTS,
    severity: 'warning',
    count: variants,
    rows,
    groups,
    reason:
      `${plural(variants, 'label')} differ only by case, spaces or format (${described.join('; ')}) and would train as ` +
      `separate classes. Merge them? ${plural(rows.length, 'row')} would get the most common spelling.`,
    fix: { kind: 'relabel', rows, labels: relabel },
  };
}
