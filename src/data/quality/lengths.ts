// Token-length checks: texts past the max sequence length (share truncated), very short texts, histogram.
// Pure: token lengths come in (the worker runs the tokenizer); no DOM, no I/O, no tokenizer here.
import { okFinding, plural, type Finding } from './findings';
import { countWords, isBlankText, normalizeText } from './normalize';

export const TOO_LONG = 'too_long';
export const TOO_SHORT = 'too_short';

/** Texts with fewer words than this (after normalization) are "very short". */
export const DEFAULT_MIN_WORDS = 2;
/** When no token lengths are given: about 4 characters per token, the usual English BPE/WordPiece rate. */
export const CHARS_PER_TOKEN_ESTIMATE = 4;
/** Equal-width histogram bins from 0 to maxSeqLength; one more bin holds everything longer. */
export const HISTOGRAM_BINS = 10;

export type LengthBin = { from: number; to: number; count: number };
export type LengthStats = {
  maxSeqLength: number;
  /** True when lengths were estimated from characters because no token lengths were given. */
  estimated: boolean;
  /** Share of non-blank texts longer than maxSeqLength (they will be truncated). */
  truncatedShare: number;
  maxTokens: number;
  meanTokens: number;
  /** 95th percentile (nearest rank) of non-blank texts' lengths: what the max-tokens default is sized to. */
  p95Tokens?: number;
  /** HISTOGRAM_BINS bins up to maxSeqLength, then an overflow bin (from maxSeqLength + 1). */
  histogram: LengthBin[];
};

export type LengthOptions = { maxSeqLength: number; tokenLengths?: ArrayLike<number>; minWords?: number };

/** Token length per row: the given ones, or ceil(chars / 4). Blank rows count as 0. */
export function resolveTokenLengths(texts: readonly string[], tokenLengths?: ArrayLike<number>): Int32Array {
  const out = new Int32Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    out[i] = tokenLengths && tokenLengths.length === texts.length ? tokenLengths[i] : Math.ceil((texts[i]?.length ?? 0) / CHARS_PER_TOKEN_ESTIMATE);
  }
  return out;
}

/** Findings for long and very short texts, plus the length statistics the UI charts. */
export function checkLengths(
  texts: readonly string[],
  normalized: readonly string[] | undefined,
  options: LengthOptions,
): { findings: Finding[]; stats: LengthStats } {
  const { maxSeqLength, minWords = DEFAULT_MIN_WORDS } = options;
  const estimated = !(options.tokenLengths && options.tokenLengths.length === texts.length);
  const lengths = resolveTokenLengths(texts, options.tokenLengths);
  const width = Math.max(1, Math.ceil(maxSeqLength / HISTOGRAM_BINS));
  const bins = HISTOGRAM_BINS;
  const counts = new Array<number>(bins + 1).fill(0);
  const long: number[] = [];
  const short: number[] = [];
  let filled = 0;
  let total = 0;
  let maxTokens = 0;
  const filledLengths: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    if (isBlankText(texts[i])) continue;
    const len = lengths[i];
    filled++;
    filledLengths.push(len);
    total += len;
    if (len > maxTokens) maxTokens = len;
    if (len > maxSeqLength) long.push(i);
    counts[len > maxSeqLength ? bins : Math.min(bins - 1, Math.floor(Math.max(0, len - 1) / width))]++;
    const words = countWords(normalized ? normalized[i] : normalizeText(texts[i]));
    if (words < minWords) short.push(i);
  }
  const histogram = counts.map((count, b) =>
    b < bins
      ? { from: b * width + (b === 0 ? 0 : 1), to: Math.min(maxSeqLength, (b + 1) * width), count }
      : { from: maxSeqLength + 1, to: Math.max(maxSeqLength + 1, maxTokens), count },
  );
  const truncatedShare = filled === 0 ? 0 : long.length / filled;
  const unit = estimated ? 'tokens (estimated at 4 characters per token)' : 'tokens';
  const findings: Finding[] = [
    long.length === 0
      ? okFinding(TOO_LONG, `Every text fits in ${maxSeqLength} ${unit}.`)
      : {
          checkId: TOO_LONG,
          severity: 'warning',
          count: long.length,
          rows: long,
          reason:
            `${plural(long.length, 'text')} (${(truncatedShare * 100).toFixed(1)} %) are longer than the ` +
            `maximum sequence length of ${maxSeqLength} ${unit} (longest ${maxTokens}); the end of each will be ` +
            'cut off in training. Raise the length, split the texts, or drop them.',
        },
    short.length === 0
      ? okFinding(TOO_SHORT, `Every text has at least ${plural(minWords, 'word')}.`)
      : {
          checkId: TOO_SHORT,
          severity: 'warning',
          count: short.length,
          rows: short,
          reason:
            `${plural(short.length, 'text')} have fewer than ${plural(minWords, 'word')}; such texts carry ` +
            'little signal. Check that they are real examples.',
        },
  ];
  return {
    findings,
    stats: {
      maxSeqLength,
      estimated,
      truncatedShare,
      maxTokens,
      meanTokens: filled === 0 ? 0 : total / filled,
      histogram,
      p95Tokens: nearestRank(filledLengths, 0.95),
    },
  };
}

/** Nearest-rank quantile q (0..1) of the values; 0 when there are none. */
function nearestRank(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
