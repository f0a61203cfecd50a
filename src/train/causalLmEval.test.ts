// Tests for train/causalLmEval.ts on the HF fixtures: loss = expected loss, perplexity = exp(loss), token accuracy
// against a plain-JS argmax over the reference logits, token-weighted means across batches, and exact match.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../model/generate';
import { loadReferenceFixture, loadReferenceModel, relLossCheck, useCpuBackend } from '../test/fixtures';
import { IGNORE_INDEX } from './causalLmLoss';
import type { CausalLmBatch } from './causalLmStep';
import { evaluateLm, exactMatchEval, exactMatchSample, sampleItems } from './causalLmEval';

beforeAll(useCpuBackend);

describe.each(['gpt2', 'llama', 'qwen2'] as const)('%s causal-LM eval', (name) => {
  const fx = loadReferenceFixture(name);
  const batch: CausalLmBatch = fx.batch;

  it('loss, perplexity and token accuracy on the reference batch', async () => {
    const model = loadReferenceModel(fx);
    const before = tf.memory().numTensors;
    const r = await evaluateLm(model, null, [batch]);
    expect(tf.memory().numTensors).toBe(before);
    expect(relLossCheck(name, 'eval loss', r.loss, fx.expected.loss)).toBeLessThanOrEqual(1e-5);
    expect(r.perplexity).toBeCloseTo(Math.exp(r.loss), 10);
    // Token accuracy by hand from the reference logits (expected.safetensors).
    const logits = fx.expectedTensors.get('logits')!;
    const [B, T, V] = logits.shape;
    let hits = 0;
    let count = 0;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T - 1; t++) {
        const y = batch.labels[b * T + t + 1];
        if (y === IGNORE_INDEX) continue;
        let best = 0;
        const off = (b * T + t) * V;
        for (let v = 1; v < V; v++) if (logits.data[off + v] > logits.data[off + best]) best = v;
        hits += best === y ? 1 : 0;
        count++;
      }
    }
    expect(r.tokens).toBe(count);
    expect(r.tokenAccuracy).toBeCloseTo(hits / count, 12);
    // Labels set to the reference argmax on even positions (and a wrong id on odd ones): accuracy is their share.
    const argmaxLabels = new Int32Array(B * T).fill(IGNORE_INDEX);
    let even = 0;
    let odd = 0;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t + 1 < fx.batch.attentionMask.slice(b * T, (b + 1) * T).reduce((a, m) => a + m, 0); t++) {
        let best = 0;
        const off = (b * T + t) * V;
        for (let v = 1; v < V; v++) if (logits.data[off + v] > logits.data[off + best]) best = v;
        argmaxLabels[b * T + t + 1] = t % 2 === 0 ? best : (best + 1) % V;
        if (t % 2 === 0) even++;
        else odd++;
      }
    }
    const acc = await evaluateLm(model, null, [{ ...batch, labels: argmaxLabels }]);
    expect(acc.tokens).toBe(even + odd);
    expect(acc.tokenAccuracy).toBeCloseTo(even / (even + odd), 12);
    console.log(`[eval] ${name}: loss ${r.loss.toFixed(6)}, ppl ${r.perplexity.toFixed(2)}, token acc ${r.tokenAccuracy.toFixed(3)} over ${r.tokens} targets`);
    // Split into one batch per row: the token-weighted mean is the same.
    const rows: CausalLmBatch[] = Array.from({ length: B }, (_, b) => ({
      B: 1,
      T,
      inputIds: batch.inputIds.slice(b * T, (b + 1) * T),
      attentionMask: batch.attentionMask.slice(b * T, (b + 1) * T),
      labels: batch.labels.slice(b * T, (b + 1) * T),
    }));
    const split = await evaluateLm(model, null, rows);
    expect(split.tokens).toBe(r.tokens);
    expect(Math.abs(split.loss - r.loss) / r.loss).toBeLessThan(1e-5);
    expect(split.tokenAccuracy).toBe(r.tokenAccuracy);
    model.dispose();
  });

  it("exact match: 1 for the model's own greedy continuation + EOS, 0 otherwise", async () => {
    const model = loadReferenceModel(fx);
    const prompt = Array.from(fx.batch.inputIds.subarray(0, 5));
    const own = await generate(model, prompt, { maxNewTokens: 4, greedy: true });
    // Declare an id the model does not produce next as EOS, so the target is "own tokens" and the stop is checked.
    const wrongEos = (own.tokens[0] + 1) % model.config.vocabSize;
    const row = { inputIds: [...prompt, ...own.tokens, wrongEos], promptLength: prompt.length };
    const sample = exactMatchSample(row);
    expect(sample.completionIds).toEqual([...own.tokens, wrongEos]);
    const r = await exactMatchEval(model, null, [sample], { eosTokenIds: [wrongEos] });
    // The model generates own.tokens then its 5th greedy token, which is not EOS unless it happens to be wrongEos.
    const fifth = (await generate(model, prompt, { maxNewTokens: 5, greedy: true })).tokens[4];
    expect(r.items[0].match).toBe(fifth === wrongEos);
    // With the real 5th token declared EOS, the completion matches exactly.
    const ok = await exactMatchEval(model, null, [exactMatchSample({ inputIds: [...prompt, ...own.tokens, fifth], promptLength: 5 })], {
      eosTokenIds: [fifth],
    });
    expect(own.tokens.includes(fifth) ? 'skip' : ok.exactMatch).toBe(own.tokens.includes(fifth) ? 'skip' : 1);
    // A different target does not match.
    const bad = await exactMatchEval(model, null, [{ promptIds: prompt, completionIds: [(own.tokens[0] + 7) % 1000, fifth] }], { eosTokenIds: [fifth] });
    expect(bad.exactMatch).toBe(0);
    expect(sampleItems([1, 2, 3, 4, 5], 3, 1)).toHaveLength(3);
    expect(sampleItems([1, 2, 3, 4, 5], 3, 1)).toEqual(sampleItems([1, 2, 3, 4, 5], 3, 1));
    model.dispose();
  });
});
