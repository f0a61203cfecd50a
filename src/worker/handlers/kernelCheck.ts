// kernelCheck: runs the WGSL kernel cases on webgpu (fused) and on the CPU backend (stock ops) and returns the
// differences (model/kernels/webgpu/selfCheck), then puts the previous backend back. For the browser test.
import type { KernelCheckResult } from '../../protocol/messages';
import { currentBackend, selectBackend } from '../../model/backend';
import { compareKernelRuns, kernelCheckCases, runKernelCases } from '../../model/kernels/webgpu/selfCheck';
import type { HandlerContext } from '../handlerContext';
import { StudioError } from '../userError';

export async function handleKernelCheck(args: { seed: number }, ctx: HandlerContext): Promise<KernelCheckResult> {
  if (ctx.session.training) throw new StudioError('busy', 'Stop the running training first.');
  const before = currentBackend();
  const gpu = await selectBackend('webgpu');
  if (gpu.backend !== 'webgpu') throw new StudioError('backend', `WebGPU did not start: ${gpu.reason}`);
  const cases = kernelCheckCases(args.seed);
  const fused = await runKernelCases(cases, args.seed);
  await selectBackend('cpu');
  const reference = await runKernelCases(cases, args.seed);
  if (before && before !== 'cpu') await selectBackend(before);
  return { adapter: gpu.adapterDescription, isFallbackAdapter: gpu.isFallbackAdapter, rows: compareKernelRuns(cases, fused, reference) };
}
