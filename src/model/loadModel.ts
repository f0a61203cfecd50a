// tryLoadModel: builds the right family's SequenceModel from HF weights, dispatching on config model_type.
// tfjs-core, lib/ and model/ only.
import { err, type Result } from '../lib/result';
import { tryLoadBertModel } from './bert';
import type { ModelConfig } from './config';
import { tryLoadDistilBertModel } from './distilbert';
import { tryLoadGpt2Model } from './gpt2';
import { tryLoadLlamaModel } from './llama';
import type { NamedTensor } from './safetensors';
import type { LoadModelOptions, SequenceModel, TaskType } from './types';

/** Tasks each family supports. */
export const SUPPORTED_TASKS: Readonly<Record<ModelConfig['modelType'], readonly TaskType[]>> = Object.freeze({
  bert: ['SEQ_CLS'],
  roberta: ['SEQ_CLS'],
  distilbert: ['SEQ_CLS'],
  gpt2: ['SEQ_CLS', 'CAUSAL_LM'],
  llama: ['SEQ_CLS', 'CAUSAL_LM'],
  qwen2: ['SEQ_CLS', 'CAUSAL_LM'],
});

/** Load any supported model; options.task defaults to SEQ_CLS (a classifier with a fresh head when missing). */
export function tryLoadModel(tensors: Map<string, NamedTensor>, config: ModelConfig, options: LoadModelOptions = {}): Result<SequenceModel, string> {
  const task = options.task ?? 'SEQ_CLS';
  if (!SUPPORTED_TASKS[config.modelType].includes(task)) {
    return err(`${config.modelType} models support ${SUPPORTED_TASKS[config.modelType].join(', ')}, not ${task}.`);
  }
  switch (config.modelType) {
    case 'bert':
    case 'roberta':
      return tryLoadBertModel(tensors, config, options);
    case 'distilbert':
      return tryLoadDistilBertModel(tensors, config, options);
    case 'gpt2':
      return tryLoadGpt2Model(tensors, config, options);
    case 'llama':
    case 'qwen2':
      return tryLoadLlamaModel(tensors, config, options);
  }
}

/** The task an HF `architectures` entry implies (…ForCausalLM / …LMHeadModel: CAUSAL_LM), else SEQ_CLS. */
export function taskForArchitecture(architecture: string | null): TaskType {
  return architecture && /(ForCausalLM|LMHeadModel)$/.test(architecture) ? 'CAUSAL_LM' : 'SEQ_CLS';
}
