// tfjs-backend-wasm 4.22's Slice copies its whole input out of the heap (readSync) before taking the slice: a
// [64, 128, 64] tensor split into 64 heads costs 64 full copies (~70 ms). This Slice reads the heap in place.
import * as tf from '@tensorflow/tfjs-core';

type WasmHeapBackend = {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
};

/** Copies the box begin..begin+size of x (row-major, shape) into out, row by innermost row. */
export function copyBox(
  x: ArrayLike<number> & { subarray?: unknown },
  shape: number[],
  begin: number[],
  size: number[],
  out: Float32Array | Int32Array | Uint8Array,
): void {
  const rank = shape.length;
  const strides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  // Merge trailing axes that are taken whole into one contiguous run.
  let inner = rank - 1;
  while (inner > 0 && begin[inner] === 0 && size[inner] === shape[inner]) inner--;
  const run = size.slice(inner).reduce((a, d) => a * d, 1);
  const xs = x as Float32Array;
  const outer = size.slice(0, inner);
  const count = outer.reduce((a, d) => a * d, 1);
  const idx = new Array<number>(inner).fill(0);
  for (let n = 0, o = 0; n < count; n++, o += run) {
    let off = begin[inner] * strides[inner];
    for (let a = 0; a < inner; a++) off += (begin[a] + idx[a]) * strides[a];
    out.set(xs.subarray(off, off + run), o);
    for (let a = inner - 1; a >= 0; a--) {
      if (++idx[a] < outer[a]) break;
      idx[a] = 0;
    }
  }
}

function sliceOnHeap(be: WasmHeapBackend, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  if (x.dtype === 'string' || x.dtype === 'complex64') throw new Error(`Slice (wasm): dtype ${x.dtype} is not supported`);
  const out = be.makeOutput(size, x.dtype); // allocate first: a heap growth would detach earlier views
  if (size.some((d) => d === 0)) return out;
  copyBox(be.typedArrayFromHeap(x), x.shape, begin, size, be.typedArrayFromHeap(out));
  return out;
}

type Fast = tf.KernelConfig & { fast?: boolean };

const stock = new Map<string, tf.KernelConfig>();

function replace(kernelName: string, kernelFunc: tf.KernelFunc): void {
  const current = tf.getKernel(kernelName, 'wasm') as Fast | undefined;
  if (current?.fast) return;
  if (current) {
    stock.set(kernelName, current);
    tf.unregisterKernel(kernelName, 'wasm');
  }
  tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc, fast: true } as Fast);
}

/** Replaces the wasm backend's Slice, SplitV and Unpack kernels (same semantics, no copy of the input). Idempotent. */
export function registerWasmFastSlice(): void {
  replace('Slice', ({ inputs, attrs, backend }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    const { begin, size } = attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    return sliceOnHeap(backend as unknown as WasmHeapBackend, x, b, s);
  });
  replace('SplitV', ({ inputs, attrs, backend }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    const { numOrSizeSplits, axis } = attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    const $axis = tf.util.parseAxisParam(axis, x.shape)[0];
    const splits = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, $axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return splits.map((len) => {
      const size = [...x.shape];
      size[$axis] = len;
      const out = sliceOnHeap(backend as unknown as WasmHeapBackend, x, [...begin], size);
      begin[$axis] += len;
      return out;
    });
  });
  replace('Unpack', ({ inputs, attrs, backend }) => {
    const { value } = inputs as { value: tf.TensorInfo };
    const axis = tf.util.parseAxisParam((attrs as unknown as { axis: number }).axis, value.shape)[0];
    const n = value.shape[axis];
    const outShape = value.shape.filter((_, i) => i !== axis);
    const size = [...value.shape];
    size[axis] = 1;
    return Array.from({ length: n }, (_, i) => {
      const begin = new Array<number>(value.shape.length).fill(0);
      begin[axis] = i;
      const out = sliceOnHeap(backend as unknown as WasmHeapBackend, value, begin, size);
      return { ...out, shape: outShape };
    });
  });
}

/** Puts tfjs's own Slice, SplitV and Unpack back (bench:train's "stock tfjs" baseline). */
export function restoreWasmStockSlice(): void {
  for (const [name, config] of stock) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
  }
  stock.clear();
}
