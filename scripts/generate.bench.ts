// `npm run bench:generate`: generation speed of the gpt2, llama and qwen2 reference fixtures on the tfjs CPU backend
// (KV-cached vs recomputing, with and without the adapter, sampled). Runs under `vitest bench` because tfjs-core's
// ESM build needs Vite's resolver. BENCH_NEW_TOKENS (default 64) and BENCH_RUNS (default 3) make a quick run cheap.
import { bench, describe } from 'vitest';
import { generate, type GenerateOptions } from '../src/model/generate';
import { tryImportPeftAdapter } from '../src/model/peftAdapter';
import type { LoraAdapter } from '../src/model/lora';
import type { SequenceModel } from '../src/model/types';
import { loadReferenceFixture, loadReferenceModel, useCpuBackend } from '../src/test/fixtures';

const n = Number(process.env.BENCH_NEW_TOKENS ?? 64);
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const speeds = new Map<string, number[]>();

for (const name of ['gpt2', 'llama', 'qwen2'] as const) {
  describe(`${name} generation, ${n} new tokens`, () => {
    const fx = loadReferenceFixture(name);
    const prompt = Array.from(fx.batch.inputIds.subarray(0, 6));
    // Built on first use: vitest bench runs describe-level hooks after the tasks are collected, not before each.
    let ready: Promise<{ model: SequenceModel; adapter: LoraAdapter }> | null = null;
    const load = () =>
      (ready ??= (async () => {
        await useCpuBackend();
        const model = loadReferenceModel(fx);
        const a = tryImportPeftAdapter(model, fx.adapterFiles);
        if (!a.ok) throw new Error(a.error);
        await generate(model, prompt, { maxNewTokens: 8, greedy: true }); // warm-up
        return { model, adapter: a.value };
      })());
    const settings: Record<string, (adapter: LoraAdapter) => Partial<GenerateOptions>> = {
      'base cached': () => ({ greedy: true }),
      'adapter cached': (adapter) => ({ greedy: true, adapter }),
      'base uncached': () => ({ greedy: true, useCache: false }),
      'sampled cached': () => ({ temperature: 0.8, topP: 0.9, seed: 1 }),
    };
    for (const [label, opts] of Object.entries(settings)) {
      bench(
        label,
        async () => {
          const { model, adapter } = await load();
          const r = await generate(model, prompt, { maxNewTokens: n, ...opts(adapter) });
          const key = `${name} ${label}`;
          speeds.set(key, [...(speeds.get(key) ?? []), r.tokensPerSecond]);
          // vitest bench runs no afterAll hook here: the summary prints once the last measurement is in.
          if ([...speeds.values()].reduce((k, xs) => k + xs.length, 0) === 3 * 4 * runs) printSummary();
        },
        { iterations: runs, time: 0, warmupIterations: 0, warmupTime: 0 },
      );
    }
  });
}

function printSummary(): void {
  const median = (xs: number[] = [0]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log('model  setting          tokens/s (median)');
  for (const [key, xs] of speeds) console.log(`${key.padEnd(24)} ${median(xs).toFixed(0)}`);
  const line = (['gpt2', 'llama', 'qwen2'] as const)
    .map(
      (m) =>
        `${m} ${median(speeds.get(`${m} base cached`)).toFixed(0)} tok/s (cache x${(median(speeds.get(`${m} base cached`)) / median(speeds.get(`${m} base uncached`))).toFixed(1)})`,
    )
    .join(', ');
  console.log(`bench:generate cpu, ${n} new tokens: ${line}`);
}
