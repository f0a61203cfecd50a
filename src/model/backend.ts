// Chooses and starts the tfjs backend (WebGPU, WASM with threads, or plain CPU) and says why.
// The only file that calls tf.setBackend; worker side only (no DOM, no React).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerWasmUnsortedSegmentSum } from './wasmKernels';
import { registerWasmFastSlice } from './kernels/wasmSlice';
import { guardWasmAllocations } from './wasmHeap';
import { gpuDeviceLost, watchWebGpuDevice } from './deviceLoss';

export type BackendName = 'webgpu' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;
/** Which backend runs and why (mirrored by protocol's BackendInfo). */
export type BackendInfo = {
  backend: BackendName;
  reason: string;
  adapterDescription: string | null;
  isFallbackAdapter: boolean | null;
};

type GpuProbe = { available: boolean; isFallback: boolean | null; description: string | null; error?: string };

async function probeWebGpu(): Promise<GpuProbe> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { available: false, isFallback: null, description: null, error: 'this browser exposes no navigator.gpu' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { available: false, isFallback: null, description: null, error: 'no WebGPU adapter was offered' };
    // adapter.info (with isFallbackAdapter) is newer than TypeScript's DOM types.
    const info = ((adapter as unknown as { info?: Record<string, unknown> }).info ?? {}) as {
      vendor?: string;
      architecture?: string;
      description?: string;
      isFallbackAdapter?: boolean;
    };
    const description = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
    return { available: true, isFallback: info.isFallbackAdapter ?? false, description };
  } catch (e) {
    return { available: false, isFallback: null, description: null, error: String(e) };
  }
}

let webGpuRegistered = false;

async function startBackend(name: BackendName): Promise<void> {
  const lost = name === 'webgpu' ? gpuDeviceLost() : null;
  if (lost) throw new Error(`${lost} earlier; reload the page to use WebGPU again`);
  if (tf.getBackend() === name) return; // already running: setting it again would re-initialise it
  if (name === 'webgpu') {
    await import('@tensorflow/tfjs-backend-webgpu');
    const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
    // Ask for the adapter's storage-buffer limit (tfjs asks for the default 8; its AddN can need more).
    if (gpu && !webGpuRegistered) (await import('./kernels/webgpuDevice')).registerWebGpuWithAdapterLimits(gpu, true); // + timestamp-query when offered (tf.profile)
    webGpuRegistered = true;
  }
  if (name === 'wasm') {
    setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
      // Never loaded (threads are off below), but setWasmPaths insists on every entry.
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
    });
    // The threaded build's pthread workers fail once bundled by Vite ("e is not defined" in the blob
    // worker), and threads gained only 2-14% per step here (perf-baseline.md): use the SIMD build.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    registerWasmUnsortedSegmentSum(); // tf.gather's gradient (decoder pooling, repeat_kv)
    registerWasmFastSlice(); // per-head attention slices without copying the whole input each time
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tfjs could not start the ${name} backend`);
  await tf.ready();
  if (name === 'wasm') guardWasmAllocations(); // a failed malloc must not corrupt the heap (wasmHeap.ts)
  if (name === 'webgpu') watchWebGpuDevice();
}

/**
 * Picks the backend: a hardware WebGPU adapter when there is one; otherwise WASM, which on a CPU beats
 * WebGPU's software fallback (SwiftShader) by 20x for our step (shared/notes/perf-baseline.md).
 * An explicit preference is honoured when it can start; failures fall back with the reason stated.
 */
export function selectBackend(preference: BackendPreference): Promise<BackendInfo> {
  // Two starts at once (page start-up and a quick second choice) would initialise WASM twice and
  // break it ("makeTensorInfo is not a function"): run them one after another.
  const run = () => selectBackendNow(preference);
  const next = pending.then(run, run);
  pending = next.catch(() => undefined);
  return next;
}

let pending: Promise<unknown> = Promise.resolve();

async function selectBackendNow(preference: BackendPreference): Promise<BackendInfo> {
  const probe = await probeWebGpu();
  const wasmNote = 'WebAssembly (SIMD)';

  let wanted: BackendName;
  let reason: string;
  if (preference !== 'auto') {
    wanted = preference;
    reason = `chosen by you${preference === 'webgpu' && probe.isFallback ? ' (note: this WebGPU adapter is a software fallback, so it is slow)' : ''}`;
  } else if (probe.available && !probe.isFallback) {
    wanted = 'webgpu';
    reason = `hardware WebGPU adapter found (${probe.description})`;
  } else if (probe.available) {
    wanted = 'wasm';
    reason = `the only WebGPU adapter is a software fallback (${probe.description}); ${wasmNote} is faster on this machine`;
  } else {
    wanted = 'wasm';
    reason = `no WebGPU (${probe.error}); using ${wasmNote}`;
  }

  const order: BackendName[] = [wanted, ...(['wasm', 'cpu'] as BackendName[]).filter((b) => b !== wanted)];
  const failures: string[] = [];
  for (const name of order) {
    try {
      await startBackend(name);
      const fellBack = failures.length > 0 ? ` — fell back because ${failures.join('; ')}` : '';
      return {
        backend: name,
        reason: name === wanted ? reason : `${reason}${fellBack}`,
        adapterDescription: probe.description,
        isFallbackAdapter: probe.isFallback,
      };
    } catch (e) {
      failures.push(`${name} failed to start (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  throw new Error(`No tfjs backend could start: ${failures.join('; ')}`);
}

export function currentBackend(): BackendName {
  return tf.getBackend() as BackendName;
}
