// Reading what a user imports (issue 14): a zip (PEFT adapter or save_pretrained folder, possibly zipped inside
// its folder), files found by base name, and a label order from label_map.json or config.json's id2label.
import { strFromU8, unzipSync } from 'fflate';
import { StudioError } from './userError';

const MAX_ZIP_BYTES = 2 ** 31;

export type ZipEntries = Record<string, Uint8Array>;

export async function readZip(file: File, what: string): Promise<ZipEntries> {
  if (file.size > MAX_ZIP_BYTES) throw new StudioError('bad-adapter', `That file is too large to be ${what}.`);
  try {
    return unzipSync(new Uint8Array(await file.arrayBuffer()));
  } catch (e) {
    throw new StudioError('bad-adapter', `${file.name} is not a readable zip (${(e as Error).message}): choose ${what} the studio or Python wrote.`);
  }
}

/** The shortest path whose base name is `name` (PEFT users often zip the folder itself). */
export function entryNamed(zip: ZipEntries, name: string): string | undefined {
  return Object.keys(zip)
    .filter((k) => k === name || k.endsWith(`/${name}`))
    .sort((a, b) => a.length - b.length)[0];
}

export const textOf = (zip: ZipEntries, name: string): string | null => {
  const key = entryNamed(zip, name);
  return key ? strFromU8(zip[key]) : null;
};

/** id2label of label_map.json or config.json in id order; null when absent or unreadable. */
export function labelOrder(json: string | null): string[] | null {
  if (!json) return null;
  try {
    const m = JSON.parse(json) as { id2label?: Record<string, string> };
    if (!m.id2label || typeof m.id2label !== 'object') return null;
    return Object.keys(m.id2label)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => String(m.id2label![k]));
  } catch {
    return null;
  }
}

/** transformers' placeholder names (LABEL_0, LABEL_1, …): they say nothing about which class is which. */
export const genericLabels = (labels: readonly string[]) => labels.every((l, i) => l === `LABEL_${i}`);

/**
 * The classifier's label order for this data: the checkpoint's own names, or the data's sorted labels where the
 * checkpoint only has generic LABEL_i of the same count; a clear refusal when the label sets differ.
 */
export function matchLabels(checkpoint: string[] | null, data: string[]): { labelNames: string[]; note: string | null } {
  if (!checkpoint) return { labelNames: data, note: null };
  if (genericLabels(checkpoint) && checkpoint.length === data.length) {
    return {
      labelNames: data,
      note: `The checkpoint names its labels ${checkpoint.join(', ')}; they were read as this data's ${data.join(', ')} in that order.`,
    };
  }
  const missing = data.filter((l) => !checkpoint.includes(l));
  const extra = checkpoint.filter((l) => !data.includes(l));
  if (missing.length > 0 || extra.length > 0) {
    throw new StudioError(
      'label-mismatch',
      `It was trained for other labels: it knows ${checkpoint.join(', ')}; this data has ${data.join(', ')}${missing.length ? ` (new: ${missing.join(', ')})` : ''}. Import it with the data it was trained on.`,
    );
  }
  return { labelNames: checkpoint, note: null };
}
