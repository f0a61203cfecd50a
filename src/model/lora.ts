// LoRA adapter for the BERT model: A/B variables on target Linears, a trainable head copy, PEFT names, merge.
// Depends only on tfjs-core, lib/ and model/bert; never on train/, React or DOM.
// Layout: loraA [in, r] and loraB [r, out] here; PEFT stores lora_A.weight [r, in] and lora_B.weight [out, r].
import * as tf from '@tensorflow/tfjs-core';
import { err, ok, type Result } from '../lib/result';
import { createRng } from '../lib/rng';
import type { BertAdapterHooks, BertModel, ForwardContext } from './bert';
import type { NamedTensor } from './safetensors';

export const DEFAULT_TARGET_MODULES: readonly string[] = ['query', 'value'];
/** PEFT appends these to modules_to_save for SEQ_CLS; matched by module-name suffix. */
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
  loraA: tf.Variable<tf.Rank.R2>; // [in, r]
  loraB: tf.Variable<tf.Rank.R2>; // [r, out]
};

/** One trainable tensor under its PEFT key, and how our layout maps to PEFT's. */
export type PeftTensorRef = {
  key: string; // e.g. base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight
  variable: tf.Variable;
  peftShape: number[]; // shape in the PEFT file
  transposed: boolean; // true when our variable is the transpose of the PEFT tensor
};

export type LoraAdapter = BertAdapterHooks & {
  config: LoraConfig;
  /** loraAlpha / r. */
  scaling: number;
  /** Multiplier on the LoRA update, 0..1 (1 = as trained). The head copy is not scaled. */
  strength: number;
  layers: LoraLayer[];
  head: { w: tf.Variable<tf.Rank.R2>; b: tf.Variable<tf.Rank.R1> }; // [C, L], [L]
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

const isModuleToSave = (path: string) => SEQ_CLS_MODULES_TO_SAVE.some((m) => path === m || path.endsWith(`.${m}`));

/** Wrap every target Linear of `model` with LoRA (A Kaiming-uniform like nn.Linear, B zeros) and copy the head. */
export function tryCreateLoraAdapter(model: BertModel, config: LoraConfig): Result<LoraAdapter, string> {
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
  const targets = model.linears.filter((l) => !isModuleToSave(l.path) && isTargetModule(l.path, config.targetModules));
  if (targets.length === 0) {
    return err(
      `LoRA: target modules ${JSON.stringify(config.targetModules)} match no Linear of the model; ` +
        'BERT names are query, key, value, dense (attention.output.dense, intermediate.dense, output.dense, pooler.dense).',
    );
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
      loraA: tf.tidy(() => tf.variable(tf.tensor2d(a, [inF, r]), true)),
      loraB: tf.tidy(() => tf.variable(tf.zeros([r, outF]) as tf.Tensor2D, true)),
    };
  });
  // modules_to_save: the head copy starts equal to the model's head. The variables own their data.
  const head = {
    w: tf.tidy(() => tf.variable(tf.clone(model.classifier.w), true)),
    b: tf.tidy(() => tf.variable(tf.clone(model.classifier.b), true)),
  };

  const byPath = new Map(layers.map((l) => [l.path, l]));
  const peftTensors: PeftTensorRef[] = [];
  for (const l of layers) {
    peftTensors.push(
      { key: `${PEFT_KEY_PREFIX}${l.path}.lora_A.weight`, variable: l.loraA, peftShape: [r, l.inFeatures], transposed: true },
      { key: `${PEFT_KEY_PREFIX}${l.path}.lora_B.weight`, variable: l.loraB, peftShape: [l.outFeatures, r], transposed: true },
    );
  }
  const [C, L] = head.w.shape;
  peftTensors.push(
    { key: `${PEFT_KEY_PREFIX}classifier.weight`, variable: head.w, peftShape: [L, C], transposed: true },
    { key: `${PEFT_KEY_PREFIX}classifier.bias`, variable: head.b, peftShape: [L], transposed: false },
  );
  peftTensors.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));

  const adapter: LoraAdapter = {
    config: { ...config, initLoraWeights: config.initLoraWeights ?? true },
    scaling: loraAlpha / r,
    strength: 1,
    layers,
    head,
    trainableVariables: peftTensors.map((p) => p.variable),
    peftTensors,
    linearDelta(path: string, x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D | null {
      const layer = byPath.get(path);
      if (!layer || adapter.strength === 0) return null;
      const dropped = ctx.training && loraDropout > 0 ? (tf.dropout(x, loraDropout, undefined, ctx.nextSeed()) as tf.Tensor2D) : x;
      const down = tf.matMul(dropped, layer.loraA); // [N, in] @ [in, r] -> [N, r]
      const up = tf.matMul(down, layer.loraB); // [N, r] @ [r, out] -> [N, out]
      return tf.mul<tf.Tensor2D>(up, adapter.scaling * adapter.strength);
    },
    classifierHead: () => head,
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
 * Merged base weights in HF layout, keyed by HF name, for every weight the adapter changes:
 * each target `W + scaling * strength * B @ A` ([out, in]) and the head copy. The caller disposes them.
 */
export function mergeLoraWeights(model: BertModel, adapter: LoraAdapter): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  const s = adapter.scaling * adapter.strength;
  const byPath = new Map(model.linears.map((l) => [l.path, l]));
  for (const layer of adapter.layers) {
    const base = byPath.get(layer.path)!;
    const merged = tf.tidy(() => {
      const delta = tf.transpose(tf.matMul(layer.loraA, layer.loraB)); // ([in, r] @ [r, out])^T -> [out, in] = B_hf @ A_hf
      return tf.add(tf.transpose(base.w), tf.mul(delta, s)); // [out, in]
    });
    out.set(`${layer.path}.weight`, merged);
  }
  out.set('classifier.weight', tf.transpose(adapter.head.w)); // [L, C]
  out.set('classifier.bias', tf.clone(adapter.head.b)); // [L]
  return out;
}
