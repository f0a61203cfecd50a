// `npm run bench:train`: the studio's LoRA training step in headless Chromium (the app's worker, WASM by default)
// side by side with the same step in PyTorch (scripts/bench/torchStep.py), interleaved round by round so machine
// noise hits both; PyTorch runs with default threads and with OPENBLAS_NUM_THREADS=1 and the faster one counts.
// Prints per-shape medians, the kernel profile (attention matmuls, 2-D linears, the rest) with GFLOP/s, and ends
// with `train: small <backend> <ratio>x PyTorch, tiny <ratio>x`. Build first (`npx vite build`).
// Env: BENCH_QUICK=1 (one short round), BENCH_ROUNDS, BENCH_SHAPES=tiny,small,decoder, BENCH_BACKENDS=wasm[,cpu,webgpu],
// BENCH_STOCK=1 (the before: stock tfjs kernels), BENCH_PORT, PYTHON (default /usr/bin/python3), BENCH_PYTORCH_LIBS (a folder put first on PyTorch's LD_LIBRARY_PATH).
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
import type { BenchmarkArgs, BenchmarkResult } from '../src/protocol/messages';
import { PyTorchWorker, pythonWithTorch } from './bench/pytorch';
import { fmt, median, printProfile, printSummaryTable, type ShapeRow } from './bench/report';

const SHAPES = {
  tiny: { family: 'bert', dims: { hidden: 64, layers: 2, heads: 2, intermediate: 256 }, vocabSize: 30522, seqLen: 64, batchSize: 16 },
  small: { family: 'bert', dims: { hidden: 256, layers: 4, heads: 4, intermediate: 1024 }, vocabSize: 30522, seqLen: 128, batchSize: 16 },
  decoder: { family: 'llama', dims: { hidden: 256, layers: 4, heads: 4, intermediate: 1024 }, vocabSize: 4096, seqLen: 128, batchSize: 16 },
} as const;
type ShapeName = keyof typeof SHAPES;

const quick = process.env.BENCH_QUICK === '1';
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 4));
const stepsPerRound: Record<ShapeName, number> = quick ? { tiny: 3, small: 2, decoder: 2 } : { tiny: 8, small: 3, decoder: 3 };
const shapes = (process.env.BENCH_SHAPES ?? 'tiny,small,decoder').split(',') as ShapeName[];
const backends = (process.env.BENCH_BACKENDS ?? 'wasm').split(',') as BenchmarkArgs['backend'][];
const stock = process.env.BENCH_STOCK === '1'; // the before: tfjs's stock kernels, none of the studio's wasm shaping
const port = Number(process.env.BENCH_PORT ?? process.env.APP_PORT ?? 4180);
const started = performance.now();

const python = process.env.PYTHON ?? '/usr/bin/python3';
const torchNote = pythonWithTorch(python);
const torchWorkers: PyTorchWorker[] = [];
if (torchNote.ok) {
  const libs = process.env.BENCH_PYTORCH_LIBS;
  const extra: Record<string, string> = libs ? { LD_LIBRARY_PATH: [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } : {};
  torchWorkers.push(
    new PyTorchWorker(python, 'default threads', extra),
    new PyTorchWorker(python, 'OPENBLAS_NUM_THREADS=1', { ...extra, OPENBLAS_NUM_THREADS: '1' }),
  );
  await torchWorkers[0].setup(SHAPES.tiny); // torch and its BLAS loaded, to say which BLAS
  const blas = torchWorkers[0].blas() ?? 'unknown';
  console.log(`PyTorch ${torchNote.version} (${python}); BLAS: ${blas}`);
  if (!/openblas|mkl|blis/i.test(blas)) {
    console.log("  note: this PyTorch does not use OpenBLAS/MKL (Debian's reference libblas3 is 10-20x slower): ratios flatter the studio.");
    console.log("  For a fair reference install libopenblas0, or set BENCH_PYTORCH_LIBS to a folder holding OpenBLAS's libblas.so.3.");
  }
} else {
  console.log(`PyTorch not measured: ${torchNote.reason} (the bench installs nothing; Debian: apt-get install python3-torch).`);
}

// vite itself as the child (not npx), so server.kill() stops the server and frees the port.
const server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
  stdio: 'ignore',
});
// Wait until the preview server answers (seconds on a loaded machine).
for (let i = 0; i < 120; i++) {
  const up = await fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );
  if (up) break;
  await new Promise((r) => setTimeout(r, 500));
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  // allow_unsafe_apis: Dawn's timestamp-query, so tf.profile can time WebGPU kernels.
  args: [
    '--no-sandbox',
    '--enable-unsafe-webgpu',
    '--enable-dawn-features=allow_unsafe_apis',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const rows: ShapeRow[] = [];
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/?bench`);
  await page.waitForFunction(() => '__studioBench' in globalThis);
  const studio = (a: BenchmarkArgs) =>
    page
      .evaluate((x) => (globalThis as unknown as { __studioBench(a: unknown): Promise<unknown> }).__studioBench(x), a)
      .catch((e: unknown) => ({ error: String(e) })) as Promise<BenchmarkResult | { error: string }>;

  for (const name of shapes) {
    const shape = SHAPES[name];
    const tokens = shape.batchSize * shape.seqLen;
    const torchTimes = torchWorkers.map(() => [] as number[]);
    for (const w of torchWorkers) await w.setup(shape);
    for (const backend of backends) {
      // Minutes per step on a software adapter / plain JS: only the tiny shape.
      if (backend !== 'wasm' && name !== 'tiny') continue;
      const args: BenchmarkArgs = { ...shape, backend, steps: stepsPerRound[name], profile: false, dims: { ...shape.dims }, stock };
      const times: number[] = [];
      let first: number | null = null;
      let failed: string | null = null;
      for (let r = 0; r < rounds && !failed; r++) {
        const got = await studio(args);
        if ('error' in got) failed = got.error;
        else {
          first ??= got.firstStepMs;
          times.push(...got.stepTimesMs);
        }
        // PyTorch rounds between the studio's, on the same shape (only once per shape: with the first backend).
        if (backend === backends[0]) for (let i = 0; i < torchWorkers.length; i++) torchTimes[i].push(...(await torchWorkers[i].steps(stepsPerRound[name])));
      }
      if (failed) {
        console.log(`${name} ${backend}: failed: ${failed}`);
        continue;
      }
      const profiled = await studio({ ...args, steps: 1, profile: true });
      const profile = 'error' in profiled ? null : profiled.profile;
      const torch = torchWorkers.map((w, i) => ({ label: w.label, ms: median(torchTimes[i]) }));
      rows.push({
        shape: name,
        backend,
        firstMs: first,
        ms: median(times),
        steps: times.length,
        tokens,
        torch,
        profile,
        top: 'error' in profiled ? [] : profiled.topKernels,
      });
    }
    console.log(`  ${name} done (${fmt((performance.now() - started) / 1000, 0)} s so far)`);
  }
} finally {
  await browser.close();
  server.kill();
  for (const w of torchWorkers) w.close();
}

if (stock) console.log('\n(stock tfjs kernels: BENCH_STOCK=1)');
if (backends.includes('webgpu')) {
  console.log('\nwebgpu rows: without a GPU Chromium runs WebGPU on SwiftShader (software); those numbers check plumbing and the');
  console.log('studio WGSL kernels (StudioAttention, StudioLoraLinear, StudioCrossEntropy*) only, not GPU speed (scripts/device-check.sh).');
}
printSummaryTable(rows);
printProfile(rows);
const cpuRows = (shape: ShapeName) => rows.filter((r) => r.shape === shape && (r.backend === 'wasm' || r.backend === 'cpu'));
const best = cpuRows('small').sort((a, b) => a.ms - b.ms)[0] ?? cpuRows('tiny').sort((a, b) => a.ms - b.ms)[0];
const ratio = (shape: ShapeName) => {
  const r = cpuRows(shape).find((x) => x.backend === best?.backend);
  const t = r ? Math.min(...r.torch.map((x) => x.ms)) : NaN;
  return r && Number.isFinite(t) ? fmt(t / r.ms, 3) : 'n/a';
};
console.log(`(${fmt((performance.now() - started) / 1000, 0)} s in all)`);
console.log(`train: small ${best?.backend ?? 'none'} ${ratio('small')}x PyTorch, tiny ${ratio('tiny')}x`);
