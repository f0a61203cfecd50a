// Benchmark hook for `npm run bench:train`: with ?bench in the address the page exposes
// window.__studioBench(args), which times training steps in the worker. No UI.
import { getStudioBridge } from '../bridge/workerBridge';
import type { BenchmarkArgs, BenchmarkResult } from '../protocol/messages';

export function exposeBenchmarkHook(search: string): void {
  if (!new URLSearchParams(search).has('bench')) return;
  (globalThis as { __studioBench?: (a: BenchmarkArgs) => Promise<BenchmarkResult> }).__studioBench = (args) =>
    getStudioBridge().call('benchmark', args);
}
