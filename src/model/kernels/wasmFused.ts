// Fused erf-GELU and LayerNorm for tfjs-backend-wasm, forward and backward, as JS kernels on the wasm heap: the
// stock ops run 5 (GELU) and 8 (LayerNorm) passes forward and about twice that backward, each allocating a
// tensor; these do one pass each way. Hand-written because tfjs has no fused GELU/LayerNorm kernel.
import * as tf from '@tensorflow/tfjs-core';

type WasmHeapBackend = {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
};

export const WASM_KERNELS = {
  gelu: 'StudioGeluErf',
  geluGrad: 'StudioGeluErfGrad',
  layerNorm: 'StudioLayerNorm',
  layerNormGrad: 'StudioLayerNormGrad',
} as const;

// erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), the approximation tfjs's own Erf kernels use.
const P = 0.3275911;
const [A1, A2, A3, A4, A5] = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429];
function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + P * a);
  return s * (1 - ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t * Math.exp(-a * a));
}
const INV_SQRT2PI = 1 / Math.sqrt(2 * Math.PI);

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
  register(WASM_KERNELS.gelu, ({ x }, _a, be) => {
    const out = be.makeOutput(x.shape, 'float32');
    const xs = be.typedArrayFromHeap(x);
    const ys = be.typedArrayFromHeap(out);
    for (let i = 0; i < xs.length; i++) ys[i] = 0.5 * xs[i] * (1 + erf(xs[i] * Math.SQRT1_2));
    return out;
  });
  register(WASM_KERNELS.geluGrad, ({ x, dy }, _a, be) => {
    const out = be.makeOutput(x.shape, 'float32');
    const xs = be.typedArrayFromHeap(x);
    const gs = be.typedArrayFromHeap(dy);
    const dx = be.typedArrayFromHeap(out);
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i];
      dx[i] = gs[i] * (0.5 * (1 + erf(v * Math.SQRT1_2)) + v * INV_SQRT2PI * Math.exp(-0.5 * v * v));
    }
    return out;
  });
  register(WASM_KERNELS.layerNorm, ({ x, gamma, beta }, { eps }, be) => {
    const [N, C] = x.shape;
    const out = be.makeOutput(x.shape, 'float32');
    const [xs, g, b, ys] = [be.typedArrayFromHeap(x), be.typedArrayFromHeap(gamma), be.typedArrayFromHeap(beta), be.typedArrayFromHeap(out)];
    for (let n = 0, o = 0; n < N; n++, o += C) {
      let mean = 0;
      for (let c = 0; c < C; c++) mean += xs[o + c];
      mean /= C;
      let v = 0;
      for (let c = 0; c < C; c++) v += (xs[o + c] - mean) ** 2;
      const inv = 1 / Math.sqrt(v / C + eps);
      for (let c = 0; c < C; c++) ys[o + c] = (xs[o + c] - mean) * inv * g[c] + b[c];
    }
    return out;
  });
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
/** Off: stock tfjs ops for GELU and LayerNorm on wasm too (bench:train's "stock tfjs" baseline). */
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

/** 0.5·x·(1 + erf(x/√2)) with its exact derivative, one kernel each way. */
export const fusedGeluErf = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([x]);
  return {
    value: run<tf.Tensor>(WASM_KERNELS.gelu, { x }),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => run<tf.Tensor>(WASM_KERNELS.geluGrad, { x: saved[0], dy }),
  };
}) as (x: tf.Tensor2D) => tf.Tensor2D;

/** torch LayerNorm over the last axis of x [N, C] (biased variance), gradients for x, gamma and beta. */
export function fusedLayerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor2D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, gi, bi, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    save([xi, gi]);
    return {
      value: run<tf.Tensor2D>(WASM_KERNELS.layerNorm, { x: xi, gamma: gi, beta: bi }, { eps }),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => run<tf.Tensor[]>(WASM_KERNELS.layerNormGrad, { x: saved[0], gamma: saved[1], dy }, { eps }),
    };
  });
  return f(x, gamma, beta) as tf.Tensor2D;
}
