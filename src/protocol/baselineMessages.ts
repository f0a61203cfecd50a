// Protocol types of the bar every classification run is held against (classical TF-IDF + LR, majority class),
// the run's verdict, and the fine-tuning strategy choice. Types only.
import type { ClassReport } from './messages';

/** head: linear probe (only the classifier trains); lora: LoRA + head; lora-embeddings: also the word embeddings; full: every weight. */
export type FineTuneStrategy = 'head' | 'lora' | 'lora-embeddings' | 'full';

export type BaselineView = {
  kind: 'classical' | 'majority';
  /** One line on what it is, e.g. "TF-IDF (word 1-2 + char 2-5 grams) + logistic regression". */
  description: string;
  accuracy: number;
  macroF1: number;
  perClass: ClassReport[];
  trainMs: number;
  numFeatures?: number;
};

export type VerdictView = {
  /** Fine-tuned minus classical macro-F1 (positive = fine-tuning won). */
  delta: number;
  beatClassical: boolean;
  /** No better than always predicting the majority class (macro-F1 within 0.01, or one class for >= 90% of rows). */
  noBetterThanMajority: boolean;
  /** The one sentence shown at run end, in the runs list and before the download. */
  sentence: string;
  /** Warn before downloading this adapter. */
  warnBeforeDownload: boolean;
};
