// The studio's WGSL kernels (fused attention, fused LoRA linear, cross-entropy) against the CPU backend in the
// browser, on Chromium's WebGPU (SwiftShader here): forward values and gradients for random inputs with odd
// sizes, padding/causal/decode masks, a fully masked sequence and ignored targets (model/kernels/webgpu/selfCheck),
// and a micro BERT and Llama LoRA step's loss and gradients with the kernels inside (train/kernelStepCheck).
import { expect, test } from '@playwright/test';
import type { KernelCheckResult } from '../../src/protocol/messages';

// float32 on both sides, different summation orders: |fused - cpu| <= TOL * max(1, max |cpu|) per output.
const TOL = { value: 1e-5, grad: 5e-5 };
// A whole training step (2 layers, LoRA on q/v, loss through the head) accumulates more rounding.
const STEP_TOL = { value: 1e-5, grad: 1e-5 };

for (const seed of [1, 2]) {
  test(`WGSL kernels match the CPU backend, forward and gradients (seed ${seed})`, async ({ page }) => {
    await page.goto('/?bench');
    await page.waitForFunction(() => '__studioCall' in globalThis);
    const got = (await page.evaluate(
      (s) => (globalThis as unknown as { __studioCall(k: string, a: unknown): Promise<unknown> }).__studioCall('kernelCheck', { seed: s }),
      seed,
    )) as KernelCheckResult;
    console.log(`adapter: ${got.adapter} (fallback: ${got.isFallbackAdapter})`);
    // The micro models' webgpu steps really ran the fused kernels (2 layers: attention and q/v LoRA linears twice each).
    for (const family of ['bert', 'llama']) {
      const c = got.stepKernelCalls[family];
      console.log(`${family} step kernel calls: ${JSON.stringify(c)}`);
      expect(c.StudioAttention).toBe(2);
      expect(c.StudioLoraLinear).toBe(4);
      expect(c.StudioCrossEntropy).toBe(1);
      expect(c.StudioCrossEntropyGrad).toBe(1);
    }
    const kernels = new Set(got.rows.map((r) => r.kernel));
    expect([...kernels].sort()).toEqual(['attention', 'bert step', 'crossEntropy', 'llama step', 'loraLinear']);
    for (const r of got.rows) {
      const t = r.kernel.endsWith('step') ? STEP_TOL : TOL;
      const tol = (r.output === 'value' || r.output === 'loss' ? t.value : t.grad) * Math.max(1, r.maxAbsRef);
      console.log(
        `${r.kernel.padEnd(12)} ${r.case.padEnd(40).slice(0, 40)} ${r.output.padEnd(7).slice(-60)} max |diff| ${r.maxAbsDiff.toExponential(2)} (max |ref| ${r.maxAbsRef.toFixed(3)}, tol ${tol.toExponential(1)})`,
      );
      expect(r.maxAbsRef, `${r.kernel} ${r.case} ${r.output} is all zeros`).toBeGreaterThan(0);
      expect(r.maxAbsDiff, `${r.kernel} ${r.case} ${r.output}`).toBeLessThanOrEqual(tol);
    }
  });
}
