// The family-agnostic model interface that lora, peftAdapter, train/ and the worker see of any loaded model.
// Types only (tfjs-core types); each family file (bert, distilbert, gpt2, llama) builds a SequenceModel.
import type * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig } from './config';
import type { FamilyType } from './families';

/**
 * The session's frozen base weights on the device, keyed by checkpoint name (nn.Linear weights as `name:in,out`,
 * transposed), shared by every model built from them (layers.ts createWeightReader); models never dispose them.
 */
export type WeightBank = Map<string, tf.Tensor>;

/** Architecture family = config model_type (one per registered family, families/index.ts). */
export type ModelFamily = FamilyType;
/** PEFT task_type: a classification head (SEQ_CLS) or the causal LM head (CAUSAL_LM). */
export type TaskType = 'SEQ_CLS' | 'CAUSAL_LM';

/** A frozen nn.Linear / GPT-2 Conv1D, kept as [in, out] so y = x @ w + b is a plain 2-D matMul. */
export type Linear = {
  /** HF module path in the full model, e.g. 'transformer.h.0.attn.c_attn' (LoRA targets and PEFT keys use it). */
  path: string;
  w: tf.Tensor2D; // [in, out] (HF nn.Linear stores [out, in]; Conv1D stores [in, out])
  b?: tf.Tensor1D; // [out], absent for bias-free layers (Llama, GPT-2 score)
  /** Optional copy [out, in]: the backward pass then uses dx = dy @ wHf, a plain matMul. */
  wHf?: tf.Tensor2D;
  /** GPT-2 Conv1D (HF weight stored [in, out]): PEFT's fan_in_fan_out, and merged deltas are (B@A)^T. */
  fanInFanOut?: boolean;
  /** Multiply w through a transient copy so XNNPACK keeps no packed copy of it (LoadModelOptions.transientPacking). */
  transient?: boolean;
};

export type ForwardContext = {
  training: boolean;
  /** A fresh seed for each dropout call, so a step is repeatable for a given step seed. */
  nextSeed(): number;
};

/** What an adapter (LoRA) plugs into the forward pass; model/ knows nothing else about it. */
export type AdapterHooks = {
  /** Extra output for the Linear at `path` given its input x [N, in]: [N, out], or null. */
  linearDelta(path: string, x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D | null;
  /** The same delta as its factors scale·(down·up), down = x·A [N, r], up = B [r, out], for a fused kernel; or null. */
  loraFactors?(path: string, x: tf.Tensor2D, ctx: ForwardContext): { down: tf.Tensor2D; up: tf.Tensor2D; scale: number } | null;
  /** A trainable copy of the head Linear at `path` (PEFT modules_to_save), or null for the base weights. */
  headLinear(path: string): { w: tf.Tensor2D; b?: tf.Tensor1D } | null;
};

export type ModelInputs = {
  inputIds: tf.Tensor2D; // int32 [B, T]
  attentionMask: tf.Tensor2D; // [B, T], 1 = real token, 0 = padding (right padding)
  tokenTypeIds?: tf.Tensor2D; // int32 [B, T], BERT only; zeros when absent
};

export type ForwardOptions = {
  adapter?: AdapterHooks | null;
  /** Training mode turns dropout on (base dropouts from the config, LoRA dropout from the adapter). */
  training?: boolean;
  seed?: number;
  /** Keep hidden_states (embeddings output + each layer), as HF's output_hidden_states. Default true. */
  keepHiddenStates?: boolean;
};

export type ModelOutput = {
  /** SEQ_CLS: [B, L]; CAUSAL_LM: [B, T, V]. */
  logits: tf.Tensor;
  /** numHiddenLayers + 1 entries of [B, T, C] as HF's hidden_states (decoders: the last is after the final norm), or []. */
  hiddenStates: tf.Tensor3D[];
  lastHiddenState: tf.Tensor3D; // [B, T, C]
};

/**
 * Decoder key/value cache for incremental decoding: per layer k and v [B, kvHeads, Tpast, D] (Llama/Qwen2: k after
 * RoPE, before repeat_kv), and the number of cached positions. Immutable: a step returns a new cache.
 */
export type KvCache = { layers: { k: tf.Tensor4D; v: tf.Tensor4D }[]; length: number };

/** One incremental decoder step: logits [B, Tnew, V] of the new tokens and the cache extended by them. */
export type DecoderStepOutput = { logits: tf.Tensor3D; cache: KvCache };

export type HeadSource = 'checkpoint' | 'fresh-missing' | 'fresh-mismatched' | 'none';

export type SequenceModel = {
  family: ModelFamily;
  task: TaskType;
  config: ModelConfig;
  /** Every Linear of the model (heads included, the LM head excluded), HF module paths, module order. */
  linears: Linear[];
  /** The head Linears PEFT copies as modules_to_save for SEQ_CLS (suffix rule); [] for CAUSAL_LM. */
  headModules: Linear[];
  /** Modules PEFT must also save besides classifier/score (BERT's fresh pooler: 'pooler'). */
  extraModulesToSave?: readonly string[];
  /** Where the classification head came from (a seeded fresh init when missing or of another size). */
  headSource: HeadSource;
  /** Loaded with transientPacking: the LM head's backward runs over transient row chunks too. */
  transientPacking?: boolean;
  /** One forward pass; call inside tf.tidy (nothing here disposes). */
  forward(inputs: ModelInputs, options?: ForwardOptions): ModelOutput;
  /**
   * CAUSAL_LM decoders only (gpt2, llama, qwen2): run `inputIds` [B, Tnew] (no padding) at positions
   * past.length.. with the cached keys/values, eval mode. Call inside tf.tidy; the caller disposes old caches.
   */
  forwardStep?(inputIds: tf.Tensor2D, past: KvCache | null, options?: Pick<ForwardOptions, 'adapter'>): DecoderStepOutput;
  dispose(): void;
};

export type LoadModelOptions = {
  /** SEQ_CLS (default: the studio trains classifiers) or CAUSAL_LM (gpt2, llama, qwen2 only). */
  task?: TaskType;
  /** Seeds a fresh classification head. */
  seed?: number;
  /**
   * Also keep each frozen Linear weight as [out, in] so the backward pass multiplies without transposing
   * (faster steps on WASM, shared/notes/perf-baseline.md) at twice the memory for those weights.
   */
  keepBackwardWeights?: boolean;
  /** The session's shared device weights (layers.ts WeightBank): read from and filled, JS copies released. */
  bank?: WeightBank;
  /**
   * WASM, for models whose weights plus XNNPACK's packed copies of them overflow the heap: frozen weights are packed
   * per matmul from a transient copy and freed with it (kernels/transientPacking.ts); no backward copies. Slower.
   */
  transientPacking?: boolean;
};
