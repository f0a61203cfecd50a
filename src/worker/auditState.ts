// What the worker keeps of the data audit between requests: the full quality report (with its reusable
// index and MinHash pairs), cached token lengths, the test split and the last leakage check.
import type { LeakageView, QualityView, SplitArgs } from '../protocol/messages';
import type { QualityReport } from '../data/quality/report';
import type { LeakageReport } from '../data/leakage';

export type AuditState = {
  /** Full report over table.rows[0 .. checkedRows); `reuse` is dropped once the table changes. */
  report: QualityReport;
  view: QualityView;
  /** Token lengths of the text column per model, for the rows they were measured on. */
  tokenCache: { modelId: string; rows: readonly string[][]; textColumn: number; lengths: Int32Array } | null;
  /** Rows held out as a test split (never trained or validated on). */
  test: number[];
  splitArgs: SplitArgs | null;
  /** The lexical leakage check of the current split (table row indices). */
  leakReport: LeakageReport | null;
  leakage: LeakageView | null;
};

/** Quality report covers at most this many rows (MinHash signatures take 512 bytes a text). */
export const MAX_REPORT_ROWS = 100_000;
/** Tokenize with the model's tokenizer only up to this many rows; longer tables use the 4-chars estimate. */
export const MAX_TOKENIZED_ROWS = 60_000;
/** Characters of a text handed to the tokenizer (a longer text is past any max length anyway). */
export const TOKENIZE_CHAR_CAP = 8_000;
/** Findings sent to the page list at most this many rows, groups and pairs (counts stay exact). */
export const VIEW_LIST_CAP = 2_000;
/** Leakage pairs sent with their texts for the side-by-side view. */
export const VIEW_PAIR_CAP = 200;
export const VIEW_TEXT_CAP = 400;
