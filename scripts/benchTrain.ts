// `npm run bench:train`: LoRA step time in headless Chromium for each backend and model size, and where
// the time goes (matmul kernels vs the rest). Builds nothing: run `npm run build` first.
// Compare with PyTorch on this CPU: tiny 17.7-20 ms, small 390-580 ms (shared/notes/perf-baseline.md).
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
import type { BenchmarkArgs, BenchmarkResult } from '../src/protocol/messages';

const PORT = 4180;
const SIZES = {
  tiny: { dims: { hidden: 64, layers: 2, heads: 2, intermediate: 256 }, seqLen: 64, batchSize: 16 },
  small: { dims: { hidden: 256, layers: 4, heads: 4, intermediate: 1024 }, seqLen: 128, batchSize: 16 },
};
const PYTORCH_MS = { tiny: 17.7, small: 439 };
const backends = (process.env.BENCH_BACKENDS ?? 'wasm,webgpu,cpu').split(',') as BenchmarkArgs['backend'][];
const sizes = (process.env.BENCH_SIZES ?? 'tiny,small').split(',') as (keyof typeof SIZES)[];
const steps = Number(process.env.BENCH_STEPS ?? 5);

const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 2500));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${PORT}/?bench`);
  await page.waitForFunction(() => '__studioBench' in globalThis);
  console.log('size  backend  first step  median step  tokens/s  vs PyTorch  matmul ms  other ms  top kernels');
  for (const size of sizes) {
    for (const backend of backends) {
      // Minutes per step on a software adapter / plain JS, and SwiftShader runs out of memory: skipped.
      if ((backend === 'cpu' || backend === 'webgpu') && size === 'small') continue;
      const args: BenchmarkArgs = { backend, steps, ...SIZES[size] };
      const r = (await page.evaluate((a) => (globalThis as unknown as { __studioBench(a: unknown): Promise<unknown> }).__studioBench(a), args).catch((e) => ({ error: String(e) }))) as BenchmarkResult | { error: string };
      if ('error' in r) {
        console.log(`${size.padEnd(5)} ${backend.padEnd(8)} failed: ${r.error}`);
        continue;
      }
      const ratio = PYTORCH_MS[size] / r.medianStepMs;
      const top = r.topKernels.slice(0, 4).map((k) => `${k.name} ${k.ms.toFixed(0)}`).join(', ');
      console.log(
        `${size.padEnd(5)} ${r.backend.padEnd(8)} ${r.firstStepMs.toFixed(0).padStart(8)} ms ${r.medianStepMs.toFixed(1).padStart(9)} ms ${r.tokensPerSec.toFixed(0).padStart(9)} ${ratio.toFixed(3).padStart(9)}x ${r.matmulMs.toFixed(0).padStart(9)} ${r.otherMs.toFixed(0).padStart(9)}  ${top}`,
      );
    }
  }
} finally {
  await browser.close();
  server.kill();
}
