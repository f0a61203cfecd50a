// Candidate sizes / strategies / learning rates for the offline default, measured through the studio's own
// training code on tfjs wasm in Node (the random BERT makeDefaultModel.ts writes, with the bert-base-uncased tokenizer, the studio's seeded group
// split 90/10, LoRA r8 q/v, AdamW wd 0.01, linear schedule with 6% warm-up, clip 1.0). Prints one result line.
// Usage (bundled: tfjs-core's gradient imports need it): npm run bench:quality-candidates -- scripts/qualityCandidates.ts --dataset clinc150 --rows 3000 --hidden 128 --strategy full --lr 1e-3 --epochs 3
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { dirname } from 'node:path';
import Papa from 'papaparse';
import { stratifiedSubsample } from './lib/stratifiedSubsample';
import { buildSplitGroups, groupStratifiedSplit } from '../src/data/groupSplit';
import { sortLabelNames } from '../src/data/dataset';
import { tryParseModelConfig, withLabels } from '../src/model/config';
import { tryLoadModel } from '../src/model/loadModel';
import { tryCreateLoraAdapter } from '../src/model/lora';
import { tryApplyStrategy, type FineTuneStrategy } from '../src/model/strategy';
import { bertConfig, initBertWeights } from './lib/bertModel';
import { registerWasmFastSlice } from '../src/model/kernels/wasmSlice';
import { registerWasmUnsortedSegmentSum } from '../src/model/wasmKernels';
import { tokenizerFromJson } from '../src/tokenize/tokenizerFromFiles';
import { encodeOne } from '../src/tokenize/tokenizer';
import { createAdamW } from '../src/train/adamw';
import { epochOrder, padBatch, type TokenizedExample } from '../src/train/batches';
import { evaluateLogits, trainStep } from '../src/train/classifierStep';
import { learningRateAt } from '../src/train/lrSchedule';
import { classificationMetrics } from '../src/train/metrics';

const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / Math.max(1, xs.length);

async function main(): Promise<void> {
  const { values: a } = parseArgs({
    options: {
      dataset: { type: 'string', default: 'sentiment_sentences' },
      rows: { type: 'string', default: '2000' },
      hidden: { type: 'string', default: '128' },
      layers: { type: 'string', default: '4' },
      strategy: { type: 'string', default: 'full' },
      lr: { type: 'string', default: '1e-3' },
      epochs: { type: 'string', default: '3' },
      maxlen: { type: 'string', default: '64' },
      std: { type: 'string', default: '0.02' },
      batch: { type: 'string', default: '16' },
      dropout: { type: 'string', default: '0.1' },
      targets: { type: 'string', default: 'query,value' },
      vstd: { type: 'string' },
    },
  });
  const C = Number(a.hidden);
  const dims = { vocabSize: 30522, hidden: C, layers: Number(a.layers), heads: C / 32, intermediate: 4 * C, maxPositions: 128 };

  setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
  registerWasmUnsortedSegmentSum();
  registerWasmFastSlice();
  await tf.setBackend('wasm');

  const root = new URL(`file://${process.cwd()}/`); // run from the repository root (the script is bundled elsewhere)
  const dir = new URL('public/models/studio-mini-bert/', root);
  const tokenizer = tokenizerFromJson(
    JSON.parse(readFileSync(new URL('tokenizer.json', dir), 'utf8')),
    JSON.parse(readFileSync(new URL('tokenizer_config.json', dir), 'utf8')),
  );
  const [, ...all] = Papa.parse<string[]>(readFileSync(new URL(`../shared/datasets/${a.dataset}.csv`, root), 'utf8'), { skipEmptyLines: true }).data;

  const rows = stratifiedSubsample(all, Number(a.rows));
  const texts = rows.map((r) => r[0]);
  const labels = rows.map((r) => r[1]);
  const split = groupStratifiedSplit(labels, buildSplitGroups(texts), { validationFraction: 0.1, seed: 42 });
  const labelNames = sortLabelNames(labels);
  const id = new Map(labelNames.map((l, i) => [l, i]));
  const maxLen = Number(a.maxlen);
  const ex = (i: number): TokenizedExample => ({ ids: encodeOne(tokenizer, texts[i], maxLen), label: id.get(labels[i])! });
  const train = split.train.map(ex);
  const val = split.validation.map(ex);

  // The same weights and config.json as scripts/makeDefaultModel.ts writes for these sizes (dropout 0.1 included).
  const bd = { ...dims, seed: 20261201, initStd: Number(a.std), ...(a.vstd ? { valueStd: Number(a.vstd) } : {}) };
  const tensors = new Map(Object.entries(initBertWeights(bd)).map(([k, t]) => [k, { shape: t.shape, dtype: 'F32' as const, data: t.data }]));
  const drop = Number(a.dropout);
  const cfg = tryParseModelConfig(bertConfig(bd, { hidden_dropout_prob: drop, attention_probs_dropout_prob: drop }));
  if (!cfg.ok) throw new Error(cfg.error);
  const built = tryLoadModel(tensors, withLabels(cfg.value, labelNames), { task: 'SEQ_CLS', seed: 42, keepBackwardWeights: a.strategy !== 'full' });
  if (!built.ok) throw new Error(built.error);
  const model = built.value;
  const lora = tryCreateLoraAdapter(model, { r: 8, loraAlpha: 16, loraDropout: 0.05, targetModules: a.targets!.split(','), seed: 42 });
  if (!lora.ok) throw new Error(lora.error);
  const adapter = lora.value;
  const applied = tryApplyStrategy(model, adapter, a.strategy as FineTuneStrategy);
  if (!applied.ok) throw new Error(applied.error);
  const trainable = new Set(adapter.trainableVariables);
  const opt = createAdamW(
    adapter.peftTensors.filter((p) => trainable.has(p.variable)).map((p) => ({ name: p.key, variable: p.variable })),
    { weightDecay: 0.01, noDecay: adapter.noDecayVariables },
  );

  const B = Number(a.batch);
  const epochs = Number(a.epochs);
  const perEpoch = Math.ceil(train.length / B);
  const total = perEpoch * epochs;
  const t0 = performance.now();
  let step = 0;
  const losses: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const order = epochOrder(train.length, 42, e);
    for (let s = 0; s < perEpoch; s++) {
      const batch = padBatch(
        order.slice(s * B, s * B + B).map((i) => train[i]),
        0,
      );
      const loss = trainStep(model, adapter, opt, batch, { lr: learningRateAt(step, total, Number(a.lr)), seed: step, training: true, maxGradNorm: 1 });
      losses.push((await loss.data())[0]);
      loss.dispose();
      step++;
    }
  }
  const trainS = (performance.now() - t0) / 1000;
  const preds: number[] = [];
  for (let s = 0; s < val.length; s += 64) {
    const logits = evaluateLogits(model, adapter, padBatch(val.slice(s, s + 64), 0));
    const am = tf.argMax(logits, 1);
    preds.push(...(await am.data()));
    tf.dispose([logits, am]);
  }
  const m = classificationMetrics(
    val.map((x) => x.label),
    preds,
    labelNames.length,
  );
  console.log(
    `${a.dataset} rows ${rows.length} (train ${train.length}, val ${val.length}) h${C} L${a.layers} ${a.strategy} lr ${a.lr} ep ${epochs} T${maxLen} std ${a.std}${a.vstd ? ` vstd ${a.vstd}` : ''} drop ${a.dropout} lora ${a.targets}: loss ${mean(losses.slice(0, 10)).toFixed(3)} -> ${mean(losses.slice(-20)).toFixed(3)}, macro-F1 ${m.macroF1.toFixed(3)} acc ${m.accuracy.toFixed(3)} ${trainS.toFixed(0)} s (${((trainS / total) * 1000).toFixed(0)} ms/step)`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
