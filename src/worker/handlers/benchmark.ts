// benchmark: times LoRA training steps of a random BERT of a given size on a given backend and says
// where the time goes (matmul kernels vs the rest), for `npm run bench:train`.
import * as tf from '@tensorflow/tfjs-core';
import { buildSplitGroups, groupStratifiedSplit } from '../../data/groupSplit';
import { detectSplitLeakage } from '../../data/leakage';
import { buildQualityReport } from '../../data/quality/report';
import type { BenchmarkArgs, BenchmarkResult } from '../../protocol/messages';
import { selectBackend } from '../../model/backend';
import { tryParseModelConfig, withLabels } from '../../model/config';
import { tryLoadModel } from '../../model/loadModel';
import { tryCreateLoraAdapter } from '../../model/lora';
import { randomBert } from '../../model/randomBert';
import { createAdamW } from '../../train/adamw';
import { trainStep } from '../../train/classifierStep';
import type { HandlerContext } from '../handlerContext';
import { StudioError } from '../userError';

const MATMUL_KERNELS = new Set(['BatchMatMul', '_FusedMatMul', 'MatMul']);

export async function handleBenchmark(args: BenchmarkArgs, ctx: HandlerContext): Promise<BenchmarkResult> {
  if (ctx.session.training) throw new StudioError('busy', 'Stop the running training first.');
  const info = await selectBackend(args.backend);
  if (info.backend !== args.backend) throw new StudioError('backend', `${args.backend} did not start: ${info.reason}`);
  const d = { vocabSize: 30522, maxPositions: 512, ...args.dims };
  const { tensors, configJson } = randomBert(d);
  const parsed = tryParseModelConfig(configJson);
  if (!parsed.ok) throw new StudioError('bad-config', parsed.error);
  const built = tryLoadModel(tensors, withLabels(parsed.value, ['a', 'b']), { task: 'SEQ_CLS', seed: 1, keepBackwardWeights: true });
  if (!built.ok) throw new StudioError('bad-model', built.error);
  const model = built.value;
  const lora = tryCreateLoraAdapter(model, { r: 8, loraAlpha: 16, loraDropout: 0, targetModules: ['query', 'value'], seed: 1 });
  if (!lora.ok) throw new StudioError('bad-lora', lora.error);
  const adapter = lora.value;
  const optimizer = createAdamW(adapter.peftTensors.map((t) => ({ name: t.key, variable: t.variable })));
  const B = args.batchSize;
  const T = args.seqLen;
  const batch = {
    B,
    T,
    inputIds: Int32Array.from({ length: B * T }, (_, i) => 1000 + ((i * 7919) % 20000)),
    attentionMask: new Int32Array(B * T).fill(1),
    labels: Int32Array.from({ length: B }, (_, i) => i % 2),
  };
  const step = () => trainStep(model, adapter, optimizer, batch, { lr: 1e-3, seed: 1, maxGradNorm: 1 });
  try {
    const firstStart = performance.now();
    const first = step();
    await first.data();
    first.dispose();
    const firstStepMs = performance.now() - firstStart;
    const warm = step();
    await warm.data();
    warm.dispose();
    const times: number[] = [];
    for (let i = 0; i < args.steps; i++) {
      const t0 = performance.now();
      const loss = step();
      await loss.data();
      loss.dispose();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const medianMs = times[Math.floor(times.length / 2)];
    // One profiled step: per-kernel times, grouped into matmuls and everything else.
    const profile = await tf.profile(() => {
      const loss = step();
      return loss;
    });
    (profile.result as tf.Tensor).dispose();
    let matmulMs = 0;
    let otherMs = 0;
    const byKernel = new Map<string, number>();
    for (const k of profile.kernels) {
      const ms = await k.kernelTimeMs;
      const t = typeof ms === 'number' ? ms : 0;
      // tfjs runs every matmul as BatchMatMul: tell the attention ones (leading dims B, H > 1) apart.
      const lead = (k.inputShapes[0] ?? []).slice(0, -2).reduce((a, b) => a * b, 1);
      const batched = MATMUL_KERNELS.has(k.name) && lead > 1;
      const name = MATMUL_KERNELS.has(k.name) ? (batched ? 'MatMul(attention, batched)' : 'MatMul(2-D linears)') : k.name;
      byKernel.set(name, (byKernel.get(name) ?? 0) + t);
      if (MATMUL_KERNELS.has(k.name)) matmulMs += t;
      else otherMs += t;
    }
    const top = [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([name, ms]) => ({ name, ms }));
    return { backend: info.backend, firstStepMs, medianStepMs: medianMs, tokensPerSec: (B * T) / (medianMs / 1000), matmulMs, otherMs, kernelCount: profile.kernels.length, topKernels: top };
  } finally {
    optimizer.dispose();
    adapter.dispose();
    model.dispose();
  }
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
  const split = groupStratifiedSplit(labels, buildSplitGroups(texts, { extraGroups: fuzzyGroups, index: report.reuse?.index }), { validationFraction: 0.1, seed: 1 });
  const t2 = performance.now();
  const leak = detectSplitLeakage(texts, split.train, split.validation, { seed: 1, reuse: report.reuse });
  const t3 = performance.now();
  return { reportMs: t1 - t0, splitMs: t2 - t1, leakageMs: t3 - t2, totalMs: t3 - t0, validationShareWithTwin: leak.shareWithTwin };
}
