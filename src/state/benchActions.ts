// Benchmark hook for `npm run bench:train`: with ?bench in the address the page exposes
// window.__studioBench(args) (training steps) and window.__studioBenchData(rows) (data audit), timed in the worker.
import { getStudioBridge } from '../bridge/workerBridge';
import type { BenchmarkArgs, BenchmarkResult, Requests } from '../protocol/messages';

export function exposeBenchmarkHook(search: string): void {
  if (!new URLSearchParams(search).has('bench')) return;
  const g = globalThis as {
    __studioBench?: (a: BenchmarkArgs) => Promise<BenchmarkResult>;
    __studioBenchData?: (rows: string[][]) => Promise<Requests['benchData']['result']>;
  };
  g.__studioBench = (args) => getStudioBridge().call('benchmark', args);
  // npm run bench:quality drives the studio's own requests (parse, split, load the offline default, train) from here.
  (g as { __studioCall?: unknown }).__studioCall = <K extends keyof Requests>(kind: K, args: Requests[K]['args']) => getStudioBridge().call(kind, args);
  g.__studioBenchData = (rows) => getStudioBridge().call('benchData', { rows });
}
