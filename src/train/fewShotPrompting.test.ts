// Tests for train/fewShotPrompting.ts: the documented prompt format, shot selection, label tokens with the
// leading space (gpt2 BPE, llama SentencePiece), and end-to-end runs on the gpt2 / llama fixture models with their
// real tokenizers folded into the fixture vocabulary (random weights: predictions are checked against an independent
// full-forward argmax and the metrics against the predictions, not against a target accuracy).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../data/csv';
import type { InstructionExample } from '../data/instructionData';
import { resolveChatTemplate } from '../tokenize/chatFormat';
import { loadTokenizer, specialFrame, type PreTrainedTokenizer } from '../tokenize/tokenizer';
import { classificationMetrics } from './metrics';
import { loadReferenceFixture, loadReferenceModel, useCpuBackend } from '../test/fixtures';
import { remapTokenizer } from '../test/remapTokenizer';
import {
  fewShotClassify,
  fewShotConversation,
  fewShotInstructionEval,
  formatClassificationPrompt,
  labelTokenIds,
  selectShotsPerClass,
  type LabeledText,
} from './fewShotPrompting';

const TOK = '/work/shared/fixtures/tokenizers';
let gpt2: PreTrainedTokenizer;
let llama: PreTrainedTokenizer;

// Real texts: three CLINC150 intents.
const clinc = (() => {
  const t = parseCsv(readFileSync('/work/shared/datasets/clinc150.csv', 'utf8'));
  if (!t.ok) throw new Error(t.error.message);
  const keep = new Set(['translate', 'transfer', 'timer']);
  return t.value.rows.filter((r) => keep.has(r[1])).map((r) => ({ text: r[0], label: r[1] }) as LabeledText);
})();
const labels = ['translate', 'transfer', 'timer'];
const byLabel = (l: string) => clinc.filter((x) => x.label === l);
const train = labels.flatMap((l) => byLabel(l).slice(0, 6));
const validation = labels.flatMap((l) => byLabel(l).slice(6, 9));

beforeAll(async () => {
  await useCpuBackend();
  gpt2 = await loadTokenizer({ localPath: join(TOK, 'gpt2') });
  llama = await loadTokenizer({ localPath: join(TOK, 'llama-2') });
});

describe('prompt format', () => {
  it('is exactly the documented layout', () => {
    const shots = [
      { text: 'great film', label: 'positive' },
      { text: 'boring\nand  long', label: 'negative' },
    ];
    expect(formatClassificationPrompt(shots, 'what a ride', ['positive', 'negative'])).toBe(
      'Classify each text into one of these labels: positive, negative.\n\n' +
        'Text: great film\nLabel: positive\n\n' +
        'Text: boring and long\nLabel: negative\n\n' +
        'Text: what a ride\nLabel:',
    );
    expect(formatClassificationPrompt([], 'x', ['a', 'b'], 'Pick {labels}:')).toBe('Pick a, b:\n\nText: x\nLabel:');
  });

  it('selects k per class, seeded', () => {
    const s = selectShotsPerClass(train, labels, 2, 5);
    expect(s).toHaveLength(6);
    for (const l of labels) expect(s.filter((x) => x.label === l)).toHaveLength(2);
    expect(selectShotsPerClass(train, labels, 2, 5)).toEqual(s);
    expect(selectShotsPerClass(train, labels, 100, 5)).toHaveLength(train.length);
  });

  it('reads label tokens with the leading space, for BPE and SentencePiece', () => {
    const g = labelTokenIds(gpt2, ['positive', 'negative', 'credit_limit', 'credit_score']);
    expect(g.ids[0]).toEqual(gpt2.encode(' positive'));
    expect(g.ids[1]).toEqual(gpt2.encode(' negative'));
    expect(g.collisions).toEqual([['credit_limit', 'credit_score']]);
    const l = labelTokenIds(llama, ['positive']);
    // "Label: positive" ends with the word-initial piece "▁positive", not "▁" + "positive".
    expect(l.ids[0]).toEqual(llama.encode('positive', { add_special_tokens: false }));
    expect(l.ids[0]).toHaveLength(1);
  });

  it('puts the shots before the query as earlier turns', () => {
    const q: InstructionExample = {
      kind: 'chat',
      row: 9,
      messages: [
        { role: 'system', content: 'S' },
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: 'A' },
      ],
    };
    const s: InstructionExample = { kind: 'prompt-completion', prompt: 'q1', completion: 'a1', row: 1 };
    expect(fewShotConversation([s], q)).toEqual([
      { role: 'system', content: 'S' },
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: 'A' },
    ]);
  });
});

describe.each([
  ['gpt2', () => remapTokenizer(gpt2, 1000, 999)],
  ['llama', () => remapTokenizer(llama, 1000, 2)],
] as const)('%s fixture model', (name, tokenizer) => {
  const fx = loadReferenceFixture(name);

  it('k-shot classification returns valid predictions and metrics (both scorings)', async () => {
    const model = loadReferenceModel(fx);
    const before = tf.memory().numTensors;
    for (const scoring of ['first-token', 'full-label'] as const) {
      const r = await fewShotClassify(model, tokenizer(), train, validation, labels, { k: 2, seed: 1, scoring });
      expect(r.n).toBe(validation.length);
      expect(r.predictions.every((p) => p >= 0 && p < labels.length)).toBe(true);
      // The metrics are those of the predictions against the true labels (not merely numbers in [0, 1]).
      const truth = validation.map((v) => labels.indexOf(v.label));
      expect(r.accuracy).toBe(truth.filter((t, i) => t === r.predictions[i]).length / truth.length);
      expect(r.macroF1).toBeCloseTo(classificationMetrics(truth, r.predictions, labels.length).macroF1, 12);
      // Each prediction is the label whose first token scores highest after the prompt, recomputed here with a
      // plain full forward pass (no KV cache), for the first-token scoring; the cached path must agree.
      if (scoring === 'first-token') {
        const tok = tokenizer();
        const firsts = labelTokenIds(tok, labels).ids.map((t) => t[0]);
        const independent = validation.map((v) => {
          const prefix = specialFrame(tok).prefix;
          const full = [...prefix, ...tok.encode(formatClassificationPrompt(r.shots, v.text, labels), { add_special_tokens: false })];
          // Prompts longer than the context keep their end (the query), as documented.
          const room = model.config.maxTokens;
          const ids = full.length > room ? [...prefix, ...full.slice(full.length - (room - prefix.length))] : full;
          const last = tf.tidy(() => {
            const out = model.forward(
              { inputIds: tf.tensor2d(ids, [1, ids.length], 'int32'), attentionMask: tf.ones([1, ids.length]) },
              { adapter: null, training: false, keepHiddenStates: false },
            );
            return tf.reshape(tf.slice(out.logits, [0, ids.length - 1, 0], [1, 1, -1]), [-1]);
          });
          const row = last.dataSync();
          last.dispose();
          return firsts.reduce((best, id, c) => (row[id] > row[firsts[best]] ? c : best), 0);
        });
        expect(r.predictions).toEqual(independent);
      }
      expect(r.scoring).toBe(scoring);
      expect(r.shots).toHaveLength(6);
      expect(r.examplePrompt.startsWith('Classify each text into one of these labels: translate, transfer, timer.\n\nText: ')).toBe(true);
      expect(r.examplePrompt.endsWith(`Text: ${validation[0].text}\nLabel:`)).toBe(true);
      console.log(`[few-shot] ${name} ${scoring}: accuracy ${r.accuracy.toFixed(3)}, macro-F1 ${r.macroF1.toFixed(3)} on ${r.n} (random weights)`);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('k-shot instruction data: completion loss / perplexity / accuracy, shots dropped to fit', async () => {
    const model = loadReferenceModel(fx);
    const tok = tokenizer();
    const asInstr = (xs: LabeledText[]): InstructionExample[] =>
      xs.map((x, i) => ({ kind: 'prompt-completion', prompt: x.text, completion: x.label, row: i + 1 }));
    const template = resolveChatTemplate(tok);
    const zero = await fewShotInstructionEval(model, tok, asInstr(train), asInstr(validation), { k: 0, template, maxLength: 128 });
    const three = await fewShotInstructionEval(model, tok, asInstr(train), asInstr(validation), { k: 3, template, maxLength: 128 });
    for (const r of [zero, three]) {
      expect(Number.isFinite(r.loss) && r.loss > 0).toBe(true);
      expect(r.perplexity).toBeCloseTo(Math.exp(r.loss), 8);
      expect(r.tokenAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.completionCut).toBe(0);
    }
    // The scored tokens are the completions (label + EOS) only, the same with or without shots.
    expect(three.tokens).toBe(zero.tokens);
    expect(three.meanShotsUsed).toBeGreaterThan(0);
    expect(three.meanShotsUsed).toBeLessThanOrEqual(3);
    expect(three.examplePrompt.split('### Instruction:').length - 1).toBeGreaterThanOrEqual(2);
    expect(zero.examplePrompt).toBe(`### Instruction:\n${validation[0].text}\n\n### Response:\n`);
    expect(three.examplePrompt.endsWith(`### Instruction:\n${validation[0].text}\n\n### Response:\n`)).toBe(true);
    const tight = await fewShotInstructionEval(model, tok, asInstr(train), asInstr(validation), { k: 3, template, maxLength: 40 });
    expect(tight.meanShotsUsed).toBeLessThan(three.meanShotsUsed);
    console.log(
      `[few-shot] ${name} instruction: 0-shot loss ${zero.loss.toFixed(3)}, 3-shot loss ${three.loss.toFixed(3)} (mean shots ${three.meanShotsUsed.toFixed(2)}), ${zero.tokens} completion tokens`,
    );
    model.dispose();
  });
});
