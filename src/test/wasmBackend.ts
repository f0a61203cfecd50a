// Test-only: run a describe block on tfjs-backend-wasm with the studio's own wasm kernels registered (as the worker
// does), and put the previous backend back afterwards. Node/Vitest only.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll } from 'vitest';
import { registerWasmFastSlice } from '../model/kernels/wasmSlice';
import { registerWasmUnsortedSegmentSum } from '../model/wasmKernels';

export function useWasmBackend(): void {
  let before = '';
  beforeAll(async () => {
    before = tf.getBackend();
    registerWasmUnsortedSegmentSum();
    registerWasmFastSlice();
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend(before || 'cpu');
  });
}
