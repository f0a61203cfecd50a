// Peak bytes of live tensors on the tfjs wasm backend, in-step included: wraps the backend's move / disposeData.
// For scripts/benchMemory.ts (XNNPACK's packed copies and heap fragmentation are not tensors: the heap minus this).
import * as tf from '@tensorflow/tfjs-core';

type Tracked = {
  move(dataId: object, v: unknown, shape: number[], dtype: tf.DataType, refCount: number): void;
  disposeData(dataId: object, force?: boolean): boolean;
};

/** Starts counting on the current (wasm) backend; returns a reader of the peak so far. */
export function trackTensorBytes(): () => number {
  const be = tf.backend() as unknown as Tracked;
  const sizes = new WeakMap<object, number>();
  const [move, dispose] = [be.move.bind(be), be.disposeData.bind(be)];
  let live = 0;
  let peak = 0;
  be.move = (dataId, v, shape, dtype, refCount) => {
    move(dataId, v, shape, dtype, refCount);
    const n = tf.util.sizeFromShape(shape) * (dtype === 'string' ? 0 : tf.util.bytesPerElement(dtype));
    sizes.set(dataId, n);
    peak = Math.max(peak, (live += n));
  };
  be.disposeData = (dataId, force) => {
    const freed = dispose(dataId, force);
    if (freed && sizes.has(dataId)) live -= sizes.get(dataId)!;
    if (freed) sizes.delete(dataId);
    return freed;
  };
  return () => peak;
}
