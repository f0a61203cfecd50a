// kernelCheck: runs the WGSL kernel cases (model/kernels/webgpu/selfCheck) and a micro BERT and Llama training
// step (train/kernelStepCheck) on webgpu (fused kernels) and on the CPU backend (stock ops), returns the
// differences, then puts the previous backend back. For the browser test.
import type { KernelCheckResult } from '../../protocol/messages';
import { currentBackend, selectBackend } from '../../model/backend';
import { fusedKernelCalls } from '../../model/kernels/webgpu/ops';
import { compareArrays, compareKernelRuns, kernelCheckCases, runKernelCases } from '../../model/kernels/webgpu/selfCheck';
import { STEP_CHECK_FAMILIES, stepArrays } from '../../train/kernelStepCheck';
import type { HandlerContext } from '../handlerContext';
import { StudioError } from '../userError';

async function runAll(seed: number, backend: string) {
  const cases = await runKernelCases(kernelCheckCases(seed), seed);
  const steps = [];
  const calls: Record<string, Record<string, number>> = {};
  for (const f of STEP_CHECK_FAMILIES) {
    try {
      fusedKernelCalls(true);
      steps.push(await stepArrays(f, seed));
      calls[f] = fusedKernelCalls(true);
    } catch (e) {
      throw new StudioError('kernel-check', `the ${f} step on ${backend} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  return { cases, steps, calls };
}

export async function handleKernelCheck(args: { seed: number }, ctx: HandlerContext): Promise<KernelCheckResult> {
  if (ctx.session.training) throw new StudioError('busy', 'Stop the running training first.');
  const before = currentBackend();
  const gpu = await selectBackend('webgpu');
  if (gpu.backend !== 'webgpu') throw new StudioError('backend', `WebGPU did not start: ${gpu.reason}`);
  const fused = await runAll(args.seed, 'webgpu');
  await selectBackend('cpu');
  const reference = await runAll(args.seed, 'cpu');
  if (before && before !== 'cpu') await selectBackend(before);
  const rows = [
    ...compareKernelRuns(kernelCheckCases(args.seed), fused.cases, reference.cases),
    ...STEP_CHECK_FAMILIES.flatMap((f, i) => compareArrays(`${f} step`, 'micro model, padded batch, LoRA q/v', fused.steps[i], reference.steps[i])),
  ];
  return { adapter: gpu.adapterDescription, isFallbackAdapter: gpu.isFallbackAdapter, rows, stepKernelCalls: fused.calls };
}
