// Prompt masking against the HF reference batches (gpt2, llama, qwen2): labels built with tokenize/lmTokenize's
// masking (prompt = first 3 tokens) and collation (-100 on padding) equal inputs.json exactly, and the causal-LM
// loss with them reproduces expected.json loss (base), adapter/expected.json loss and train_step losses[0].
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { tryImportPeftAdapter } from '../model/peftAdapter';
import { collateLmRows, maskPromptLabels } from '../tokenize/lmTokenize';
import { loadReferenceFixture, loadReferenceModel, readFixtureJson, relLossCheck, useCpuBackend } from '../test/fixtures';
import { causalLmLoss } from './causalLmLoss';
import { evaluateLm } from './causalLmEval';

beforeAll(useCpuBackend);

describe.each(['gpt2', 'llama', 'qwen2'] as const)('%s prompt masking', (name) => {
  const fx = loadReferenceFixture(name);
  const inputs = readFixtureJson<{ input_ids: number[][]; labels: number[][]; lengths: number[]; pad_token_id: number }>(`reference/${name}/inputs.json`);
  // The unpadded rows, masked like a 3-token prompt, then padded again.
  const rows = inputs.input_ids.map((ids, b) => {
    const real = ids.slice(0, inputs.lengths[b]);
    return { inputIds: real, labels: maskPromptLabels(real, 3) };
  });
  const batch = collateLmRows(rows, inputs.pad_token_id);

  it('rebuilds input_ids, attention_mask and labels of inputs.json exactly', () => {
    expect([batch.B, batch.T]).toEqual([fx.batch.B, fx.batch.T]);
    expect(Array.from(batch.inputIds)).toEqual(Array.from(fx.batch.inputIds));
    expect(Array.from(batch.attentionMask)).toEqual(Array.from(fx.batch.attentionMask));
    expect(Array.from(batch.labels)).toEqual(inputs.labels.flat());
  });

  it('gives the reference base loss, adapter loss and train_step losses[0]', async () => {
    const model = loadReferenceModel(fx);
    const adapter = tryImportPeftAdapter(model, fx.adapterFiles);
    if (!adapter.ok) throw new Error(adapter.error);
    const lossOf = (a: typeof adapter.value | null) =>
      tf.tidy(() => {
        const logits = model.forward(
          {
            inputIds: tf.tensor2d(batch.inputIds, [batch.B, batch.T], 'int32'),
            attentionMask: tf.tensor2d(Float32Array.from(batch.attentionMask), [batch.B, batch.T]),
          },
          { adapter: a, keepHiddenStates: false },
        ).logits as tf.Tensor3D;
        return causalLmLoss(logits, batch.labels).dataSync()[0];
      });
    expect(relLossCheck(name, 'masked labels: base loss', lossOf(null), fx.expected.loss)).toBeLessThanOrEqual(1e-5);
    expect(relLossCheck(name, 'masked labels: adapter loss', lossOf(adapter.value), fx.adapterExpected.loss)).toBeLessThanOrEqual(1e-5);
    expect(relLossCheck(name, 'masked labels: train_step losses[0]', lossOf(adapter.value), fx.trainStep.losses[0])).toBeLessThanOrEqual(1e-5);
    // The eval path (token-weighted, one batch = the same mean) agrees too.
    const ev = await evaluateLm(model, adapter.value, [batch]);
    expect(relLossCheck(name, 'evaluateLm loss', ev.loss, fx.trainStep.losses[0])).toBeLessThanOrEqual(1e-5);
    adapter.value.dispose();
    model.dispose();
  });
});
