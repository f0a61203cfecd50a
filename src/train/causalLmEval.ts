// Causal-LM validation metrics: loss (token-weighted mean NLL over targets != -100), perplexity = exp(loss),
// token-level accuracy of the next-token argmax on the same targets (the completion tokens when the prompt is
// masked), and exact match of greedy completions on a sample (model/generate). tfjs-core, model/, lib/.
import * as tf from '@tensorflow/tfjs-core';
import { createRng, shuffled } from '../lib/rng';
import { generate } from '../model/generate';
import type { LoraAdapter } from '../model/lora';
import type { SequenceModel } from '../model/types';
import { IGNORE_INDEX, shiftLabels } from './causalLmLoss';
import type { CausalLmBatch } from './causalLmStep';

export type LmEvalTotals = { nllSum: number; correct: number; tokens: number };
export type LmEvalResult = {
  /** Mean NLL per target token (nats); 0 with no targets. */
  loss: number;
  /** exp(loss). */
  perplexity: number;
  /** Share of targets where argmax of the previous position's logits is the target. */
  tokenAccuracy: number;
  /** Targets counted. */
  tokens: number;
};

/** Sum of NLL, number of correct argmax predictions and of targets for one batch (eval mode, no dropout). */
export async function lmBatchTotals(model: SequenceModel, adapter: LoraAdapter | null, batch: CausalLmBatch): Promise<LmEvalTotals> {
  if (model.task !== 'CAUSAL_LM') throw new Error(`assertion failed: a ${model.task} model has no LM head; load it with task CAUSAL_LM`);
  const { B, T } = batch;
  const { targets, count } = shiftLabels(batch.labels, B, T);
  if (count === 0) return { nllSum: 0, correct: 0, tokens: 0 };
  const rows: number[] = [];
  const wanted: number[] = [];
  targets.forEach((y, i) => {
    if (y === IGNORE_INDEX) return;
    rows.push(i);
    wanted.push(y);
  });
  const [nll, hits] = tf.tidy(() => {
    const inputs = {
      inputIds: tf.tensor2d(batch.inputIds, [B, T], 'int32'),
      attentionMask: tf.tensor2d(Float32Array.from(batch.attentionMask), [B, T], 'float32'),
    };
    const logits = model.forward(inputs, { adapter, training: false, keepHiddenStates: false }).logits as tf.Tensor3D; // [B, T, V]
    const V = logits.shape[2];
    const picked = tf.gather(tf.reshape(logits, [B * T, V]), tf.tensor1d(rows, 'int32')); // [M, V]
    const logProbs = tf.logSoftmax(picked, 1); // [M, V]
    const y = tf.tensor1d(wanted, 'int32'); // [M]
    const flat = tf.tensor1d(
      wanted.map((t, m) => m * V + t),
      'int32',
    ); // [M], index of each target's log-prob
    const nllSum = tf.neg(tf.sum(tf.gather(tf.reshape(logProbs, [rows.length * V]), flat)));
    const correct = tf.sum(tf.cast(tf.equal(tf.argMax(picked, 1), y), 'int32'));
    return [nllSum, correct];
  });
  const [n, c] = await Promise.all([nll.data(), hits.data()]);
  tf.dispose([nll, hits]);
  return { nllSum: n[0], correct: c[0], tokens: count };
}

export function lmEvalResult(t: LmEvalTotals): LmEvalResult {
  const loss = t.tokens > 0 ? t.nllSum / t.tokens : 0;
  return { loss, perplexity: Math.exp(loss), tokenAccuracy: t.tokens > 0 ? t.correct / t.tokens : 0, tokens: t.tokens };
}

/** Validation loss / perplexity / token accuracy over batches, weighted by target tokens (not by batch). */
export async function evaluateLm(model: SequenceModel, adapter: LoraAdapter | null, batches: Iterable<CausalLmBatch>): Promise<LmEvalResult> {
  const total: LmEvalTotals = { nllSum: 0, correct: 0, tokens: 0 };
  for (const b of batches) {
    const t = await lmBatchTotals(model, adapter, b);
    total.nllSum += t.nllSum;
    total.correct += t.correct;
    total.tokens += t.tokens;
  }
  return lmEvalResult(total);
}

export type ExactMatchSample = { promptIds: number[]; completionIds: number[] };
export type ExactMatchItem = { generated: number[]; target: number[]; match: boolean; stopReason: string };
export type ExactMatchResult = { exactMatch: number; n: number; items: ExactMatchItem[] };

/** Prompt/completion ids of a tokenized row (lmTokenize's LmRow): the split the prompt mask used. */
export const exactMatchSample = (row: { inputIds: readonly number[]; promptLength: number }): ExactMatchSample => ({
  promptIds: row.inputIds.slice(0, row.promptLength),
  completionIds: row.inputIds.slice(row.promptLength),
});

/** k items drawn without replacement with a seeded shuffle (all of them when k >= n). */
export const sampleItems = <T>(items: readonly T[], k: number, seed: number): T[] => shuffled(items, createRng(seed)).slice(0, k);

/**
 * Greedy completion of each prompt, compared with the target completion (its EOS removed). The model must
 * produce exactly the target and then stop: at most target + 1 new tokens are generated, and the match needs
 * EOS right after the target. With `decode`, texts are compared after trimming whitespace instead of ids.
 */
export async function exactMatchEval(
  model: SequenceModel,
  adapter: LoraAdapter | null,
  samples: readonly ExactMatchSample[],
  options: { eosTokenIds: readonly number[]; strength?: number; decode?: (ids: number[]) => string },
): Promise<ExactMatchResult> {
  const eos = new Set(options.eosTokenIds);
  const items: ExactMatchItem[] = [];
  for (const s of samples) {
    const target = s.completionIds.slice();
    while (target.length > 0 && eos.has(target[target.length - 1])) target.pop();
    const out = await generate(model, s.promptIds, {
      maxNewTokens: target.length + 1,
      greedy: true,
      eosTokenIds: options.eosTokenIds,
      adapter,
      strength: options.strength,
    });
    const stopped = out.stopReason === 'eos';
    const same = options.decode
      ? options.decode(out.tokens).trim() === options.decode(target).trim()
      : out.tokens.length === target.length && out.tokens.every((id, i) => id === target[i]);
    items.push({ generated: out.tokens, target, match: stopped && same, stopReason: out.stopReason });
  }
  const hits = items.filter((i) => i.match).length;
  return { exactMatch: items.length > 0 ? hits / items.length : 0, n: items.length, items };
}
