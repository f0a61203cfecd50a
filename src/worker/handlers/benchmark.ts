// benchmark: times LoRA training steps of a random BERT classifier or Llama LM of a given size on a given
// backend and says where the time goes (train/benchmark), for `npm run bench:train`.
import { buildSplitGroups, groupStratifiedSplit } from '../../data/groupSplit';
import { detectSplitLeakage } from '../../data/leakage';
import { buildQualityReport } from '../../data/quality/report';
import type { BenchmarkArgs, BenchmarkResult } from '../../protocol/messages';
import { selectBackend } from '../../model/backend';
import { benchSession, profileStep, setStockKernels, timeSteps } from '../../train/benchmark';
import type { HandlerContext } from '../handlerContext';
import { StudioError } from '../userError';

export async function handleBenchmark(args: BenchmarkArgs, ctx: HandlerContext): Promise<BenchmarkResult> {
  if (ctx.session.training) throw new StudioError('busy', 'Stop the running training first.');
  const info = await selectBackend(args.backend);
  if (info.backend !== args.backend) throw new StudioError('backend', `${args.backend} did not start: ${info.reason}`);
  setStockKernels(args.stock === true);
  const shape = { family: args.family ?? 'bert', dims: args.dims, vocabSize: args.vocabSize ?? 30522, seqLen: args.seqLen, batchSize: args.batchSize };
  const got = benchSession(shape);
  if (!got.ok) throw new StudioError('bad-model', got.error);
  const s = got.value;
  // A fresh shape: one untimed warm-up step after the first (kernel setup, XNNPACK packing).
  const firstStepMs = s.steps === 0 ? (await timeSteps(s, 2))[0] : null;
  const times = await timeSteps(s, args.steps);
  const sorted = [...times].sort((a, b) => a - b);
  const medianMs = sorted[Math.floor(sorted.length / 2)];
  const p = args.profile === false ? null : await profileStep(s, shape);
  return {
    backend: info.backend,
    firstStepMs,
    medianStepMs: medianMs,
    stepTimesMs: times,
    tokensPerSec: (args.batchSize * args.seqLen) / (medianMs / 1000),
    matmulMs: p ? p.attention.ms + p.linears.ms : 0,
    otherMs: p ? p.other.ms : 0,
    kernelCount: p?.kernelCount ?? 0,
    topKernels: p?.top ?? [],
    profile: p ? { attention: p.attention, linears: p.linears, other: p.other } : null,
  };
}

/** bench:data in the browser: the full quality report, the group-aware split and its leakage check, timed here. */
export async function handleBenchData(args: { rows: string[][] }) {
  const { rows } = args;
  const texts = rows.map((r) => r[0]);
  const labels = rows.map((r) => r[1]);
  const t0 = performance.now();
  const report = buildQualityReport(rows, { textColumn: 0, labelColumn: 1, maxSeqLength: 128, seed: 1 });
  const t1 = performance.now();
  const fuzzyGroups = report.findings.find((f) => f.checkId === 'fuzzy_duplicates')?.groups ?? [];
  const split = groupStratifiedSplit(labels, buildSplitGroups(texts, { extraGroups: fuzzyGroups, index: report.reuse?.index }), {
    validationFraction: 0.1,
    seed: 1,
  });
  const t2 = performance.now();
  const leak = detectSplitLeakage(texts, split.train, split.validation, { seed: 1, reuse: report.reuse });
  const t3 = performance.now();
  return { reportMs: t1 - t0, splitMs: t2 - t1, leakageMs: t3 - t2, totalMs: t3 - t0, validationShareWithTwin: leak.shareWithTwin };
}
