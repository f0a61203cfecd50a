// Will a model fit: config.json (+ the shard index and safetensors headers when cheap) → parameter count and training
// memory, held against the WebGPU adapter's limits (or the wasm heap) as fits / tight / won't fit, before any big download.
import { configProblem } from '../model/sanity';
import * as tf from '@tensorflow/tfjs-core';
import type { ModelEstimate, ModelPlan, TrainConfig } from '../protocol/messages';
import { currentBackend } from '../model/backend';
import type { TaskType, WeightBank } from '../model/types';
import { bankUsable } from '../model/weightBank';
import { SUPPORTED_TASKS, taskForArchitecture } from '../model/loadModel';
import type { LoadedBaseModel } from './session';
import { HubError } from '../hub/hubFiles';
import { resolveWeightsLayout } from '../model/checkpoint';
import { tryParseModelConfig, type ModelConfig } from '../model/config';
import {
  backwardCopiesFit,
  DEFAULT_MEMORY_BUDGET,
  estimateMemory,
  transientPackingNeeded,
  WEBGPU_MEMORY_BUDGET,
  type DeviceLimits,
  type TensorInfo,
} from '../model/memoryEstimate';
import { StudioError } from './userError';
import type { ModelFiles } from './modelSources';

export function hubFailure(e: unknown): never {
  if (e instanceof HubError) throw new StudioError(`hub-${e.code}`, e.message);
  throw e;
}

/** config.json of the source, parsed; unsupported or broken configs become clear StudioErrors. */
export async function readModelConfig(files: ModelFiles): Promise<{ configJson: Record<string, unknown>; config: ModelConfig }> {
  const { modelId } = files;
  let configBytes: ArrayBuffer;
  try {
    configBytes = await files.fetchFile('config.json');
  } catch (e) {
    if (files.isNotFound(e) && !(e instanceof HubError))
      throw new StudioError(
        'missing-config',
        `${modelId} has no config.json; a model folder needs config.json, tokenizer.json and model.safetensors (or its shards).`,
      );
    hubFailure(e);
  }
  let configJson: Record<string, unknown>;
  try {
    configJson = JSON.parse(new TextDecoder().decode(configBytes));
  } catch {
    throw new StudioError('bad-config', `config.json of ${modelId} is not valid JSON; this is not a Hugging Face model folder.`);
  }
  const config = tryParseModelConfig(configJson);
  if (!config.ok) throw new StudioError('unsupported-model', `${modelId}: ${config.error}`);
  const absurd = configProblem(config.value); // before the size estimate, which would call it merely too large
  if (absurd) throw new StudioError('bad-config', `${modelId}: ${absurd}`);
  return { configJson, config: config.value };
}

let adapterLimits: Promise<GPUSupportedLimits | null> | null = null;
function webGpuLimits(): Promise<GPUSupportedLimits | null> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
  adapterLimits ??= gpu
    ? gpu.requestAdapter().then(
        (a) => a?.limits ?? null,
        () => null,
      )
    : Promise.resolve(null);
  return adapterLimits;
}

/** The limits the model is held against: ?maxBufferMB override, the WebGPU adapter (on webgpu), or the wasm heap. */
export async function deviceLimits(plan: ModelPlan): Promise<DeviceLimits> {
  const backend = (tf.engine() as unknown as { backendName: string | null }).backendName ?? 'webgpu';
  const deviceMemory = (globalThis.navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  const gpuBudget = deviceMemory ? deviceMemory * 1024 ** 3 : WEBGPU_MEMORY_BUDGET;
  if (plan.maxBufferMB && plan.maxBufferMB > 0) {
    const bytes = plan.maxBufferMB * 1024 ** 2;
    return {
      maxBufferSize: bytes,
      maxStorageBufferBindingSize: bytes,
      memoryBudget: backend === 'webgpu' ? gpuBudget : DEFAULT_MEMORY_BUDGET,
      source: `limit override (?maxBufferMB=${plan.maxBufferMB})`,
    };
  }
  const limits = backend === 'webgpu' ? await webGpuLimits() : null;
  if (limits) {
    return {
      maxBufferSize: limits.maxBufferSize,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      memoryBudget: gpuBudget,
      source: 'WebGPU adapter',
    };
  }
  return {
    maxBufferSize: null,
    maxStorageBufferBindingSize: null,
    memoryBudget: DEFAULT_MEMORY_BUDGET,
    source: `${backend === 'webgpu' ? 'cpu' : backend} backend (4 GB WebAssembly heap)`,
  };
}

/** Estimate from the config, refined with the safetensors headers when `probe` (a Range request per weight file). */
export async function estimateFor(files: ModelFiles, config: ModelConfig, plan: ModelPlan, probe: boolean): Promise<ModelEstimate> {
  let weightFiles = ['model.safetensors'];
  let headers: TensorInfo[] | null = null;
  if (probe) {
    const layout = await resolveWeightsLayout(files, files.modelId).catch(() => null);
    if (layout?.ok) weightFiles = layout.value.files;
    const parts = await Promise.all(weightFiles.map((f) => files.probeHeader(f)));
    headers = parts.every((p) => p !== null) ? (parts.flat() as TensorInfo[]) : null;
  }
  const estimate = estimateMemory(
    config,
    {
      batchSize: plan.batchSize,
      maxTokens: plan.maxSeqLength,
      loraR: plan.loraR,
      loraTargets: plan.loraTargets,
      numLabels: Math.max(2, config.numLabels),
      // A …ForCausalLM / LMHeadModel checkpoint is estimated as the LM run it is most likely loaded for.
      task: SUPPORTED_TASKS[config.modelType].includes('CAUSAL_LM') ? taskForArchitecture(config.architecture) : 'SEQ_CLS',
      backwardCopies: backwardCopiesPay(),
    },
    await deviceLimits(plan),
    headers,
  );
  return { ...estimate, modelId: files.modelId, modelType: config.modelType, weightFiles };
}

/** The refusal for a model that won't fit, naming every reason. */
export function tooLargeError(e: ModelEstimate): StudioError {
  return new StudioError('too-large', `${e.modelId} won't fit: ${e.reasons.join(' ')} Nothing was downloaded.`);
}

/** The base model's device weights for tryLoadModel; refused when they went with a lost backend (a lost GPU). */
export function sharedWeights(base: LoadedBaseModel): WeightBank {
  if (!bankUsable(base.weights)) {
    throw new StudioError('no-model', `The weights of ${base.modelId} were on a backend that is gone (a lost GPU device): load the model again.`);
  }
  return base.weights.bank;
}

/**
 * Frozen Linears keep an [out, in] copy only where it measurably pays: WASM/CPU (scripts/benchMemory.ts: the backward
 * without it is slower there), and with `run` only when the estimate with the copies still fits the 4 GB heap.
 */
export function backwardCopiesPay(run?: { config: ModelConfig; train: TrainConfig; task: TaskType; numLabels: number }): boolean {
  if (currentBackend() === 'webgpu') return false;
  if (!run) return true;
  const { config, train, task, numLabels } = run;
  const plan = { batchSize: train.batchSize, maxTokens: train.maxSeqLength, loraR: train.loraR, loraTargets: train.loraTargets, numLabels, task };
  return backwardCopiesFit(config, plan, WASM_LIMITS);
}

const WASM_LIMITS: DeviceLimits = { maxBufferSize: null, maxStorageBufferBindingSize: null, memoryBudget: DEFAULT_MEMORY_BUDGET, source: 'wasm backend' };

/**
 * Off WebGPU, a model whose weights plus XNNPACK's packed copies cannot fit the heap even for its smallest run
 * trains (and generates) with transient packing, as the estimate assumes (memoryEstimate.ts transientPackingNeeded).
 */
export function transientPackingPays(config: ModelConfig): boolean {
  return currentBackend() !== 'webgpu' && transientPackingNeeded(config, WASM_LIMITS);
}

/**
 * Start pressed: the estimate again with the run's batch, max tokens, task and the live backend; a run that
 * cannot fit is refused with the reason before anything is built (the page's estimate used the form's values then).
 */
export async function checkRunFits(base: LoadedBaseModel, c: TrainConfig, task: TaskType, numLabels: number): Promise<void> {
  const config = tryParseModelConfig(base.configJson);
  if (!config.ok) throw new StudioError('unsupported-model', config.error);
  let parameterCount = 0;
  for (const t of base.tensors.values()) parameterCount += t.shape.reduce((a, d) => a * d, 1);
  const plan = { batchSize: c.batchSize, maxSeqLength: c.maxSeqLength, loraR: c.loraR, loraTargets: c.loraTargets };
  const e = estimateMemory(
    config.value,
    {
      batchSize: c.batchSize,
      maxTokens: c.maxSeqLength,
      loraR: c.loraR,
      loraTargets: c.loraTargets,
      numLabels,
      task,
      backwardCopies: backwardCopiesPay({ config: config.value, train: c, task, numLabels }),
      largestFileBytes: 0,
    },
    await deviceLimits(plan),
    [...base.tensors].map(([name, t]) => ({ name, shape: t.shape, dtypeBytes: 4 })),
  );
  if (parameterCount > 0 && e.verdict === 'wont-fit') {
    throw new StudioError('too-large', `This run won't fit (batch ${c.batchSize}, max tokens ${c.maxSeqLength}): ${e.reasons.join(' ')} Nothing was started.`);
  }
}
