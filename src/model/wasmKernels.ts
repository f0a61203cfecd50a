// tfjs-backend-wasm 4.22 has no UnsortedSegmentSum kernel, which tf.gather's gradient needs (decoder pooling on the last
// token, Llama/Qwen2 repeat_kv): without it GPT-2 and Llama classifiers cannot train on wasm. A plain JS kernel fills in.
import * as tf from '@tensorflow/tfjs-core';

type WasmBackendLike = {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array;
};

/** out[segmentIds[i], ...] += x[i, ...]; segmentIds is 1-D over x's first axis (how tf.gather's gradient calls it). */
export function registerWasmUnsortedSegmentSum(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const b = backend as unknown as WasmBackendLike;
      if (segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) {
        throw new Error(`UnsortedSegmentSum (wasm): segmentIds ${JSON.stringify(segmentIds.shape)} must be 1-D over x's first axis ${JSON.stringify(x.shape)}`);
      }
      const inner = x.shape.slice(1).reduce((a, d) => a * d, 1);
      const xs = b.readSync(x.dataId);
      const ids = b.readSync(segmentIds.dataId);
      const out = b.makeOutput([numSegments, ...x.shape.slice(1)], x.dtype);
      const vals = b.typedArrayFromHeap(out);
      vals.fill(0);
      for (let i = 0; i < ids.length; i++) {
        const s = ids[i];
        if (s < 0 || s >= numSegments) continue; // TF drops out-of-range ids
        for (let j = 0, src = i * inner, dst = s * inner; j < inner; j++) vals[dst + j] += xs[src + j];
      }
      return out;
    },
  });
}
