// Model- and task-aware training defaults (issue 11), each with a one-line reason: learning rate by family, task and
// method; max tokens from the data's token lengths (p95 + template overhead) capped by the model and memory; batch
// size from the memory estimate; search ranges around the same learning rate. Pure: no I/O, shared by page and worker.
import type { FineTuneStrategy } from './baselineMessages';
import { OFFLINE_DEFAULT_STRATEGY, OFFLINE_DEFAULT_TRAINING, OFFLINE_STRATEGY_LEARNING_RATES } from './defaultModel';

export const ENCODER_FAMILIES: ReadonlySet<string> = new Set(['bert', 'distilbert', 'roberta']);
export const DECODER_FAMILIES: ReadonlySet<string> = new Set(['gpt2', 'llama', 'qwen2']);

/** Learning rate of the offline default model (random-weight demo encoder, its default strategy), from `npm run bench:quality`. */
export const OFFLINE_DEFAULT_MODEL_LR: number = OFFLINE_DEFAULT_TRAINING.learningRate;
/** LoRA paper (Hu et al. 2021), roberta-base on GLUE: 4e-4 to 5e-4 at r 8, alpha 16. */
export const ENCODER_LORA_LR = 5e-4;
/** LLaMA-Factory and AutoTrain decoder LoRA recipes: 1e-4 to 2e-4. */
export const DECODER_LORA_LR = 2e-4;
/** Full fine-tuning: BERT paper's 2e-5 to 5e-5 for encoders; decoder SFT recipes use about 1e-5. */
export const ENCODER_FULL_LR = 2e-5;
export const DECODER_FULL_LR = 1e-5;
/** Training only a fresh classification head: a linear probe tolerates a much larger rate. */
export const HEAD_ONLY_LR = 1e-3;

/** Max tokens without data or a model. */
export const FALLBACK_MAX_TOKENS = 64;
/** Domain text is packed into blocks of max tokens: this block size unless the model or memory caps it. */
export const DOMAIN_BLOCK_TOKENS = 256;
/** Batch size without a memory estimate (the usual LoRA recipe). */
export const FALLBACK_BATCH_SIZE = 16;
export const BATCH_CHOICES = [32, 16, 8, 4, 2, 1] as const;
/** Keep the estimate under this share of the memory budget (above it the estimate says 'tight'). */
export const MEMORY_SHARE = 0.75;
/** Classification without measured lengths: [CLS] ... [SEP] around the text. */
export const SPECIAL_TOKEN_OVERHEAD = 2;

export type TrainMethod = 'lora' | 'full' | 'head-only';
export type TrainTask = 'classify' | 'instruction' | 'domain';

export type DefaultsInput = {
  /** config.json model_type, or null when no model is chosen yet. */
  family: string | null;
  task: TrainTask;
  method?: TrainMethod;
  /** The fine-tuning strategy chosen in the form (unset: the recommended one); sets `method` when that is not given. */
  strategy?: FineTuneStrategy;
  /** The offline demo model that ships with the studio. */
  offlineDefault?: boolean;
  /** Rows in the training split (sizes the offline default's epochs); null before a split. */
  trainRows?: number | null;
  maxPositions?: number | null;
  /** Token lengths of the training texts; `measured` false when estimated from characters. */
  lengths?: { p95: number; max: number; measured: boolean } | null;
  /** Tokens the chat template (or special tokens) add per row when `lengths` does not already count them. */
  templateOverhead?: number;
  /** From the memory estimate: bytes that do not grow with batch x tokens, bytes per (row x token), the budget. */
  memory?: { fixedBytes: number; bytesPerRowToken: number; budgetBytes: number } | null;
};

export type Suggestion = { value: number; reason: string };
export type SuggestedDefaults = {
  learningRate: Suggestion;
  epochs: Suggestion;
  maxSeqLength: Suggestion;
  batchSize: Suggestion;
  /** Learning rates for the hyperparameter search: the default and a factor ~3 either side. */
  searchLearningRates: number[];
  searchBatchSizes: number[];
};

const fmt = (x: number) => x.toExponential(0);

const STRATEGY_METHOD: Record<FineTuneStrategy, TrainMethod> = { head: 'head-only', lora: 'lora', 'lora-embeddings': 'lora', full: 'full' };

/** Pretrained models: a few passes (HF Trainer's default is 3); more start to fit the training set harder. */
export const PRETRAINED_EPOCHS = 3;

export function suggestLearningRate(input: Pick<DefaultsInput, 'family' | 'task' | 'method' | 'offlineDefault' | 'strategy'>): Suggestion {
  const method = input.method ?? (input.strategy ? STRATEGY_METHOD[input.strategy] : 'lora');
  const family = input.family ?? '';
  const decoder = DECODER_FAMILIES.has(family) || (input.task !== 'classify' && !ENCODER_FAMILIES.has(family));
  if (input.offlineDefault) {
    // Measured per strategy by bench:quality: a random network needs larger rates, and full fine-tuning collapses at 3e-3.
    const strategy = input.strategy ?? OFFLINE_DEFAULT_STRATEGY;
    const value = OFFLINE_STRATEGY_LEARNING_RATES[strategy];
    return { value, reason: `${fmt(value)}: measured best for the offline demo model with this strategy (random weights, so it needs a larger rate).` };
  }
  if (method === 'head-only') return { value: HEAD_ONLY_LR, reason: `${fmt(HEAD_ONLY_LR)}: only a fresh head trains, so a linear-probe rate.` };
  if (method === 'full') {
    return decoder
      ? { value: DECODER_FULL_LR, reason: `${fmt(DECODER_FULL_LR)}: full fine-tuning of a decoder (SFT recipes use about 1e-5).` }
      : { value: ENCODER_FULL_LR, reason: `${fmt(ENCODER_FULL_LR)}: full fine-tuning of an encoder (BERT paper: 2e-5 to 5e-5).` };
  }
  return decoder
    ? { value: DECODER_LORA_LR, reason: `${fmt(DECODER_LORA_LR)}: decoder LoRA (LLaMA-Factory and AutoTrain use 1e-4 to 2e-4).` }
    : { value: ENCODER_LORA_LR, reason: `${fmt(ENCODER_LORA_LR)}: encoder LoRA (LoRA paper, roberta-base: 4e-4 to 5e-4 at r 8).` };
}

const roundUp8 = (n: number) => Math.max(8, Math.ceil(n / 8) * 8);
const fits = (m: NonNullable<DefaultsInput['memory']>, batch: number, tokens: number) =>
  m.fixedBytes + m.bytesPerRowToken * batch * tokens <= m.budgetBytes * MEMORY_SHARE;

export function suggestMaxTokens(input: DefaultsInput): Suggestion {
  const limit = input.maxPositions && input.maxPositions > 0 ? input.maxPositions : null;
  let value: number;
  let reason: string;
  if (input.task === 'domain') {
    value = DOMAIN_BLOCK_TOKENS;
    reason = `${value}: block size for packed domain text (longer blocks give more context and cost more memory).`;
  } else if (input.lengths && input.lengths.max > 0) {
    const overhead = input.templateOverhead ?? 0;
    const want = input.lengths.p95 + overhead;
    value = roundUp8(want);
    reason = `${value}: 95 % of the ${input.task === 'classify' ? 'texts' : 'examples'} fit (p95 ${input.lengths.p95}${overhead ? ` + ${overhead} template tokens` : ''} tokens${input.lengths.measured ? '' : ', estimated at 4 characters a token'}, longest ${input.lengths.max}).`;
  } else {
    value = FALLBACK_MAX_TOKENS;
    reason = `${value}: no token lengths yet (load data and a model to size it to the texts).`;
  }
  if (limit !== null && value > limit) {
    value = limit;
    reason = `${value}: the model's limit (max_position_embeddings); longer rows are truncated.`;
  }
  const m = input.memory;
  if (m && !fits(m, 1, value)) {
    let t = value;
    while (t > 8 && !fits(m, 1, t)) t = roundUp8(Math.floor(t / 2));
    value = Math.max(8, Math.min(t, value));
    reason = `${value}: the most that fits the memory budget even at batch size 1.`;
  }
  return { value, reason };
}

export function suggestBatchSize(input: DefaultsInput, maxTokens: number): Suggestion {
  const m = input.memory;
  if (!m) return { value: FALLBACK_BATCH_SIZE, reason: `${FALLBACK_BATCH_SIZE}: the usual LoRA batch (no memory estimate yet).` };
  for (const b of BATCH_CHOICES) {
    if (b <= FALLBACK_BATCH_SIZE && fits(m, b, maxTokens)) {
      return {
        value: b,
        reason: `${b}: ${b === FALLBACK_BATCH_SIZE ? 'the usual LoRA batch, and it fits' : 'the largest that fits'} the memory estimate at ${maxTokens} tokens (under ${Math.round(MEMORY_SHARE * 100)} % of the budget).`,
      };
    }
  }
  return { value: 1, reason: `1: even one row of ${maxTokens} tokens is tight in memory; use gradient accumulation for a larger effective batch.` };
}

/** The default, a third and three times it (rounded to one significant digit), ascending. */
export function searchRatesAround(lr: number): number[] {
  const round = (x: number) => Number(x.toPrecision(1));
  return [...new Set([round(lr / 3), lr, round(lr * 3)])].sort((a, b) => a - b);
}

export function suggestEpochs(input: Pick<DefaultsInput, 'offlineDefault' | 'trainRows'>, batchSize: number = FALLBACK_BATCH_SIZE): Suggestion {
  if (input.offlineDefault) {
    // A random network learns per optimizer step, not per pass: small datasets need more passes (bench:quality).
    const { epochs: least, maxEpochs, targetSteps } = OFFLINE_DEFAULT_TRAINING;
    const rows = input.trainRows ?? 0;
    if (rows <= 0)
      return { value: least, reason: `${least}: measured for the offline demo model (load data to size it: it needs about ${targetSteps} steps).` };
    const perEpoch = Math.ceil(rows / Math.max(1, batchSize));
    const value = Math.min(maxEpochs, Math.max(least, Math.ceil(targetSteps / perEpoch)));
    return {
      value,
      reason: `${value}: the offline demo model learns your task from scratch and needs about ${targetSteps} steps (measured); ${perEpoch} steps per epoch on ${rows} training rows${value === maxEpochs ? `, capped at ${maxEpochs} epochs` : ''}.`,
    };
  }
  return {
    value: PRETRAINED_EPOCHS,
    reason: `${PRETRAINED_EPOCHS}: the usual recipe for a pretrained model (early stopping ends it sooner when validation stops improving).`,
  };
}

export function suggestDefaults(input: DefaultsInput): SuggestedDefaults {
  const learningRate = suggestLearningRate(input);
  const maxSeqLength = suggestMaxTokens(input);
  const batchSize = suggestBatchSize(input, maxSeqLength.value);
  const epochs = suggestEpochs(input, batchSize.value);
  const b = batchSize.value;
  return {
    learningRate,
    epochs,
    maxSeqLength,
    batchSize,
    searchLearningRates: searchRatesAround(learningRate.value),
    searchBatchSizes: [...new Set([Math.max(1, b / 2), b])].filter((x) => Number.isInteger(x)),
  };
}

/** Nearest-rank percentile of positive lengths (0 when none). */
export function percentile(values: ArrayLike<number>, p: number): number {
  const xs = Array.from(values)
    .filter((v) => v > 0)
    .sort((a, b) => a - b);
  if (xs.length === 0) return 0;
  return xs[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))];
}

/**
 * Memory inputs from an estimate made at (batch, tokens): activations and the LM loss's [tokens, vocab] tensors
 * scale with batch x tokens, the rest does not.
 */
export function memoryFromEstimate(
  e: { totalBytes: number; activationBytes: number; lossBytes?: number; limits: { memoryBudget: number } },
  batch: number,
  tokens: number,
): DefaultsInput['memory'] {
  const rowTokens = Math.max(1, batch * tokens);
  const scaling = e.activationBytes + (e.lossBytes ?? 0);
  return { fixedBytes: Math.max(0, e.totalBytes - scaling), bytesPerRowToken: scaling / rowTokens, budgetBytes: e.limits.memoryBudget };
}
