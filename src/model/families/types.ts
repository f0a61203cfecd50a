// What a model family is to the rest of the studio: one descriptor per family (config parsing, the tensor table,
// LoRA target presets, tasks, tokenizer quirks, the loader). The registry (families/index.ts) lists them. Types only.
import type { Result } from '../../lib/result';
import type { NamedTensor } from '../safetensors';
import type { LoadModelOptions, SequenceModel, TaskType } from '../types';

export type LoraTargetPresetId = 'default' | 'attention' | 'all-linear';

/**
 * One tensor of a checkpoint, under the name the full HF class saves it (e.g. 'bert.encoder.layer.0.attention.self.query.weight').
 * `linear` marks an nn.Linear / Conv1D weight: its module path and features (LoRA targets and the memory estimate use them).
 */
export type TensorSpec = {
  name: string;
  /** Shape as HF stores it (nn.Linear [out, in], Conv1D [in, out]). */
  shape: number[];
  /** How a fresh model fills it (HF _init_weights): normal(0, initializer_range), ones (norm gains), zeros (biases). */
  init: 'normal' | 'ones' | 'zeros';
  linear?: { module: string; inF: number; outF: number };
  /** Only these tasks load it (an untied lm_head: CAUSAL_LM); absent = every task. */
  onlyFor?: readonly TaskType[];
  /** Decoder-layer index, when the tensor belongs to a repeated block. */
  layer?: number;
};

/** Facts about a family's tokenizer that the data and tokenize rooms need. */
export type TokenizerQuirks = {
  /** The token a classifier pools: 'first' ([CLS] / <s>) or 'last' (decoders: last real token). */
  pooledToken: 'first' | 'last';
  /** Checkpoints commonly ship without a pad token; the EOS token stands in for padding. */
  padFallsBackToEos: boolean;
  /** A MLM head (and mask token) may exist for the forgetting probe. */
  maskedLm: boolean;
};

export type FamilyDescriptor<C = unknown> = {
  /** config.json model_type. */
  modelType: string;
  /** Human name for messages ('BERT', 'GPT-2'). */
  label: string;
  kind: 'encoder' | 'decoder';
  /** PEFT task types the studio can train with this family. */
  tasks: readonly TaskType[];
  parseConfig(json: Record<string, unknown>): Result<C, string>;
  /** Every parameter of the base model (no task head), in HF order: parameter count, memory, random init. */
  tensorTable(config: C): TensorSpec[];
  /** The trainable head for SEQ_CLS (PEFT modules_to_save), or [] for CAUSAL_LM. */
  headTable(config: C, task: TaskType, numLabels: number): TensorSpec[];
  /** Names of non-parameter tensors some checkpoints carry (causal-mask buffers, rotary inv_freq): skipped on load. */
  isBuffer(name: string): boolean;
  /** LoRA target_modules per preset (PEFT suffix names; 'default' is PEFT's own mapping). */
  loraTargets: Readonly<Record<LoraTargetPresetId, readonly string[]>>;
  tokenizer: TokenizerQuirks;
  load(tensors: Map<string, NamedTensor>, config: C, options: LoadModelOptions): Result<SequenceModel, string>;
};
