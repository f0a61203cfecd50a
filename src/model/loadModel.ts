// tryLoadModel: builds the right family's SequenceModel from HF weights through the family registry.
// tfjs-core, lib/ and model/ only.
import { err, type Result } from '../lib/result';
import type { ModelConfig } from './config';
import { family, FAMILIES } from './families';
import type { NamedTensor } from './safetensors';
import type { LoadModelOptions, SequenceModel, TaskType } from './types';

/** Tasks each family supports (from the registry). */
export const SUPPORTED_TASKS: Readonly<Record<ModelConfig['modelType'], readonly TaskType[]>> = Object.freeze(
  Object.fromEntries(FAMILIES.map((f) => [f.modelType, f.tasks])) as Record<ModelConfig['modelType'], readonly TaskType[]>,
);

/** Load any supported model; options.task defaults to SEQ_CLS (a classifier with a fresh head when missing). */
export function tryLoadModel(tensors: Map<string, NamedTensor>, config: ModelConfig, options: LoadModelOptions = {}): Result<SequenceModel, string> {
  const task = options.task ?? 'SEQ_CLS';
  const f = family(config.modelType);
  if (!f.tasks.includes(task)) return err(`${config.modelType} models support ${f.tasks.join(', ')}, not ${task}.`);
  return f.load(tensors, config, { ...options, task });
}

/** The task an HF `architectures` entry implies (…ForCausalLM / …LMHeadModel: CAUSAL_LM), else SEQ_CLS. */
export function taskForArchitecture(architecture: string | null): TaskType {
  return architecture && /(ForCausalLM|LMHeadModel)$/.test(architecture) ? 'CAUSAL_LM' : 'SEQ_CLS';
}
