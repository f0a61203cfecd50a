// Tables of bench:train: per shape the studio's median step against PyTorch's, and the studio's kernel profile
// (attention matmuls, 2-D linears, the rest) with the GFLOP/s each achieved.
import type { BenchmarkResult } from '../../src/protocol/messages';

export type ShapeRow = {
  shape: string;
  backend: string;
  firstMs: number | null;
  ms: number;
  steps: number;
  tokens: number;
  torch: { label: string; ms: number }[];
  profile: BenchmarkResult['profile'];
  top: { name: string; ms: number }[];
};

export const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const pad = (s: string, n: number) => s.padStart(n);

export function printSummaryTable(rows: ShapeRow[]): void {
  console.log('\nshape    backend  steps  first ms  median ms  tokens/s | PyTorch default  PyTorch 1-thread | ratio (faster PyTorch / studio)');
  for (const r of rows) {
    const t = (label: string) => r.torch.find((x) => x.label.startsWith(label))?.ms ?? NaN;
    const fastest = Math.min(...r.torch.map((x) => x.ms));
    console.log(
      `${r.shape.padEnd(8)} ${r.backend.padEnd(8)} ${pad(String(r.steps), 5)} ${pad(fmt(r.firstMs ?? NaN, 0), 9)} ${pad(fmt(r.ms), 10)} ${pad(fmt(r.tokens / (r.ms / 1000), 0), 9)} | ${pad(fmt(t('default')), 12)} ms ${pad(fmt(t('OPENBLAS')), 13)} ms | ${fmt(fastest / r.ms, 3)}x`,
    );
  }
}

export function printProfile(rows: ShapeRow[]): void {
  console.log('\nprofile of one step (tf.profile; kernel ms, and GFLOP/s for matmuls)');
  console.log('shape    backend  attention matmuls    2-D linears          rest      step GFLOP  studio GFLOP/s  PyTorch GFLOP/s');
  for (const r of rows) {
    const p = r.profile;
    if (!p) {
      console.log(`${r.shape.padEnd(8)} ${r.backend.padEnd(8)} (no profile)`);
      continue;
    }
    const g = (x: { ms: number; gflop: number }) => `${pad(fmt(x.ms, 0), 6)} ms ${pad(fmt(x.gflop / (x.ms / 1000), 1), 5)} GF/s`;
    const flop = p.attention.gflop + p.linears.gflop;
    const torchMs = Math.min(...r.torch.map((x) => x.ms));
    console.log(
      `${r.shape.padEnd(8)} ${r.backend.padEnd(8)} ${g(p.attention)}  ${g(p.linears)}  ${pad(fmt(p.other.ms, 0), 6)} ms ${pad(fmt(flop, 2), 10)} ${pad(fmt(flop / (r.ms / 1000), 1), 14)} ${pad(fmt(flop / (torchMs / 1000), 1), 16)}`,
    );
    console.log(
      `         top kernels: ${r.top
        .slice(0, 6)
        .map((k) => `${k.name} ${fmt(k.ms, 0)}`)
        .join(', ')}`,
    );
  }
}
