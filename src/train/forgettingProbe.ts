// The forgetting probe: how far the adapted model drifts from the base on general English (probeSentences.ts).
// Decoders: perplexity; encoders with an MLM head: pseudo-perplexity; encoders without: embedding drift.
// tfjs-core, model/ and train/ only; reads back once per probe batch (at evaluations, never in a train step).
import * as tf from '@tensorflow/tfjs-core';
import { meanPoolHidden } from '../model/families/bert/model';
import type { LoraAdapter } from '../model/lora';
import { mlmLogits, wordEmbeddingsOf, type MlmHead } from '../model/mlmHead';
import type { SequenceModel } from '../model/types';
import { chunk } from './batches';
import { causalLmLabels } from './causalLmStep';
import { causalLmLoss, shiftLabels } from './causalLmLoss';
import type { ProbeKind } from './diagnostics';
import type { ForgettingMonitor } from './loop';

export type ProbeSetup = {
  /** Decoders: a CAUSAL_LM model of the same base (the adapter's hooks apply by module path). Encoders: the trained model. */
  model: SequenceModel;
  /** Tokenized probe sentences, special tokens included as the tokenizer adds them. */
  sentences: readonly number[][];
  padTokenId: number;
  /** Encoders: the checkpoint's MLM head (model/mlmHead findMlmHead) and the tokenizer's [MASK] id; else embedding drift. */
  mlm?: { head: MlmHead; maskTokenId: number } | null;
  /** Rows per forward pass (pseudo-perplexity makes one row per masked token). */
  batchSize?: number;
};

export type ForgettingProbe = {
  kind: ProbeKind;
  /** The base model's value (embedding drift: 0 by definition). */
  base: number;
  /** One line for the UI: what is measured. */
  description: string;
  /** The probe value with `adapter` (null = the base model). */
  measure(adapter: LoraAdapter | null): Promise<number>;
  dispose(): void;
};

export const PROBE_DESCRIPTIONS: Record<ProbeKind, string> = {
  perplexity: 'Perplexity of the language model on general English sentences (lower is better; a rise means forgetting).',
  'pseudo-perplexity': 'Masked-LM pseudo-perplexity on general English sentences: each word masked in turn and predicted back (a rise means forgetting).',
  'embedding-drift':
    'This checkpoint has no masked-LM head, so the probe measures drift of the sentence embeddings instead: 1 - mean cosine similarity ' +
    'between the adapted and the base mean-pooled embeddings of general English sentences (0 = unchanged).',
};

const DEFAULT_PROBE_BATCH = 32;

/** Right-padded [B, T] inputs for rows of token ids. */
function padRows(rows: readonly number[][], padTokenId: number) {
  const B = rows.length;
  const T = Math.max(1, ...rows.map((r) => r.length));
  const ids = new Int32Array(B * T).fill(padTokenId);
  const mask = new Int32Array(B * T);
  rows.forEach((r, b) => {
    ids.set(r, b * T);
    mask.fill(1, b * T, b * T + r.length);
  });
  return { B, T, ids, mask };
}

const toInputs = (p: ReturnType<typeof padRows>) => ({
  inputIds: tf.tensor2d(p.ids, [p.B, p.T], 'int32'),
  attentionMask: tf.tensor2d(Float32Array.from(p.mask), [p.B, p.T], 'float32'),
});

/** exp(mean next-token NLL) over every sentence token after the first. */
async function perplexity(setup: ProbeSetup, adapter: LoraAdapter | null): Promise<number> {
  let nll = 0;
  let count = 0;
  for (const rows of chunk(setup.sentences, setup.batchSize ?? DEFAULT_PROBE_BATCH)) {
    const p = padRows(rows, setup.padTokenId);
    const labels = causalLmLabels(p.ids, p.mask, 0, p.T);
    const n = shiftLabels(labels, p.B, p.T).count;
    const loss = tf.tidy(() => causalLmLoss(setup.model.forward(toInputs(p), { adapter, keepHiddenStates: false }).logits as tf.Tensor3D, labels));
    nll += (await loss.data())[0] * n;
    loss.dispose();
    count += n;
  }
  return Math.exp(nll / Math.max(1, count));
}

/** exp(mean NLL of each inner token when it alone is masked) (Salazar et al. 2020), first and last (special) tokens skipped. */
async function pseudoPerplexity(setup: ProbeSetup, adapter: LoraAdapter | null): Promise<number> {
  const { head, maskTokenId } = setup.mlm!;
  const embeddings = wordEmbeddingsOf(setup.model)!;
  const items = setup.sentences.flatMap((s, i) => Array.from({ length: Math.max(0, s.length - 2) }, (_, k) => ({ i, pos: k + 1 })));
  let nll = 0;
  for (const part of chunk(items, setup.batchSize ?? DEFAULT_PROBE_BATCH)) {
    const p = padRows(
      part.map(({ i, pos }) => setup.sentences[i].map((id, t) => (t === pos ? maskTokenId : id))),
      setup.padTokenId,
    );
    const rows = tf.tensor1d(
      part.map(({ pos }, b) => b * p.T + pos),
      'int32',
    );
    const targets = tf.tensor1d(
      part.map(({ i, pos }) => setup.sentences[i][pos]),
      'int32',
    );
    const sum = tf.tidy(() => {
      const hidden = setup.model.forward(toInputs(p), { adapter, keepHiddenStates: false }).lastHiddenState; // [B, T, C]
      const C = hidden.shape[2];
      const atMask = tf.gather(tf.reshape(hidden, [p.B * p.T, C]), rows) as tf.Tensor2D; // [B*T, C] -> [B, C]
      const logp = tf.logSoftmax(mlmLogits(head, atMask, embeddings)); // [B, V]
      return tf.neg(tf.sum(tf.mul(logp, tf.oneHot(targets, logp.shape[1]))));
    });
    nll += (await sum.data())[0];
    tf.dispose([sum, rows, targets]);
  }
  return Math.exp(nll / Math.max(1, items.length));
}

/** Unit-length mean-pooled last hidden states [N, C] (a new tensor the caller disposes). */
async function unitEmbeddings(setup: ProbeSetup, adapter: LoraAdapter | null): Promise<tf.Tensor2D> {
  const parts: tf.Tensor2D[] = [];
  for (const rows of chunk(setup.sentences, setup.batchSize ?? DEFAULT_PROBE_BATCH)) {
    const p = padRows(rows, setup.padTokenId);
    parts.push(
      tf.tidy(() => {
        const inputs = toInputs(p);
        const pooled = meanPoolHidden(setup.model.forward(inputs, { adapter, keepHiddenStates: false }).lastHiddenState, inputs.attentionMask); // [B, C]
        return tf.div(pooled, tf.maximum(tf.norm(pooled, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D;
      }),
    );
  }
  const all = tf.concat(parts); // [N, C]
  tf.dispose(parts);
  return all;
}

/** Mean of 0.5 * |a - b|^2 over unit vectors = 1 - mean cosine, exactly 0 when a and b are identical. */
async function embeddingDrift(setup: ProbeSetup, adapter: LoraAdapter | null, base: tf.Tensor2D): Promise<number> {
  const adapted = await unitEmbeddings(setup, adapter);
  const drift = tf.tidy(() => tf.mean(tf.mul(tf.sum(tf.square(tf.sub(adapted, base)), 1), 0.5)));
  const value = (await drift.data())[0];
  tf.dispose([drift, adapted]);
  return value;
}

/** Picks the probe the model supports and measures the base value once. */
export async function createForgettingProbe(setup: ProbeSetup): Promise<ForgettingProbe> {
  const kind: ProbeKind =
    setup.model.task === 'CAUSAL_LM' ? 'perplexity' : setup.mlm && wordEmbeddingsOf(setup.model) ? 'pseudo-perplexity' : 'embedding-drift';
  const common = { kind, description: PROBE_DESCRIPTIONS[kind] };
  if (kind === 'embedding-drift') {
    const base = await unitEmbeddings(setup, null);
    return { ...common, base: 0, measure: (adapter) => embeddingDrift(setup, adapter, base), dispose: () => base.dispose() };
  }
  const measure = (adapter: LoraAdapter | null) => (kind === 'perplexity' ? perplexity(setup, adapter) : pseudoPerplexity(setup, adapter));
  return { ...common, base: await measure(null), measure, dispose: () => {} };
}

/** The probe as runTraining's monitor, measuring `adapter` as it is at each evaluation. */
export function forgettingMonitor(probe: ForgettingProbe, adapter: LoraAdapter): ForgettingMonitor {
  return { kind: probe.kind, base: probe.base, measure: () => probe.measure(adapter) };
}
