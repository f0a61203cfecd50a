// Part (b) of scripts/device-check.sh: the bench:train step on tfjs WebGPU in plain Node through Dawn's node
// binding (npm `webgpu`, loaded from the carried folder at run time). Bundled by `vite build --ssr` into one file
// with tfjs inside, so the GPU machine needs only a Node binary and dawn.node. First the WGSL kernels' correctness
// check against tfjs's CPU backend on this GPU (one JSON line, kernelCheck), then one JSON line per shape and
// kernel set (the studio's fused WGSL kernels, then stock tfjs ops).
// Usage: node gpuBench.mjs <path to webgpu's index.js> [shapes] [steps]
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { compareKernelRuns, kernelCheckCases, runKernelCases } from '../../src/model/kernels/webgpu/selfCheck';
import { benchSession, disposeBenchSession, profileStep, setStockKernels, timeSteps, type BenchShape } from '../../src/train/benchmark';

const SHAPES: Record<string, BenchShape> = {
  micro: { family: 'bert', dims: { hidden: 32, layers: 1, heads: 2, intermediate: 64 }, vocabSize: 1000, seqLen: 16, batchSize: 4 },
  tiny: { family: 'bert', dims: { hidden: 64, layers: 2, heads: 2, intermediate: 256 }, vocabSize: 30522, seqLen: 64, batchSize: 16 },
  small: { family: 'bert', dims: { hidden: 256, layers: 4, heads: 4, intermediate: 1024 }, vocabSize: 30522, seqLen: 128, batchSize: 16 },
  decoder: { family: 'llama', dims: { hidden: 256, layers: 4, heads: 4, intermediate: 1024 }, vocabSize: 4096, seqLen: 128, batchSize: 16 },
};

const [webgpuIndex, shapeList = 'tiny,small,decoder', stepsArg = '10'] = process.argv.slice(2);
const dawn = (await import(webgpuIndex)) as { create(flags: string[]): unknown; globals: object };
Object.assign(globalThis, dawn.globals);
Object.defineProperty(globalThis, 'navigator', {
  value: { gpu: dawn.create(['enable-dawn-features=allow_unsafe_apis']), userAgent: 'node' },
  configurable: true,
});
const { registerWebGpuWithAdapterLimits } = await import('../../src/model/kernels/webgpuDevice');
registerWebGpuWithAdapterLimits((globalThis.navigator as unknown as { gpu: GPU }).gpu, true);
if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not start WebGPU (no adapter from Dawn?)');
await tf.ready();
const adapter = await (globalThis.navigator as unknown as { gpu: GPU }).gpu.requestAdapter();
const info = (adapter as unknown as { info?: Record<string, unknown> } | null)?.info ?? {};
console.log(JSON.stringify({ adapter: info }));

// The kernels on this GPU against the CPU backend (the browser test's cases): worst |diff| / max(1, |ref|).
{
  const cases = kernelCheckCases(1);
  const fused = await runKernelCases(cases, 1);
  await tf.setBackend('cpu');
  const reference = await runKernelCases(cases, 1);
  await tf.setBackend('webgpu');
  const rows = compareKernelRuns(cases, fused, reference);
  const worst = Math.max(...rows.map((r) => r.maxAbsDiff / Math.max(1, r.maxAbsRef)));
  const failed = rows.filter((r) => r.maxAbsDiff > (r.output === 'value' ? 1e-4 : 5e-4) * Math.max(1, r.maxAbsRef));
  console.log(JSON.stringify({ kernelCheck: failed.length === 0 ? 'pass' : 'FAIL', cases: rows.length, worstRelDiff: worst, failed }));
}

for (const stock of [false, true])
  for (const name of shapeList.split(',')) {
    setStockKernels(stock);
    const shape = SHAPES[name];
    const s = benchSession(shape);
    if (!s.ok) throw new Error(s.error);
    const first = (await timeSteps(s.value, 2))[0];
    const times = (await timeSteps(s.value, Number(stepsArg))).sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    const profile = await profileStep(s.value, shape);
    console.log(
      JSON.stringify({
        shape: name,
        kernels: stock ? 'stock tfjs' : 'studio WGSL',
        firstMs: first,
        medianMs: median,
        tokensPerSec: (shape.batchSize * shape.seqLen) / (median / 1000),
        profile,
        numTensors: tf.memory().numTensors,
      }),
    );
    disposeBenchSession();
  }
process.exit(0);
