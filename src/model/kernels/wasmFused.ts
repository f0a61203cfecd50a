// LayerNorm's backward for tfjs-backend-wasm as one JS pass on the wasm heap (dx, dgamma, dbeta), where tfjs's
// autodiff of the stock ops runs ~15 kernels: fwd+bwd of a [2048, 256] LayerNorm 97 -> ~50 ms. The forward stays
// on tfjs's SIMD kernels (a JS forward was slower), and so does GELU: a fused JS erf-GELU measured 2x slower than
// tfjs's SIMD Erf + elementwise ops, forward and backward, so it is not used. Hand-written: tfjs has no fused LayerNorm.
import * as tf from '@tensorflow/tfjs-core';

type WasmHeapBackend = {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
};

export const WASM_KERNELS = { layerNormGrad: 'StudioLayerNormGrad' } as const;

type Run = (inputs: Record<string, tf.TensorInfo>, attrs: Record<string, number>, be: WasmHeapBackend) => tf.TensorInfo | tf.TensorInfo[];
function register(kernelName: string, run: Run): void {
  if (tf.getKernel(kernelName, 'wasm')) return;
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) =>
      run(inputs as unknown as Record<string, tf.TensorInfo>, attrs as unknown as Record<string, number>, backend as unknown as WasmHeapBackend),
  });
}

/** Heap views are taken after every makeOutput (a heap growth detaches earlier views). */
function registerAll(): void {
  // dx = inv·(ĝ - mean(ĝ) - x̂·mean(ĝ·x̂)), ĝ = dy·gamma; dgamma = Σ dy·x̂, dbeta = Σ dy over rows.
  register(WASM_KERNELS.layerNormGrad, ({ x, gamma, dy }, { eps }, be) => {
    const [N, C] = x.shape;
    const dxOut = be.makeOutput(x.shape, 'float32');
    const dgOut = be.makeOutput([C], 'float32');
    const dbOut = be.makeOutput([C], 'float32');
    const [xs, g, gs] = [be.typedArrayFromHeap(x), be.typedArrayFromHeap(gamma), be.typedArrayFromHeap(dy)];
    const [dx, dg, db] = [be.typedArrayFromHeap(dxOut), be.typedArrayFromHeap(dgOut), be.typedArrayFromHeap(dbOut)];
    const dgAcc = new Float64Array(C);
    const dbAcc = new Float64Array(C);
    const xhat = new Float64Array(C);
    for (let n = 0, o = 0; n < N; n++, o += C) {
      let mean = 0;
      for (let c = 0; c < C; c++) mean += xs[o + c];
      mean /= C;
      let v = 0;
      for (let c = 0; c < C; c++) v += (xs[o + c] - mean) ** 2;
      const inv = 1 / Math.sqrt(v / C + eps);
      let sumG = 0;
      let sumGX = 0;
      for (let c = 0; c < C; c++) {
        const h = (xs[o + c] - mean) * inv;
        xhat[c] = h;
        const gh = gs[o + c] * g[c];
        sumG += gh;
        sumGX += gh * h;
        dgAcc[c] += gs[o + c] * h;
        dbAcc[c] += gs[o + c];
      }
      sumG /= C;
      sumGX /= C;
      for (let c = 0; c < C; c++) dx[o + c] = inv * (gs[o + c] * g[c] - sumG - xhat[c] * sumGX);
    }
    dg.set(dgAcc);
    db.set(dbAcc);
    return [dxOut, dgOut, dbOut];
  });
}

let enabled = true;
/** Off: tfjs's own autodiff for LayerNorm on wasm too (bench:train's "stock tfjs" baseline). */
export function setWasmFusedKernels(on: boolean): void {
  enabled = on;
}

/** True on the wasm backend with the switch on (registers the kernels on first use). */
export function wasmFusedActive(): boolean {
  if (!enabled || tf.getBackend() !== 'wasm') return false;
  registerAll();
  return true;
}

const run = <T extends tf.Tensor | tf.Tensor[]>(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, number> = {}): T =>
  tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as T;

/** torch LayerNorm over the last axis of x [N, C] (biased variance); its gradients for x, gamma, beta from one JS pass. */
export function fusedLayerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor2D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, gi, bi, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    save([xi, gi]);
    const { mean, variance } = tf.moments(xi, -1, true); // [N, 1] each; the stock forward (tfjs's SIMD kernels)
    const normed = tf.mul(tf.sub(xi, mean), tf.rsqrt(tf.add(variance, eps)));
    return {
      value: tf.add(tf.mul(normed, gi), bi) as tf.Tensor2D, // [N, C]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => run<tf.Tensor[]>(WASM_KERNELS.layerNormGrad, { x: saved[0], gamma: saved[1], dy }, { eps }),
    };
  });
  return f(x, gamma, beta) as tf.Tensor2D;
}
