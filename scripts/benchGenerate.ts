// `npm run bench:generate`: greedy / sampled generation speed of the gpt2, llama and qwen2 reference fixtures on the
// tfjs CPU backend in Node (KV-cached vs recomputing, with and without the adapter). Timing lives here, not in a test.
// BENCH_NEW_TOKENS (default 64) and BENCH_RUNS (default 3, the median is reported) make a quick run cheap.
import { generate } from '../src/model/generate';
import { tryImportPeftAdapter } from '../src/model/peftAdapter';
import { loadReferenceFixture, loadReferenceModel, useCpuBackend } from '../src/test/fixtures';

const n = Number(process.env.BENCH_NEW_TOKENS ?? 64);
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
await useCpuBackend();
console.log('model  setting          tokens/s (median)');
const summary: string[] = [];
for (const name of ['gpt2', 'llama', 'qwen2'] as const) {
  const fx = loadReferenceFixture(name);
  const model = loadReferenceModel(fx);
  const a = tryImportPeftAdapter(model, fx.adapterFiles);
  if (!a.ok) throw new Error(a.error);
  const prompt = Array.from(fx.batch.inputIds.subarray(0, 6));
  const median = async (opts: Parameters<typeof generate>[2]) => {
    await generate(model, prompt, { ...opts, maxNewTokens: 8 }); // warm-up
    const speeds: number[] = [];
    for (let i = 0; i < runs; i++) speeds.push((await generate(model, prompt, { ...opts, maxNewTokens: n })).tokensPerSecond);
    return speeds.sort((x, y) => x - y)[Math.floor(speeds.length / 2)];
  };
  const settings = {
    'base cached': { greedy: true },
    'adapter cached': { greedy: true, adapter: a.value },
    'base uncached': { greedy: true, useCache: false },
    'sampled cached': { temperature: 0.8, topP: 0.9, seed: 1 },
  } as const;
  const got: Record<string, number> = {};
  for (const [label, opts] of Object.entries(settings)) {
    got[label] = await median({ maxNewTokens: n, ...opts });
    console.log(`${name.padEnd(6)} ${label.padEnd(16)} ${got[label].toFixed(0)}`);
  }
  summary.push(`${name} ${got['base cached'].toFixed(0)} tok/s (cache x${(got['base cached'] / got['base uncached']).toFixed(1)})`);
  a.value.dispose();
  model.dispose();
}
console.log(`bench:generate cpu, ${n} new tokens: ${summary.join(', ')}`);
