// Fine-tuning strategies on top of a LoRA adapter: which variables train and under which names they export.
// head = linear probe (LoRA B stays zero, only the classifier trains), lora = LoRA + head (PEFT default),
// lora-embeddings = also the word embeddings (PEFT modules_to_save "word_embeddings"), full = every weight
// (exported as a save_pretrained folder, fullModelExport.ts). tfjs-core, lib/ and model/ only.
import * as tf from '@tensorflow/tfjs-core';
import { err, ok, type Result } from '../lib/result';
import type { BertModel } from './families/bert/model';
import { PEFT_KEY_PREFIX, type LoraAdapter, type PeftTensorRef } from './lora';
import { isBankedWeight } from './layers';
import type { Linear, SequenceModel } from './types';

export type FineTuneStrategy = 'head' | 'lora' | 'lora-embeddings' | 'full';
export const FINE_TUNE_STRATEGIES: readonly FineTuneStrategy[] = ['head', 'lora', 'lora-embeddings', 'full'];

/** Families whose base weights the studio can make trainable (their weight fields are mapped below). */
const TRAINABLE_BASE_FAMILIES = new Set(['bert', 'roberta']);

export function strategySupported(family: string, strategy: FineTuneStrategy): boolean {
  return strategy === 'head' || strategy === 'lora' || TRAINABLE_BASE_FAMILIES.has(family);
}

/** What the worker and the exports need to know beyond the LoRA adapter. */
export type StrategyState = {
  strategy: FineTuneStrategy;
  /** Extra PEFT modules_to_save names (before PEFT's own classifier/score). */
  extraModulesToSave: string[];
  /** Full fine-tuning: peftTensors are keyed by plain HF names and export as a whole model. */
  fullModel: boolean;
};

type Slot = { name: string; get: () => tf.Tensor; set: (v: tf.Variable) => void; transposed: boolean; noDecay: boolean };

function linearSlots(l: Linear): Slot[] {
  const out: Slot[] = [{ name: `${l.path}.weight`, get: () => l.w, set: (v) => (l.w = v as tf.Variable<tf.Rank.R2>), transposed: true, noDecay: false }];
  if (l.b) out.push({ name: `${l.path}.bias`, get: () => l.b!, set: (v) => (l.b = v as tf.Variable<tf.Rank.R1>), transposed: false, noDecay: true });
  return out;
}

function lnSlots(ln: { gamma: tf.Tensor1D; beta: tf.Tensor1D }, path: string): Slot[] {
  return [
    { name: `${path}.weight`, get: () => ln.gamma, set: (v) => (ln.gamma = v as tf.Variable<tf.Rank.R1>), transposed: false, noDecay: true },
    { name: `${path}.bias`, get: () => ln.beta, set: (v) => (ln.beta = v as tf.Variable<tf.Rank.R1>), transposed: false, noDecay: true },
  ];
}

function bertSlots(m: BertModel, which: 'word-embeddings' | 'all'): Slot[] {
  const p = `${m.family}.`;
  const word: Slot = {
    name: `${p}embeddings.word_embeddings.weight`,
    get: () => m.wordEmbeddings,
    set: (v) => (m.wordEmbeddings = v as tf.Variable<tf.Rank.R2>),
    transposed: false,
    noDecay: false,
  };
  if (which === 'word-embeddings') return [word];
  const slots: Slot[] = [
    word,
    {
      name: `${p}embeddings.position_embeddings.weight`,
      get: () => m.positionEmbeddings,
      set: (v) => (m.positionEmbeddings = v as tf.Variable<tf.Rank.R2>),
      transposed: false,
      noDecay: false,
    },
    {
      name: `${p}embeddings.token_type_embeddings.weight`,
      get: () => m.tokenTypeEmbeddings,
      set: (v) => (m.tokenTypeEmbeddings = v as tf.Variable<tf.Rank.R2>),
      transposed: false,
      noDecay: false,
    },
    ...lnSlots(m.embeddingsLayerNorm, `${p}embeddings.LayerNorm`),
  ];
  m.layers.forEach((l, i) => {
    const lp = `${p}encoder.layer.${i}`;
    slots.push(
      ...linearSlots(l.query),
      ...linearSlots(l.key),
      ...linearSlots(l.value),
      ...linearSlots(l.attentionOutput),
      ...lnSlots(l.attentionLayerNorm, `${lp}.attention.output.LayerNorm`),
      ...linearSlots(l.intermediate),
      ...linearSlots(l.output),
      ...lnSlots(l.outputLayerNorm, `${lp}.output.LayerNorm`),
    );
  });
  if (m.pooler) slots.push(...linearSlots(m.pooler));
  return slots;
}

/** Turns each slot's frozen tensor into a trainable variable (the model's forward then reads the variable). */
function makeTrainable(slots: Slot[], key: (name: string) => string): { refs: PeftTensorRef[]; noDecay: tf.Variable[] } {
  const refs: PeftTensorRef[] = [];
  const noDecay: tf.Variable[] = [];
  for (const s of slots) {
    const t = s.get();
    const v = tf.variable(t, true); // shares t's data; t is disposed so only the variable holds it
    if (!isBankedWeight(t)) t.dispose(); // the session's shared weight stays for the next run (the variable's updates never touch it)
    s.set(v);
    const shape: number[] = s.transposed ? [v.shape[1]!, v.shape[0]!] : [...v.shape];
    refs.push({ key: key(s.name), variable: v, peftShape: shape, transposed: s.transposed });
    if (s.noDecay) noDecay.push(v);
  }
  return { refs, noDecay };
}

/** The adapter's dispose frees its own LoRA and head variables; the new base variables go with it. */
function disposeAlso(adapter: LoraAdapter, refs: PeftTensorRef[]): void {
  const own = adapter.dispose;
  adapter.dispose = () => {
    own();
    for (const r of refs) r.variable.dispose();
  };
}

const byKey = (x: PeftTensorRef, y: PeftTensorRef) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);

/**
 * Applies `strategy` to a fresh SEQ_CLS adapter of `model`, in place: narrows or widens its trainable variables and
 * PEFT tensors. Full fine-tuning needs a model loaded without keepBackwardWeights (the frozen fast path has no weight gradient).
 */
export function tryApplyStrategy(model: SequenceModel, adapter: LoraAdapter, strategy: FineTuneStrategy): Result<StrategyState, string> {
  const state: StrategyState = { strategy, extraModulesToSave: [], fullModel: false };
  if (strategy === 'lora') return ok(state);
  if (model.task !== 'SEQ_CLS') return err('Fine-tuning strategies other than LoRA are for classifiers only.');
  const headVars = adapter.heads.flatMap((h) => (h.b ? [h.w, h.b] : [h.w]));
  if (strategy === 'head') {
    // A linear probe: LoRA B stays zero (strength 0 skips its matmuls), so the PEFT export is the probe exactly.
    adapter.strength = 0;
    adapter.trainableVariables = headVars;
    return ok(state);
  }
  if (!strategySupported(model.family, strategy)) {
    return err(
      `"${strategy}" trains the base weights, which the studio supports for BERT and RoBERTa models (the offline default included); use LoRA or head only for ${model.family}.`,
    );
  }
  const bert = model as BertModel;
  if (strategy === 'lora-embeddings') {
    const { refs } = makeTrainable(bertSlots(bert, 'word-embeddings'), (n) => PEFT_KEY_PREFIX + n);
    adapter.peftTensors = [...adapter.peftTensors, ...refs].sort(byKey);
    adapter.trainableVariables = adapter.peftTensors.map((p) => p.variable);
    state.extraModulesToSave = ['word_embeddings'];
    disposeAlso(adapter, refs);
    return ok(state);
  }
  // Full fine-tuning: no LoRA; every base weight and the head copies train under their plain HF names.
  if (model.linears.some((l) => l.wHf)) return err('assertion failed: full fine-tuning needs the model loaded without keepBackwardWeights');
  adapter.layers = []; // the unused LoRA variables are still disposed by the adapter's own dispose
  adapter.strength = 0;
  const { refs, noDecay } = makeTrainable(bertSlots(bert, 'all'), (n) => n);
  const heads: PeftTensorRef[] = adapter.heads.flatMap((h) => {
    const [inF, outF] = h.w.shape;
    const w: PeftTensorRef = { key: `${h.path}.weight`, variable: h.w, peftShape: [outF, inF], transposed: true };
    return h.b ? [w, { key: `${h.path}.bias`, variable: h.b, peftShape: [outF], transposed: false }] : [w];
  });
  adapter.peftTensors = [...refs, ...heads].sort(byKey);
  adapter.trainableVariables = adapter.peftTensors.map((p) => p.variable);
  adapter.noDecayVariables = [...adapter.noDecayVariables, ...noDecay];
  disposeAlso(adapter, refs);
  state.fullModel = true;
  return ok(state);
}
