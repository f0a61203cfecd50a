// Guards the tfjs WASM backend against a failed allocation. Its move() takes `_malloc(n) >>> 0` as the tensor's
// address; when the heap cannot grow (4 GB ceiling, or the browser refuses), malloc returns 0 and the tensor is
// written over address 0: the heap's own bookkeeping is overwritten and a later free() dies with "memory access
// out of bounds" in disposeData. Here the same move() refuses a null pointer with a clear out-of-memory error.
// Written by hand: tfjs has no hook for this (move is copied from tfjs-backend-wasm 4.22, plus the check).
import * as tf from '@tensorflow/tfjs-core';

type WasmBackend = {
  dataIdNextNumber: number;
  dataIdMap: { set(id: object, v: unknown): void };
  wasm: { _malloc(n: number): number; HEAPU8: Uint8Array; tfjs: { registerTensor(id: number, size: number, offset: number): void } };
  move(dataId: object, values: ArrayBufferView | null, shape: number[], dtype: tf.DataType, refCount: number): void;
  __studioGuarded?: boolean;
};

/** Thrown instead of corrupting the heap; the worker turns it into "lower the batch size or max tokens". */
export class WasmOutOfMemoryError extends Error {}

/** Install the guard on the registered 'wasm' backend (idempotent; a no-op when WASM is not registered). */
export function guardWasmAllocations(): void {
  const backend = tf.findBackend('wasm') as unknown as WasmBackend | null;
  if (!backend || backend.__studioGuarded) return;
  backend.__studioGuarded = true;
  backend.move = function move(this: WasmBackend, dataId, values, shape, dtype, refCount) {
    const id = this.dataIdNextNumber++;
    if (dtype === 'string') {
      this.dataIdMap.set(dataId, { id, stringBytes: values, shape, dtype, memoryOffset: null, refCount });
      return;
    }
    const size = tf.util.sizeFromShape(shape);
    const numBytes = size * tf.util.bytesPerElement(dtype);
    const memoryOffset = this.wasm._malloc(numBytes) >>> 0; // >>> 0: addresses above 2 GB come back negative
    if (memoryOffset === 0 && numBytes > 0) {
      const heap = this.wasm.HEAPU8.buffer.byteLength;
      throw new WasmOutOfMemoryError(
        `out of memory: the WebAssembly heap (${(heap / 1e9).toFixed(2)} GB in use, at most 4.29 GB) could not hold another ${(numBytes / 1e6).toFixed(1)} MB tensor [${shape.join(', ')}]; lower the batch size or max tokens, or pick a smaller model.`,
      );
    }
    this.dataIdMap.set(dataId, { id, memoryOffset, shape, dtype, refCount });
    this.wasm.tfjs.registerTensor(id, size, memoryOffset);
    if (values != null) this.wasm.HEAPU8.set(new Uint8Array(values.buffer, values.byteOffset, numBytes), memoryOffset);
  };
}
