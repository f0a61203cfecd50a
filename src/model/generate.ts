// Text generation for CAUSAL_LM decoders (gpt2, llama, qwen2): greedy or sampled decoding (temperature, top-k,
// top-p, seeded), stop on EOS / max new tokens / context end, with a KV cache (model.forwardStep) or, for checks,
// by recomputing the whole sequence each step. Streams token ids (async generator); the LoRA adapter is applied at
// a chosen strength. tfjs-core, lib/ and model/ only: runs in the worker.
import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Rng } from '../lib/rng';
import { disposeKvCache } from './kvCache';
import type { LoraAdapter } from './lora';
import type { KvCache, SequenceModel } from './types';

export type SamplingOptions = {
  /** Upper bound on generated tokens (EOS not counted). */
  maxNewTokens: number;
  /** Softmax temperature; 0 (or greedy: true) means greedy argmax. Default 1. */
  temperature?: number;
  greedy?: boolean;
  /** Keep only the k most likely tokens before sampling; 0 or undefined = off. */
  topK?: number;
  /** Nucleus sampling: keep the smallest set of tokens whose probability sums to >= topP; 1 or undefined = off. */
  topP?: number;
  /** Seeds the sampling RNG (lib/rng mulberry32); the same seed gives the same tokens. Default 0. */
  seed?: number;
  /** Generation stops when one of these is produced (it is not returned). Usually [tokenizer.eos_token_id]. */
  eosTokenIds?: readonly number[];
};

export type GenerateOptions = SamplingOptions & {
  /** LoRA adapter to apply (null/undefined: the base model). */
  adapter?: LoraAdapter | null;
  /** Multiplier on the LoRA update for this generation, 0..1 (default: adapter.strength). Restored afterwards. */
  strength?: number;
  /** true (default): KV cache; false: recompute the full sequence every step (slow; the reference for tests). */
  useCache?: boolean;
  /** Stops generation between steps (stopReason 'aborted'). */
  signal?: AbortSignal;
};

export type StopReason = 'eos' | 'max-new-tokens' | 'context-full' | 'aborted';

export type GenerateResult = {
  /** Generated ids, without the prompt and without the stopping EOS. */
  tokens: number[];
  stopReason: StopReason;
  promptTokens: number;
  /** Wall time of the first step (prompt prefill + first token) and of the whole generation, ms. */
  prefillMs: number;
  totalMs: number;
  /** Generated tokens (EOS included when it stopped generation) per second of totalMs. */
  tokensPerSecond: number;
};

/**
 * Next token from one row of logits [V]: greedy argmax (first max, as torch.argmax) when temperature is 0 or
 * greedy is set; else HF's order: logits / temperature, top-k, softmax, top-p (at least one token kept), draw.
 */
export function pickNextToken(logits: Float32Array, options: SamplingOptions, rng: Rng): number {
  const V = logits.length;
  const temperature = options.temperature ?? 1;
  if (options.greedy || temperature <= 0) return argmax(logits);
  let idx = Array.from({ length: V }, (_, i) => i);
  const scaled = new Float64Array(V);
  for (let i = 0; i < V; i++) scaled[i] = logits[i] / temperature;
  idx.sort((a, b) => scaled[b] - scaled[a] || a - b); // most likely first, ties by id
  const topK = options.topK ?? 0;
  if (topK > 0 && topK < V) idx = idx.slice(0, topK);
  const max = scaled[idx[0]];
  const weights = idx.map((i) => Math.exp(scaled[i] - max));
  const total = weights.reduce((s, w) => s + w, 0);
  let probs = weights.map((w) => w / total);
  const topP = options.topP ?? 1;
  if (topP < 1) {
    let cum = 0;
    let keep = 0;
    while (keep < probs.length && (keep === 0 || cum < topP)) cum += probs[keep++];
    idx = idx.slice(0, keep);
    probs = probs.slice(0, keep).map((p) => p / cum);
  }
  let u = rng.next();
  for (let j = 0; j < idx.length; j++) {
    u -= probs[j];
    if (u < 0) return idx[j];
  }
  return idx[idx.length - 1];
}

function argmax(x: Float32Array): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
  return best;
}

/** Run fn with adapter.strength temporarily set (synchronous, so interleaved generations cannot see it). */
function withStrength<T>(adapter: LoraAdapter | null, strength: number | undefined, fn: () => T): T {
  if (!adapter || strength === undefined) return fn();
  const saved = adapter.strength;
  adapter.strength = strength;
  try {
    return fn();
  } finally {
    adapter.strength = saved;
  }
}

/**
 * Streams generated token ids (the stopping EOS is not yielded) and returns the GenerateResult. Breaking out of
 * the loop early disposes the cache. Throws for a non-CAUSAL_LM model, an empty prompt or one that fills the context.
 */
export async function* generateStream(model: SequenceModel, promptIds: readonly number[], options: GenerateOptions): AsyncGenerator<number, GenerateResult> {
  if (model.task !== 'CAUSAL_LM' || !model.forwardStep)
    throw new Error(`generation needs a causal LM; this ${model.family} model was loaded for ${model.task}`);
  if (promptIds.length === 0) throw new Error('generation needs at least one prompt token (add the BOS token for an empty prompt)');
  const maxTokens = model.config.maxTokens;
  if (promptIds.length >= maxTokens) throw new Error(`the prompt has ${promptIds.length} tokens; the model's context holds ${maxTokens}: shorten it`);
  const adapter = options.adapter ?? null;
  const useCache = options.useCache ?? true;
  const eos = new Set(options.eosTokenIds ?? []);
  const rng = createRng(options.seed ?? 0);
  const V = model.config.vocabSize;
  const forwardStep = model.forwardStep.bind(model);
  const sequence = Array.from(promptIds);
  const tokens: number[] = [];
  let cache: KvCache | null = null;
  let stopReason: StopReason = 'max-new-tokens';
  let produced = 0;
  const t0 = performance.now();
  let prefillMs = 0;
  try {
    while (tokens.length < options.maxNewTokens) {
      if (options.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      if (sequence.length >= maxTokens) {
        stopReason = 'context-full';
        break;
      }
      let last: tf.Tensor1D;
      if (useCache) {
        const fresh = cache ? sequence.slice(cache.length) : sequence;
        const past: KvCache | null = cache;
        const out = withStrength(adapter, options.strength, () =>
          tf.tidy(() => {
            const step = forwardStep(tf.tensor2d(fresh, [1, fresh.length], 'int32'), past, { adapter });
            const row = tf.reshape(tf.slice(step.logits, [0, fresh.length - 1, 0], [1, 1, V]), [V]) as tf.Tensor1D; // [V]
            return { row, cache: step.cache };
          }),
        );
        disposeKvCache(past);
        cache = out.cache;
        last = out.row;
      } else {
        const T = sequence.length;
        last = withStrength(adapter, options.strength, () =>
          tf.tidy(() => {
            const ids = tf.tensor2d(sequence, [1, T], 'int32');
            const { logits } = model.forward({ inputIds: ids, attentionMask: tf.ones([1, T]) as tf.Tensor2D }, { adapter, keepHiddenStates: false });
            return tf.reshape(tf.slice(logits, [0, T - 1, 0], [1, 1, V]), [V]) as tf.Tensor1D; // [V]
          }),
        );
      }
      const row = (await last.data()) as Float32Array;
      last.dispose();
      const next = pickNextToken(row, options, rng);
      produced++;
      if (produced === 1) prefillMs = performance.now() - t0;
      if (eos.has(next)) {
        stopReason = 'eos';
        break;
      }
      tokens.push(next);
      sequence.push(next);
      yield next;
    }
  } finally {
    disposeKvCache(cache);
  }
  const totalMs = performance.now() - t0;
  return { tokens, stopReason, promptTokens: promptIds.length, prefillMs, totalMs, tokensPerSecond: totalMs > 0 ? (produced * 1000) / totalMs : 0 };
}

/** Generate to the end; onToken is called with each id as it is produced (index = position in `tokens`). */
export async function generate(
  model: SequenceModel,
  promptIds: readonly number[],
  options: GenerateOptions,
  onToken?: (id: number, index: number) => void,
): Promise<GenerateResult> {
  const it = generateStream(model, promptIds, options);
  let index = 0;
  for (;;) {
    const r = await it.next();
    if (r.done) return r.value;
    onToken?.(r.value, index++);
  }
}
