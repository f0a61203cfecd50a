// `npm run bench:memory`: estimated vs measured training memory on WASM for models of real shapes with random
// weights made locally (BERT-base, SmolLM2-135M, Qwen2.5-0.5B), trained with the studio's own model/ and train/ code.
// Bundled by esbuild first (tfjs-core's ESM gradients cannot be imported by Node directly), then run with node.
// Runs in Node on @tensorflow/tfjs-backend-wasm (the same .wasm the browser loads; single-threaded here) because a
// real-shaped model in headless Chromium would need a 0.5-2 GB local-folder upload per model through the UI and
// performance.measureUserAgentSpecificMemory only resolves at the next GC (up to 20 s per sample). Measured peak =
// the WebAssembly heap's size (it only grows, so it is the heap's peak) + JS ArrayBuffers outside it + V8 heap used.
// BENCH_QUICK=1: 5 BERT steps and 2 decoder steps (development); full: 100 BERT steps, 3 per decoder.
// BENCH_MODELS=bert-base,smollm2-135m,qwen2.5-0.5b picks models.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tryParseModelConfig, withLabels, type ModelConfig } from '../src/model/config';
import { randomWeights } from '../src/model/families/random';
import { tryLoadModel } from '../src/model/loadModel';
import { tryCreateLoraAdapter } from '../src/model/lora';
import { DEFAULT_MEMORY_BUDGET, estimateMemory, formatBytes } from '../src/model/memoryEstimate';
import { defaultTargetModules } from '../src/model/targets';
import { guardWasmAllocations } from '../src/model/wasmHeap';
import { registerWasmUnsortedSegmentSum } from '../src/model/wasmKernels';
import { createAdamW } from '../src/train/adamw';
import { causalLmTrainStep } from '../src/train/causalLmStep';
import { trainStep } from '../src/train/classifierStep';

const quick = process.env.BENCH_QUICK === '1';
const MODELS: Record<string, { config: Record<string, unknown>; task: 'SEQ_CLS' | 'CAUSAL_LM'; batch: number; tokens: number; steps: number }> = {
  'bert-base': {
    config: {
      model_type: 'bert',
      hidden_size: 768,
      intermediate_size: 3072,
      num_attention_heads: 12,
      num_hidden_layers: 12,
      vocab_size: 30522,
      max_position_embeddings: 512,
    },
    // batch 16 x 32 (issue 11's run) fills the 4.29 GB heap: the estimate refuses it, the guard names it; 8 fits.
    task: 'SEQ_CLS',
    batch: Number(process.env.BENCH_BERT_BATCH ?? 8),
    tokens: 32,
    steps: quick ? 5 : 100,
  },
  'smollm2-135m': {
    config: {
      model_type: 'llama',
      hidden_size: 576,
      intermediate_size: 1536,
      num_attention_heads: 9,
      num_key_value_heads: 3,
      num_hidden_layers: 30,
      vocab_size: 49152,
      max_position_embeddings: 8192,
      rope_theta: 100000,
      tie_word_embeddings: true,
    },
    task: 'CAUSAL_LM',
    batch: 4,
    tokens: 64,
    steps: quick ? 2 : 3,
  },
  'qwen2.5-0.5b': {
    config: {
      model_type: 'qwen2',
      hidden_size: 896,
      intermediate_size: 4864,
      num_attention_heads: 14,
      num_key_value_heads: 2,
      num_hidden_layers: 24,
      vocab_size: 151936,
      max_position_embeddings: 32768,
      rope_theta: 1000000,
      tie_word_embeddings: true,
    },
    task: 'CAUSAL_LM',
    batch: 2,
    tokens: 32,
    steps: quick ? 2 : 3,
  },
};
const picked = (process.env.BENCH_MODELS ?? Object.keys(MODELS).join(',')).split(',');

const wasmHeap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;

let peak = 0;
let tfPeak = 0; // tensor bytes alive between steps (weights, adapter, optimizer)
function sample(): void {
  const heap = wasmHeap();
  const m = process.memoryUsage();
  // Node does not count the WebAssembly memory among arrayBuffers (checked): these are the JS Float32Arrays.
  const jsBuffers = m.arrayBuffers;
  peak = Math.max(peak, heap + jsBuffers + m.heapUsed);
  tfPeak = Math.max(tfPeak, tf.memory().numBytes);
}

const parse = (json: Record<string, unknown>): ModelConfig => {
  const c = tryParseModelConfig(json);
  if (!c.ok) throw new Error(c.error);
  return c.value;
};

type Result = {
  name: string;
  task: string;
  B: number;
  T: number;
  steps: number;
  estimated: number;
  peak: number;
  heap: number;
  tfPeak: number;
  perStep: number;
  flat: boolean;
  heapByStep: number[];
};

/** One model in this process (the wasm heap never shrinks, so each model gets a fresh process). */
async function runOne(name: string): Promise<Result> {
  const m = MODELS[name];
  if (!m) throw new Error(`unknown model ${name}; pick from ${Object.keys(MODELS).join(', ')}`);
  const config = m.task === 'SEQ_CLS' ? withLabels(parse(m.config), ['negative', 'positive']) : parse(m.config);
  const estimate = estimateMemory(
    config,
    { batchSize: m.batch, maxTokens: m.tokens, loraR: 8, loraTargets: 'default', numLabels: 2, task: m.task, backwardCopies: true, largestFileBytes: 0 },
    { maxBufferSize: null, maxStorageBufferBindingSize: null, memoryBudget: DEFAULT_MEMORY_BUDGET, source: 'wasm backend' },
  );
  const tensors = randomWeights(config, 1, 0.02); // the JS weight map the worker keeps
  sample();
  const built = tryLoadModel(tensors, config, { task: m.task, seed: 1, keepBackwardWeights: true });
  if (!built.ok) throw new Error(built.error);
  const model = built.value;
  const lora = tryCreateLoraAdapter(model, { r: 8, loraAlpha: 16, loraDropout: 0.1, targetModules: defaultTargetModules(model.family), seed: 1 });
  if (!lora.ok) throw new Error(lora.error);
  const adapter = lora.value;
  const optimizer = createAdamW(
    adapter.peftTensors.map((t) => ({ name: t.key, variable: t.variable })),
    { noDecay: adapter.noDecayVariables },
  );
  sample();
  const { batch: B, tokens: T } = m;
  const ids = Int32Array.from({ length: B * T }, (_, i) => (i * 7919 + 13) % config.vocabSize);
  const mask = new Int32Array(B * T).fill(1);
  const labels = Int32Array.from({ length: B }, (_, i) => i % 2);
  const step = (i: number) =>
    m.task === 'SEQ_CLS'
      ? trainStep(model, adapter, optimizer, { inputIds: ids, attentionMask: mask, labels, B, T }, { lr: 5e-4, seed: i, maxGradNorm: 1 })
      : causalLmTrainStep(model, adapter, optimizer, { inputIds: ids, attentionMask: mask, labels: ids, B, T }, { lr: 2e-4, seed: i, maxGradNorm: 1 });
  let baseline = -1;
  let flat = true;
  const heapByStep: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < m.steps; i++) {
    const loss = step(i); // (tf.profile's peakBytes would be the in-step peak, but it throws inside gradients in tfjs 4.22)
    await loss.data();
    loss.dispose();
    sample();
    heapByStep.push(wasmHeap());
    if (i === 0) baseline = tf.memory().numTensors;
    else if (tf.memory().numTensors !== baseline) flat = false;
  }
  const perStep = (performance.now() - t0) / 1000 / m.steps;
  return { name, task: m.task, B, T, steps: m.steps, estimated: estimate.totalBytes, peak, heap: wasmHeap(), tfPeak, perStep, flat, heapByStep };
}

async function main(): Promise<void> {
  if (process.env.BENCH_CHILD) {
    setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
    registerWasmUnsortedSegmentSum(); // as model/backend.ts does: tf.gather's gradient (repeat_kv)
    await tf.setBackend('wasm');
    await tf.ready();
    guardWasmAllocations();
    const r = await runOne(process.env.BENCH_CHILD);
    console.log('RESULT ' + JSON.stringify(r));
    return;
  }
  console.log(
    `bench:memory (${quick ? 'quick' : 'full'}), tfjs ${tf.version_core} wasm (Node, one process per model), budget ${formatBytes(DEFAULT_MEMORY_BUDGET)}`,
  );
  console.log(
    'model          task       B x T     steps  estimated  measured peak  wasm heap  tf between steps  ratio  s/step  tensors flat  heap after step 1 / last',
  );
  let worst = 1;
  let n = 0;
  for (const name of picked) {
    const out = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      env: { ...process.env, BENCH_CHILD: name },
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    const line = out.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) {
      console.log(
        `${name.padEnd(14)} failed (exit ${out.status}): ${(out.stderr || out.stdout)
          .split('\n')
          .filter((l) => l.trim() && !/^\s+at /.test(l))
          .slice(-2)
          .join(' | ')}`,
      );
      continue;
    }
    const r = JSON.parse(line.slice(7)) as Result;
    const ratio = r.estimated / r.peak;
    if (Math.abs(Math.log(ratio)) > Math.abs(Math.log(worst))) worst = ratio;
    n++;
    const f = formatBytes;
    console.log(
      `${r.name.padEnd(14)} ${r.task.padEnd(10)} ${`${r.B} x ${r.T}`.padEnd(9)} ${String(r.steps).padStart(5)}  ${f(r.estimated).padStart(9)}  ${f(r.peak).padStart(13)}  ${f(r.heap).padStart(9)}  ${f(r.tfPeak).padStart(12)}  ${ratio.toFixed(2).padStart(5)}  ${r.perStep.toFixed(1).padStart(6)}  ${(r.flat ? 'yes' : 'NO').padStart(12)}  ${f(r.heapByStep[0])} / ${f(r.heapByStep[r.heapByStep.length - 1])}`,
    );
  }
  console.log(`memory: ${n} models, worst estimate/measured ${worst.toFixed(2)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
