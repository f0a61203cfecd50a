// Guesses which column holds the text and which the label, from header names and value statistics.
// Pure: plain header and rows in, choice plus human-readable reasons out; no parser, DOM or I/O.
import { assert } from '../lib/result';

export const TEXT_NAME_HINTS = [
  'text',
  'sentence',
  'review',
  'message',
  'content',
  'question',
  'body',
  'utterance',
  'comment',
  'document',
  'query',
  'prompt',
  'tweet',
  'sms',
  'description',
  'input',
] as const;
export const LABEL_NAME_HINTS = ['label', 'class', 'category', 'intent', 'sentiment', 'target', 'tag', 'topic', 'y', 'output'] as const;
/** Name words that mark an identifier or bookkeeping column, never text or label. */
const ID_NAME_WORDS = new Set(['id', 'uuid', 'key', 'index', 'idx', 'date', 'time', 'timestamp']);

/** Rows looked at per column; enough for stable statistics, bounded for big files. */
const SAMPLE_ROWS = 5000;

export type ColumnStats = {
  name: string;
  avgLength: number;
  distinct: number;
  filled: number;
  /** Share of filled values that are made only of digits, signs, dots, dashes, colons or slashes. */
  numericLike: number;
};

export type ColumnChoice = {
  textColumn: number;
  labelColumn: number;
  /** One line per chosen column, saying why, for the UI. */
  reasons: string[];
  stats: ColumnStats[];
};

/**
 * Chooses the text column (long, mostly distinct values; names like text/review/message) and the
 * label column (few distinct values relative to rows, short; names like label/class/intent), as the
 * pair with the highest combined score. Needs at least two columns (parseCsv guarantees that).
 */
export function inferColumns(header: readonly string[], rows: readonly (readonly string[])[]): ColumnChoice {
  assert(header.length >= 2, 'inferColumns needs at least two columns');
  const sample = rows.slice(0, SAMPLE_ROWS);
  const stats = header.map((name, c) =>
    columnStats(
      name,
      sample.map((row) => row[c] ?? ''),
    ),
  );
  const maxAvg = Math.max(1, ...stats.map((s) => s.avgLength));
  const textScores = stats.map((s) => textScore(s, maxAvg));
  const labelScores = stats.map((s) => labelScore(s));

  let best = { text: 0, label: 1, score: -Infinity };
  for (let t = 0; t < header.length; t++) {
    for (let l = 0; l < header.length; l++) {
      const score = textScores[t] + labelScores[l];
      if (t !== l && score > best.score) best = { text: t, label: l, score };
    }
  }
  return {
    textColumn: best.text,
    labelColumn: best.label,
    reasons: [describe('text', stats[best.text], TEXT_NAME_HINTS), describe('label', stats[best.label], LABEL_NAME_HINTS)],
    stats,
  };
}

function columnStats(name: string, values: string[]): ColumnStats {
  const filled = values.filter((v) => v.trim() !== '');
  const totalLength = filled.reduce((sum, v) => sum + v.length, 0);
  return {
    name,
    avgLength: filled.length === 0 ? 0 : totalLength / filled.length,
    distinct: new Set(filled).size,
    filled: filled.length,
    numericLike: filled.length === 0 ? 0 : filled.filter((v) => /^[\d\s.,:/+-]+$/.test(v)).length / filled.length,
  };
}

/** 0–1 length share, plus distinctness, plus a name bonus; ID-like names and numbers are penalised. */
function textScore(s: ColumnStats, maxAvg: number): number {
  const distinctRatio = s.filled === 0 ? 0 : s.distinct / s.filled;
  let score = 2 * (s.avgLength / maxAvg) + 0.5 * distinctRatio - s.numericLike;
  if (nameMatches(s.name, TEXT_NAME_HINTS)) score += 1.5;
  if (isIdName(s.name)) score -= 1;
  return score;
}

/** High when values repeat (few classes) and are short; a name bonus; empty columns score low. */
function labelScore(s: ColumnStats): number {
  if (s.filled === 0) return -2;
  const repetition = 1 - s.distinct / s.filled;
  const shortness = 1 / (1 + s.avgLength / 20);
  let score = 2 * repetition + 0.5 * shortness;
  if (s.distinct < 2) score -= 1;
  if (nameMatches(s.name, LABEL_NAME_HINTS)) score += 1.5;
  if (isIdName(s.name)) score -= 1;
  return score;
}

/** Lower-cased words of a header: "reviewText" → review, text; "label_id" → label, id. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

function nameMatches(name: string, hints: readonly string[]): boolean {
  const words = nameWords(name);
  if (words.some((w) => ID_NAME_WORDS.has(w))) return false;
  // Plurals count too: "labels", "classes", "sentences".
  return words.some((w) => hints.includes(w) || hints.includes(w.replace(/(es|s)$/, '')) || hints.includes(w.replace(/s$/, '')));
}

function isIdName(name: string): boolean {
  return nameWords(name).some((w) => ID_NAME_WORDS.has(w));
}

function describe(role: 'text' | 'label', s: ColumnStats, hints: readonly string[]): string {
  const named = nameMatches(s.name, hints) ? `its name suggests ${role}; ` : '';
  return `${role} column "${s.name}": ${named}${s.distinct} distinct of ${s.filled} filled values, ` + `average ${s.avgLength.toFixed(1)} characters`;
}
