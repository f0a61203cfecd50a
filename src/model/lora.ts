// LoRA adapter for any SequenceModel: A/B variables on target Linears, trainable head copies (modules_to_save),
// PEFT names, merge. tfjs-core, lib/ and model/ only; never train/, React or DOM.
// Layout: loraA [in, r] and loraB [r, out] here; PEFT stores lora_A.weight [r, in] and lora_B.weight [out, r].
import * as tf from '@tensorflow/tfjs-core';
import { err, ok, type Result } from '../lib/result';
import { createRng } from '../lib/rng';
import { bert } from './families/bert';
import { matMul2d } from './kernels/matmul';
import type { NamedTensor } from './safetensors';
import type { AdapterHooks, ForwardContext, SequenceModel, TaskType } from './types';

/** BERT's PEFT default; for other families use defaultTargetModules(model.family) from model/targets. */
export const DEFAULT_TARGET_MODULES: readonly string[] = bert.loraTargets.default;
/** PEFT appends these to modules_to_save for SEQ_CLS; matched by plain suffix (so 'pre_classifier' too). */
export const SEQ_CLS_MODULES_TO_SAVE: readonly string[] = ['classifier', 'score'];
export const PEFT_KEY_PREFIX = 'base_model.model.';

export type LoraConfig = {
  r: number;
  loraAlpha: number;
  loraDropout: number;
  /** HF module names matched by suffix ('query' hits every '...attention.self.query'), or one regex (full match). */
  targetModules: readonly string[] | string;
  /** Seeds the Kaiming init of A and the LoRA dropout masks. */
  seed: number;
  /** PEFT's init_lora_weights as recorded in adapter_config.json (true = A Kaiming, B zeros). */
  initLoraWeights?: boolean;
};

export type LoraLayer = {
  path: string; // HF module path of the wrapped Linear
  inFeatures: number;
  outFeatures: number;
  /** GPT-2 Conv1D target (PEFT fan_in_fan_out): the merged HF weight is [in, out]. */
  fanInFanOut: boolean;
  loraA: tf.Variable<tf.Rank.R2>; // [in, r]
  loraB: tf.Variable<tf.Rank.R2>; // [r, out]
};

/** A trainable copy of one head Linear (PEFT modules_to_save). */
export type HeadCopy = { path: string; w: tf.Variable<tf.Rank.R2>; b?: tf.Variable<tf.Rank.R1> }; // [in, out], [out]

/** One trainable tensor under its PEFT key, and how our layout maps to PEFT's. */
export type PeftTensorRef = {
  key: string; // e.g. base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight
  variable: tf.Variable;
  peftShape: number[]; // shape in the PEFT file
  transposed: boolean; // true when our variable is the transpose of the PEFT tensor
};

export type LoraAdapter = AdapterHooks & {
  config: LoraConfig;
  /** The model's task: SEQ_CLS adapters carry head copies, CAUSAL_LM ones none. */
  taskType: TaskType;
  /** PEFT fan_in_fan_out: true when the targets are GPT-2 Conv1D layers. */
  fanInFanOut: boolean;
  /** loraAlpha / r. */
  scaling: number;
  /** Multiplier on the LoRA update, 0..1 (1 = as trained). The head copies are not scaled. */
  strength: number;
  layers: LoraLayer[];
  /** modules_to_save beyond PEFT's classifier/score (a fresh BERT pooler), from the model. */
  extraModulesToSave?: readonly string[];
  /** Every head copy, in the model's head order (DistilBERT: pre_classifier, classifier). */
  heads: HeadCopy[];
  /** The output head copy (classifier / score / classifier.out_proj); fields undefined for CAUSAL_LM or a bias-free head. */
  head: { w?: tf.Variable<tf.Rank.R2>; b?: tf.Variable<tf.Rank.R1> };
  /** Head-copy biases (HF Trainer exempts biases from weight decay). */
  noDecayVariables: tf.Variable[];
  /** The only variables an optimizer may see. */
  trainableVariables: tf.Variable[];
  peftTensors: PeftTensorRef[];
  dispose(): void;
};

/** PEFT's check_target_module_exists: exact name or '.'-suffix for a list, full match for a regex string. */
export function isTargetModule(path: string, targetModules: readonly string[] | string): boolean {
  if (typeof targetModules === 'string') return new RegExp(`^(?:${targetModules})$`).test(path);
  return targetModules.some((t) => path === t || path.endsWith(`.${t}`));
}

/** Wrap every target Linear of `model` with LoRA (A Kaiming-uniform like nn.Linear, B zeros) and copy the heads. */
export function tryCreateLoraAdapter(model: SequenceModel, config: LoraConfig): Result<LoraAdapter, string> {
  const { r, loraAlpha, loraDropout } = config;
  if (!Number.isInteger(r) || r < 1) return err(`LoRA: r must be a positive integer (got ${r}).`);
  if (!(loraAlpha > 0)) return err(`LoRA: lora_alpha must be positive (got ${loraAlpha}).`);
  if (!(loraDropout >= 0 && loraDropout < 1)) return err(`LoRA: lora_dropout must be in [0, 1) (got ${loraDropout}).`);
  if (typeof config.targetModules === 'string') {
    try {
      new RegExp(config.targetModules);
    } catch {
      return err(`LoRA: target_modules ${JSON.stringify(config.targetModules)} is not a valid regular expression.`);
    }
  }
  const headModules = model.task === 'SEQ_CLS' ? model.headModules : [];
  const headPaths = new Set(headModules.map((h) => h.path));
  const targets = model.linears.filter((l) => !headPaths.has(l.path) && isTargetModule(l.path, config.targetModules));
  if (targets.length === 0) {
    const names = [...new Set(model.linears.filter((l) => !headPaths.has(l.path)).map((l) => l.path.replace(/^.*\.\d+\./, '')))];
    return err(`LoRA: target modules ${JSON.stringify(config.targetModules)} match no Linear of the model; ${model.family} names are ${names.join(', ')}.`);
  }

  const rng = createRng(config.seed);
  const layers: LoraLayer[] = targets.map((l) => {
    const [inF, outF] = l.w.shape;
    // nn.Linear's kaiming_uniform_(a=sqrt(5)) on lora_A.weight [r, in] is U(-1/sqrt(in), 1/sqrt(in)).
    const bound = 1 / Math.sqrt(inF);
    const a = new Float32Array(inF * r);
    for (let i = 0; i < a.length; i++) a[i] = (2 * rng.next() - 1) * bound;
    return {
      path: l.path,
      inFeatures: inF,
      outFeatures: outF,
      fanInFanOut: l.fanInFanOut ?? false,
      loraA: tf.tidy(() => tf.variable(tf.tensor2d(a, [inF, r]), true)),
      loraB: tf.tidy(() => tf.variable(tf.zeros([r, outF]) as tf.Tensor2D, true)),
    };
  });
  // modules_to_save: each head copy starts equal to the model's head. The variables own their data.
  const heads: HeadCopy[] = headModules.map((h) => ({
    path: h.path,
    w: tf.tidy(() => tf.variable(tf.clone(h.w), true)),
    b: h.b ? tf.tidy(() => tf.variable(tf.clone(h.b!), true)) : undefined,
  }));

  const peftTensors: PeftTensorRef[] = [];
  for (const l of layers) {
    peftTensors.push(
      { key: `${PEFT_KEY_PREFIX}${l.path}.lora_A.weight`, variable: l.loraA, peftShape: [r, l.inFeatures], transposed: true },
      { key: `${PEFT_KEY_PREFIX}${l.path}.lora_B.weight`, variable: l.loraB, peftShape: [l.outFeatures, r], transposed: true },
    );
  }
  for (const h of heads) {
    const [inF, outF] = h.w.shape;
    peftTensors.push({ key: `${PEFT_KEY_PREFIX}${h.path}.weight`, variable: h.w, peftShape: [outF, inF], transposed: true });
    if (h.b) peftTensors.push({ key: `${PEFT_KEY_PREFIX}${h.path}.bias`, variable: h.b, peftShape: [outF], transposed: false });
  }
  peftTensors.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));

  const byPath = new Map(layers.map((l) => [l.path, l]));
  const headByPath = new Map(heads.map((h) => [h.path, h]));
  const output = heads[heads.length - 1];
  const adapter: LoraAdapter = {
    config: { ...config, initLoraWeights: config.initLoraWeights ?? true },
    taskType: model.task,
    extraModulesToSave: model.task === 'SEQ_CLS' ? model.extraModulesToSave : undefined,
    fanInFanOut: layers.some((l) => l.fanInFanOut),
    scaling: loraAlpha / r,
    strength: 1,
    layers,
    heads,
    head: { w: output?.w, b: output?.b },
    noDecayVariables: heads.flatMap((h) => (h.b ? [h.b] : [])),
    trainableVariables: peftTensors.map((p) => p.variable),
    peftTensors,
    linearDelta(path: string, x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D | null {
      const layer = byPath.get(path);
      if (!layer || adapter.strength === 0) return null;
      const dropped = ctx.training && loraDropout > 0 ? (tf.dropout(x, loraDropout, undefined, ctx.nextSeed()) as tf.Tensor2D) : x;
      const down = matMul2d(dropped, layer.loraA); // [N, in] @ [in, r] -> [N, r]
      const up = matMul2d(down, layer.loraB); // [N, r] @ [r, out] -> [N, out]
      return tf.mul<tf.Tensor2D>(up, adapter.scaling * adapter.strength);
    },
    loraFactors(path: string, x: tf.Tensor2D, ctx: ForwardContext) {
      const layer = byPath.get(path);
      if (!layer || adapter.strength === 0) return null;
      const dropped = ctx.training && loraDropout > 0 ? (tf.dropout(x, loraDropout, undefined, ctx.nextSeed()) as tf.Tensor2D) : x;
      return { down: matMul2d(dropped, layer.loraA), up: layer.loraB as tf.Tensor2D, scale: adapter.scaling * adapter.strength }; // [N, r], [r, out]
    },
    headLinear: (path: string) => headByPath.get(path) ?? null,
    dispose: () => {
      for (const p of peftTensors) p.variable.dispose();
    },
  };
  return ok(adapter);
}

/**
 * Set every adapter tensor from PEFT-layout tensors keyed by PEFT key (exactly the adapter's key set).
 * Used by the PEFT import and to start from reference weights.
 */
export function trySetPeftWeights(adapter: LoraAdapter, tensors: Map<string, NamedTensor | { shape: number[]; data: Float32Array }>): Result<void, string> {
  const problems: string[] = [];
  const expected = new Set(adapter.peftTensors.map((p) => p.key));
  for (const key of tensors.keys()) if (!expected.has(key)) problems.push(`unexpected key "${key}"`);
  for (const p of adapter.peftTensors) {
    const t = tensors.get(p.key);
    if (!t) problems.push(`missing key "${p.key}"`);
    else if (t.shape.join() !== p.peftShape.join()) problems.push(`"${p.key}" has shape [${t.shape}], expected [${p.peftShape}]`);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 6).join('; ') + (problems.length > 6 ? `; and ${problems.length - 6} more` : '');
    return err(`adapter weights do not fit this model and LoRA config: ${shown}.`);
  }
  for (const p of adapter.peftTensors) {
    const t = tensors.get(p.key)!;
    const data = p.transposed ? transposeData(t.data, p.peftShape) : t.data;
    tf.tidy(() => p.variable.assign(tf.tensor(data, p.variable.shape, 'float32')));
  }
  return ok(undefined);
}

/** Read every adapter tensor in PEFT layout, keyed by PEFT key (sorted). */
export async function readPeftWeights(adapter: LoraAdapter): Promise<Record<string, { shape: number[]; data: Float32Array }>> {
  const out: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const p of adapter.peftTensors) {
    const data = (await p.variable.data()) as Float32Array;
    // Our layout is the transpose of PEFT's: variable shape [a, b] -> PEFT [b, a].
    out[p.key] = { shape: p.peftShape, data: p.transposed ? transposeData(data, p.variable.shape) : Float32Array.from(data) };
  }
  return out;
}

function transposeData(data: Float32Array | ArrayLike<number>, shape: number[]): Float32Array {
  const [rows, cols] = shape;
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  return out;
}

/**
 * Merged base weights in HF layout, keyed by HF name, for every weight the adapter changes (merge_and_unload):
 * each Linear target `W + s * B @ A` ([out, in]), each Conv1D target `W + s * (B @ A)^T` ([in, out]),
 * s = scaling * strength, and the head copies. The caller disposes them.
 */
export function mergeLoraWeights(model: SequenceModel, adapter: LoraAdapter): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  const s = adapter.scaling * adapter.strength;
  const byPath = new Map(model.linears.map((l) => [l.path, l]));
  for (const layer of adapter.layers) {
    const base = byPath.get(layer.path)!;
    const merged = tf.tidy(() => {
      const delta = tf.mul(tf.matMul(layer.loraA, layer.loraB), s); // [in, r] @ [r, out] -> [in, out] = (B_hf @ A_hf)^T
      const w = tf.add(base.w, delta); // [in, out]
      return layer.fanInFanOut ? w : tf.transpose(w); // Conv1D keeps [in, out]; Linear -> [out, in]
    });
    out.set(`${layer.path}.weight`, merged);
  }
  for (const h of adapter.heads) {
    out.set(`${h.path}.weight`, tf.transpose(h.w)); // [out, in]
    if (h.b) out.set(`${h.path}.bias`, tf.clone(h.b)); // [out]
  }
  return out;
}
