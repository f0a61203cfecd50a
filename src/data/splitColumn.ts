// Reads the user's own split column (train / validation / test and common synonyms) into a split.
// Pure: values in, split plus unrecognised rows out; no DOM, no I/O.
import { type GroupSplit } from './groupSplit';

/** Accepted cell values (trimmed, lower-cased) for each split. */
export const SPLIT_VALUE_NAMES = {
  train: ['train', 'training', 'trn'],
  validation: ['validation', 'valid', 'val', 'dev', 'development', 'eval', 'evaluation'],
  test: ['test', 'testing', 'tst', 'holdout', 'heldout', 'held-out'],
} as const;
export type SplitName = keyof typeof SPLIT_VALUE_NAMES;

const LOOKUP = new Map<string, SplitName>(
  (Object.keys(SPLIT_VALUE_NAMES) as SplitName[]).flatMap((name) => SPLIT_VALUE_NAMES[name].map((v) => [v, name] as [string, SplitName])),
);

export type UserSplit = {
  split: GroupSplit;
  /** Rows whose value is none of the accepted names (left out of every split). */
  unrecognizedRows: number[];
  /** Distinct unrecognised values, first 10, for the message. */
  unrecognizedValues: string[];
  /** A plain-words problem when the column cannot be used (no training or no validation rows), else null. */
  problem: string | null;
};

/** Maps each row's value to a split; "Train", " VAL " and "dev" all work. */
export function readSplitColumn(values: readonly string[]): UserSplit {
  const split: GroupSplit = { train: [], validation: [], test: [] };
  const unrecognizedRows: number[] = [];
  const unknown = new Set<string>();
  values.forEach((v, i) => {
    const name = LOOKUP.get((v ?? '').trim().toLowerCase());
    if (name) split[name].push(i);
    else {
      unrecognizedRows.push(i);
      if (unknown.size < 10) unknown.add(v ?? '');
    }
  });
  let problem: string | null = null;
  const accepted = 'train, validation (val, dev, eval) or test';
  if (split.train.length === 0) problem = `The split column has no training rows; its values must be ${accepted}.`;
  else if (split.validation.length === 0 && split.test.length === 0) {
    problem = `The split column has no validation or test rows; its values must be ${accepted}.`;
  }
  return { split, unrecognizedRows, unrecognizedValues: [...unknown], problem };
}
