// Protocol types of the causal-LM side of the studio (issue 7): the task choice, instruction / domain-text data
// summaries with the prompt audit and per-row truncation flags, LM training options and outcome, the few-shot
// baseline, and playground generation. Types only; messages.ts adds the requests and events that use them.
import type { RowError } from './rows';

/** What the studio trains: a classifier, an instruction-tuned LM, or continued pre-training on domain text. */
export type LmTask = 'classify' | 'instruction' | 'domain';

/** One tokenized example as the page shows it (text capped); completionCut: the completion or its EOS is cut. */
export type LmRowView = {
  index: number;
  row: number;
  split: 'train' | 'validation';
  prompt: string;
  completion: string;
  tokens: number;
  completionCut: boolean;
};

export type LmDataSummary = {
  fileName: string;
  task: LmTask;
  /** What the file looks like: instruction data, domain text, or a classification table. */
  suggestedTask: LmTask;
  /** Human description of the detected format, e.g. 'prompt / completion columns "question" → "intent"'. */
  format: string;
  examples: number;
  errors: RowError[];
  /** How many rows were left out in all (errors lists the first ones). */
  errorsTotal?: number;
  train: number;
  validation: number;
  /** How prompts were formatted: the tokenizer's chat template, or the studio's plain template. */
  template: 'tokenizer' | 'plain' | 'explicit' | null;
  /** The tokenizer that measured the lengths, or null (4 characters a token, estimated). */
  tokenizer: string | null;
  maxSeqLength: number;
  /** Duplicate prompts (same prompt, several rows) and prompts shared between train and validation. */
  audit: {
    duplicatePromptGroups: number;
    duplicatePromptRows: number;
    sharedPrompts: number;
    sharedShare: number;
    pairs: { train: string; validation: string; similarity: number }[];
  };
  /** Formatted example lengths (template and EOS included) before truncation; measured: with the loaded tokenizer. */
  tokenLengths?: { p95: number; max: number; measured: boolean } | null;
  /** Rows whose completion or EOS is cut at maxSeqLength (the model would not learn to stop). */
  completionCut: number;
  /** Domain text: blocks of maxSeqLength tokens. */
  blocks: { count: number; totalTokens: number } | null;
  /** Flagged rows first, then the first rows. */
  rows: LmRowView[];
};

export type LmDataArgs = {
  /** A new file (JSONL, .txt, or a CSV already parsed by parseFile when absent). */
  file?: File;
  task: LmTask | 'auto';
  maxSeqLength: number;
  validationFraction: number;
  seed: number;
  trainOnPrompt?: boolean;
};

export type LmTrainOptions = {
  /** Loss on the prompt tokens too (default: completion and EOS only). */
  trainOnPrompt: boolean;
  /** Validation examples decoded greedily for exact match at each validation (0 = off). */
  exactMatchSamples: number;
};

export type LmMetrics = { loss: number; perplexity: number; tokenAccuracy: number; exactMatch: number | null };

/** Few-shot baseline before fine-tuning, on the validation split. */
export type FewShotView =
  | { task: 'instruction' | 'domain'; k: number; metrics: LmMetrics; meanShotsUsed: number; examplePrompt: string; n: number; ms: number }
  | { task: 'classify'; k: number; accuracy: number; macroF1: number; n: number; scoring: string; examplePrompt: string; ms: number };

export type LmOutcome = {
  task: LmTask;
  final: LmMetrics | null;
  /** tokens/s of the whole run (real tokens, forward + backward). */
  trainTokensPerSec: number;
  template: string | null;
};

export type SamplingView = { greedy: boolean; temperature: number; topK: number; topP: number; maxNewTokens: number; seed: number };

export type GenerateArgs = {
  streamId: number;
  prompt: string;
  /** base: no adapter; tuned: the last LM run's adapter at `strength`. */
  which: 'base' | 'tuned';
  strength: number;
  /** Wrap the prompt in the training chat template (one user turn). */
  useTemplate: boolean;
  sampling: SamplingView;
};

export type GenerateOutcome = {
  streamId: number;
  text: string;
  tokens: number;
  stopReason: string;
  tokensPerSecond: number;
  promptTokens: number;
  formattedPrompt: string;
};
