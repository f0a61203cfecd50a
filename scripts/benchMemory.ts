// `npm run bench:memory`: estimated vs measured training memory on WASM for models of real shapes with random
// weights made locally (BERT-base, SmolLM2-135M, Qwen2.5-0.5B), trained with the studio's own model/ and train/ code.
// Bundled by esbuild first (tfjs-core's ESM gradients cannot be imported by Node directly), then run with node.
// Runs in Node on @tensorflow/tfjs-backend-wasm (the same .wasm the browser loads; single-threaded here) because a
// real-shaped model in headless Chromium would need a 0.5-2 GB local-folder upload per model through the UI and
// performance.measureUserAgentSpecificMemory only resolves at the next GC (up to 20 s per sample). Measured peak =
// the WebAssembly heap's size (it only grows, so it is the heap's peak) + JS ArrayBuffers outside it + V8 heap used.
// Batch and max tokens are the studio's defaults (src/protocol/trainDefaults.ts from the estimate), as the Train step
// picks them; the weights go through the session's path (model/weightBank.ts: onto the device once, JS released).
// BENCH_QUICK=1: 5 BERT steps and 2 decoder steps (development); full: 100 BERT steps, 3 per decoder.
// BENCH_MODELS=bert-base,smollm2-135m,qwen2.5-0.5b picks models; BENCH_BATCH / BENCH_TOKENS override the defaults;
// BENCH_BEFORE=1 runs the old path (the JS weight map kept, every Linear's transposed copy) for the before numbers;
// BENCH_COPIES=0|1 forces the backward copies off or on; BENCH_TRANSIENT=0|1 forces transient packing (frozen weights
// packed per matmul from a throwaway copy, none kept: model/kernels/transientPacking.ts) off or on; by default it is
// on exactly where the studio turns it on (memoryEstimate.ts transientPackingNeeded: Qwen2.5-0.5B here).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tryParseModelConfig, withLabels, type ModelConfig } from '../src/model/config';
import { randomWeights } from '../src/model/families/random';
import { tryLoadModel } from '../src/model/loadModel';
import { tryCreateLoraAdapter } from '../src/model/lora';
import { backwardCopiesFit, DEFAULT_MEMORY_BUDGET, estimateMemory, formatBytes, transientPackingNeeded, type EstimatePlan } from '../src/model/memoryEstimate';
import { registerWasmFastSlice } from '../src/model/kernels/wasmSlice';
import { trackTensorBytes } from './lib/wasmTensorBytes';
import { bankWeights } from '../src/model/weightBank';
import { memoryFromEstimate, suggestDefaults } from '../src/protocol/trainDefaults';
import { defaultTargetModules } from '../src/model/targets';
import { guardWasmAllocations } from '../src/model/wasmHeap';
import { registerWasmUnsortedSegmentSum } from '../src/model/wasmKernels';
import { createAdamW } from '../src/train/adamw';
import { causalLmTrainStep } from '../src/train/causalLmStep';
import { trainStep } from '../src/train/classifierStep';
import { BERT_BASE_CONFIG, QWEN25_05B_CONFIG, SMOLLM2_135M_CONFIG } from '../src/model/hubShapes';

const quick = process.env.BENCH_QUICK === '1';
const MODELS: Record<string, { config: Record<string, unknown>; task: 'SEQ_CLS' | 'CAUSAL_LM'; p95: number; steps: number }> = {
  'bert-base': {
    config: BERT_BASE_CONFIG,
    // Issue 11's run: 200 short rows (p95 30 tokens); batch 16 x 32 filled the 4.29 GB heap and crashed.
    task: 'SEQ_CLS',
    p95: 30,
    steps: Number(process.env.BENCH_BERT_STEPS ?? (quick ? 5 : 100)),
  },
  'smollm2-135m': {
    config: SMOLLM2_135M_CONFIG,
    task: 'CAUSAL_LM',
    p95: 60, // short instruction rows: prompt + answer with the chat template
    steps: Number(process.env.BENCH_LM_STEPS ?? (quick ? 2 : 3)),
  },
  'qwen2.5-0.5b': {
    config: QWEN25_05B_CONFIG,
    task: 'CAUSAL_LM',
    p95: 60,
    steps: Number(process.env.BENCH_LM_STEPS ?? (quick ? 2 : 3)),
  },
};
const picked = (process.env.BENCH_MODELS ?? Object.keys(MODELS).join(',')).split(',');

const wasmHeap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;

let tensorPeak = () => 0; // live tensor bytes, in-step included (lib/wasmTensorBytes.ts)
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
  tensorPeak: number;
  /** ms per step after the first, and the first step's ms. */
  perStep: number;
  firstStep: number;
  flat: boolean;
  heapByStep: number[];
  copies: boolean;
  transient: boolean;
  /** The estimate of training alone (no loading) vs the wasm heap after the last step. */
  estimatedTrain: number;
  firstLoss: number;
  lastLoss: number;
};

const before = process.env.BENCH_BEFORE === '1';
const gc = (globalThis as { gc?: () => void }).gc;

/** The batch and max tokens the Train step would pick: trainDefaults from the estimate, as the page does. */
function studioDefaults(config: ModelConfig, m: (typeof MODELS)[string], limits: Parameters<typeof estimateMemory>[2], transient: boolean) {
  const task = m.task === 'SEQ_CLS' ? 'classify' : 'instruction';
  const probe: EstimatePlan = { batchSize: 16, maxTokens: 128, loraR: 8, loraTargets: 'default', numLabels: 2, task: m.task, transientPacking: transient };
  const at = (plan: EstimatePlan) => estimateMemory(config, { ...plan, backwardCopies: backwardCopiesFit(config, plan, limits) }, limits);
  const lengths = { p95: m.p95, max: m.p95 + 10, measured: true };
  const overhead = m.task === 'SEQ_CLS' ? 2 : 0;
  const first = suggestDefaults({
    family: config.modelType,
    task,
    maxPositions: config.maxPositionEmbeddings,
    lengths,
    templateOverhead: overhead,
    memory: memoryFromEstimate(at(probe), 16, 128),
  });
  // Once more with the estimate at the chosen tokens (activations are not linear in tokens: attention is T^2).
  const T = first.maxSeqLength.value;
  const d = suggestDefaults({
    family: config.modelType,
    task,
    maxPositions: config.maxPositionEmbeddings,
    lengths,
    templateOverhead: overhead,
    memory: memoryFromEstimate(at({ ...probe, maxTokens: T }), 16, T),
  });
  return {
    batch: Number(process.env.BENCH_BATCH ?? d.batchSize.value),
    tokens: Number(process.env.BENCH_TOKENS ?? d.maxSeqLength.value),
    reason: d.batchSize.reason,
  };
}

/** One model in this process (the wasm heap never shrinks, so each model gets a fresh process). */
async function runOne(name: string): Promise<Result> {
  const m = MODELS[name];
  if (!m) throw new Error(`unknown model ${name}; pick from ${Object.keys(MODELS).join(', ')}`);
  const config = m.task === 'SEQ_CLS' ? withLabels(parse(m.config), ['negative', 'positive']) : parse(m.config);
  const limits = { maxBufferSize: null, maxStorageBufferBindingSize: null, memoryBudget: DEFAULT_MEMORY_BUDGET, source: 'wasm backend' };
  const transient = process.env.BENCH_TRANSIENT ? process.env.BENCH_TRANSIENT === '1' : transientPackingNeeded(config, limits);
  const { batch: B, tokens: T, reason } = studioDefaults(config, m, limits, transient);
  const plan: EstimatePlan = { batchSize: B, maxTokens: T, loraR: 8, loraTargets: 'default', numLabels: 2, task: m.task, transientPacking: transient };
  const copies = process.env.BENCH_COPIES ? process.env.BENCH_COPIES === '1' : before || backwardCopiesFit(config, plan, limits);
  const estimate = estimateMemory(config, { ...plan, backwardCopies: copies, keepsJsWeights: before }, limits);
  if (estimate.verdict === 'wont-fit') {
    // As the studio does at Start (worker/modelFit.ts checkRunFits): refused with the reason, nothing is built.
    // BENCH_FORCE=1 trains anyway (to see the out-of-memory error the guard raises instead).
    console.log(`INFO refused at the defaults (batch ${B} x ${T}): ${estimate.reasons.join(' ')}`);
    if (process.env.BENCH_FORCE !== '1') throw new Error(`refused before training (estimate ${formatBytes(estimate.totalBytes)})`);
  }
  console.log(
    `INFO defaults: batch ${B} x ${T} tokens (${reason}); backward copies ${copies && !transient ? 'kept' : 'not kept'}; packing ${estimate.packing}; estimate: ${estimate.verdict}, training ${formatBytes(estimate.totalBytes)}, loading ${formatBytes(estimate.loadPeakBytes)}`,
  );
  const tensors = randomWeights(config, 1, 0.02, true); // what parsing an F32 checkpoint leaves in JS: views of one buffer
  sample();
  let bank;
  if (!before) {
    const banked = bankWeights(tensors, config); // the worker's load: onto the device once, the JS copy released
    if (!banked.ok) throw new Error(banked.error);
    bank = banked.value.bank;
    sample(); // the load peak: the JS arrays are garbage now but still counted until the GC runs
    gc?.();
  }
  const built = tryLoadModel(tensors, config, { task: m.task, seed: 1, keepBackwardWeights: copies, bank, transientPacking: transient });
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
  console.error(`  ${name} built: wasm heap ${formatBytes(wasmHeap())}, tensors ${formatBytes(tf.memory().numBytes)}, peak so far ${formatBytes(peak)}`);
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
  const losses: number[] = [];
  const t0 = performance.now();
  const stepMs: number[] = [];
  for (let i = 0; i < m.steps; i++) {
    const ts = performance.now();
    const loss = step(i); // (tf.profile's peakBytes would be the in-step peak, but it throws inside gradients in tfjs 4.22)
    const value = (await loss.data())[0];
    loss.dispose();
    if (!Number.isFinite(value)) throw new Error(`step ${i + 1}: loss ${value}`);
    losses.push(value);
    stepMs.push(performance.now() - ts);
    sample();
    heapByStep.push(wasmHeap());
    console.error(
      `  ${name} step ${i + 1}/${m.steps}: loss ${value.toFixed(4)}, wasm heap ${formatBytes(wasmHeap())}, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    if (i === 0) baseline = tf.memory().numTensors;
    else if (tf.memory().numTensors !== baseline) flat = false;
  }
  // Steps after the first: the first also packs every persistently packed weight once.
  const later = stepMs.length > 1 ? stepMs.slice(1) : stepMs;
  const perStep = later.reduce((a, x) => a + x, 0) / later.length;
  const firstStep = stepMs[0];
  return {
    name,
    task: m.task,
    B,
    T,
    steps: m.steps,
    copies: copies && !transient,
    transient,
    estimated: estimate.peakBytes,
    estimatedTrain: estimate.totalBytes,
    peak,
    heap: wasmHeap(),
    tfPeak,
    tensorPeak: tensorPeak(),
    perStep,
    firstStep,
    flat,
    heapByStep,
    firstLoss: losses[0],
    lastLoss: losses[losses.length - 1],
  };
}

async function main(): Promise<void> {
  if (process.env.BENCH_CHILD) {
    setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
    registerWasmUnsortedSegmentSum(); // as model/backend.ts does: tf.gather's gradient (repeat_kv)
    registerWasmFastSlice(); // and slices without a copy of the whole input (the chunked LM-head backward needs it)
    await tf.setBackend('wasm');
    await tf.ready();
    guardWasmAllocations();
    tensorPeak = trackTensorBytes();
    try {
      const r = await runOne(process.env.BENCH_CHILD);
      console.log('RESULT ' + JSON.stringify(r));
    } catch (e) {
      console.log(`INFO failed: ${e instanceof Error ? e.message : String(e)}`); // an out-of-memory refusal, say
      process.exitCode = 1;
    }
    return;
  }
  console.log(
    `bench:memory (${quick ? 'quick' : 'full'}), tfjs ${tf.version_core} wasm (Node, one process per model), budget ${formatBytes(DEFAULT_MEMORY_BUDGET)}`,
  );
  console.log(
    'model          task       B x T     steps  copies  packing     estimated  measured peak  ratio  est. train  wasm heap  train ratio  tf between steps  ms step 1  ms/step  tensors flat  loss first / last  heap after step 1 / last  tensor peak',
  );
  let worst = 1;
  let n = 0;
  for (const name of picked) {
    const out = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)], {
      env: { ...process.env, BENCH_CHILD: name },
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      stdio: ['ignore', 'pipe', 'inherit'], // progress lines go straight to the terminal
    });
    const line = out.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    for (const l of out.stdout.split('\n')) if (l.startsWith('INFO ')) console.log(`  ${name}: ${l.slice(5)}`);
    if (!line) {
      const why =
        out.stdout
          .split('\n')
          .find((l) => l.startsWith('INFO failed: '))
          ?.slice(13) ?? `exit ${out.status}`;
      console.log(`${name.padEnd(14)} not trained: ${why}`);
      continue;
    }
    const r = JSON.parse(line.slice(7)) as Result;
    const ratio = r.estimated / r.peak;
    const trainRatio = r.estimatedTrain / r.heap; // training alone: the heap holds it (the load peak is mostly JS)
    for (const x of [ratio, trainRatio]) if (Math.abs(Math.log(x)) > Math.abs(Math.log(worst))) worst = x;
    n++;
    const f = formatBytes;
    console.log(
      `${r.name.padEnd(14)} ${r.task.padEnd(10)} ${`${r.B} x ${r.T}`.padEnd(9)} ${String(r.steps).padStart(5)}  ${(r.copies ? 'yes' : 'no').padStart(6)}  ${(r.transient ? 'transient' : 'persistent').padEnd(10)}  ${f(r.estimated).padStart(9)}  ${f(r.peak).padStart(13)}  ${ratio.toFixed(2).padStart(5)}  ${f(r.estimatedTrain).padStart(10)}  ${f(r.heap).padStart(9)}  ${trainRatio.toFixed(2).padStart(11)}  ${f(r.tfPeak).padStart(16)}  ${r.firstStep.toFixed(0).padStart(9)}  ${r.perStep.toFixed(0).padStart(7)}  ${(r.flat ? 'yes' : 'NO').padStart(12)}  ${`${r.firstLoss.toFixed(3)} / ${r.lastLoss.toFixed(3)}`.padStart(17)}  ${f(r.heapByStep[0])} / ${f(r.heapByStep[r.heapByStep.length - 1])}  ${f(r.tensorPeak)}`,
    );
  }
  console.log(`memory: ${n} models, worst estimate/measured ${worst.toFixed(2)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
