// Test-only helpers: read the shared HF reference fixtures (JSON, safetensors) and compare arrays with tolerances.
// Used only by *.test.ts in Node; no production file may import this.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { forwardBert, type BertModel } from '../model/families/bert/model';
import { tryParseModelConfig } from '../model/config';
import { tryLoadModel } from '../model/loadModel';
import type { LoraAdapter } from '../model/lora';
import { tryParseSafetensors, type NamedTensor } from '../model/safetensors';
import type { SequenceModel } from '../model/types';
import { causalLmLoss } from '../train/causalLmLoss';
import { batchToTensors, type ClassifierBatch } from '../train/classifierStep';
import { softmaxCrossEntropy } from '../train/loss';

const here = path.dirname(fileURLToPath(import.meta.url));
/** /work/shared/fixtures, found relative to this file (src/test -> repo root -> ../shared). */
export const FIXTURES_DIR = path.resolve(here, '../../../shared/fixtures');

export const fixturePath = (rel: string) => path.join(FIXTURES_DIR, rel);
export const readFixtureBytes = (rel: string): Uint8Array => new Uint8Array(readFileSync(fixturePath(rel)));
export const readFixtureText = (rel: string): string => readFileSync(fixturePath(rel), 'utf8');
export const readFixtureJson = <T = unknown>(rel: string): T => JSON.parse(readFixtureText(rel)) as T;

export function readFixtureSafetensors(rel: string): Map<string, NamedTensor> {
  const parsed = tryParseSafetensors(readFixtureBytes(rel));
  if (!parsed.ok) throw new Error(`${rel}: ${parsed.error}`);
  return parsed.value.tensors;
}

export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** The bert reference folder (token type ids always present). */
export function loadBertFixture() {
  const f = loadReferenceFixture('bert');
  return { ...f, batch: { ...f.batch, tokenTypeIds: f.batch.tokenTypeIds! } };
}

export type Errors = { maxAbs: number; maxRel: number; worst: number; count: number };

/**
 * Elementwise |a - b| <= atol + rtol*|b| over positions where mask (if given) is true.
 * worst = max of |a - b| / (atol + rtol*|b|): the check passes when worst <= 1.
 */
export function compareArrays(a: ArrayLike<number>, b: ArrayLike<number>, tol: { atol: number; rtol: number }, mask?: (i: number) => boolean): Errors {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let maxAbs = 0;
  let maxRel = 0;
  let worst = 0;
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    if (mask && !mask(i)) continue;
    const d = Math.abs(a[i] - b[i]);
    if (!Number.isFinite(d)) return { maxAbs: Infinity, maxRel: Infinity, worst: Infinity, count };
    const bAbs = Math.abs(b[i]);
    maxAbs = Math.max(maxAbs, d);
    if (bAbs > 1e-6) maxRel = Math.max(maxRel, d / bAbs);
    worst = Math.max(worst, d / (tol.atol + tol.rtol * bAbs));
    count++;
  }
  return { maxAbs, maxRel, worst, count };
}

/** Logs the errors of one check in a form that can be quoted, and returns them. */
export function logErrors(label: string, e: Errors): Errors {
  console.log(
    `[check] ${label}: max abs ${e.maxAbs.toExponential(2)}, max rel ${e.maxRel.toExponential(2)}, ` + `worst/tol ${e.worst.toFixed(3)} over ${e.count} values`,
  );
  return e;
}

/** Mask over a [B, T, C] array: positions whose token has attention_mask == 1. */
export const tokenMask = (attentionMask: ArrayLike<number>, C: number) => (i: number) => attentionMask[Math.floor(i / C)] === 1;

/** Forward the fixture batch (eval mode) and its mean cross-entropy; call inside tf.tidy. */
export function forwardFixtureBatch(model: BertModel, batch: ClassifierBatch, options: { adapter?: LoraAdapter | null; keepHiddenStates?: boolean } = {}) {
  const inputs = batchToTensors(batch);
  const out = forwardBert(model, inputs, { adapter: options.adapter ?? null, keepHiddenStates: options.keepHiddenStates ?? true });
  return { ...out, loss: softmaxCrossEntropy(out.logits, inputs.labels), attentionMask: inputs.attentionMask };
}

// ---------------------------------------------------------------------------------------------
// Every reference folder (bert, distilbert, roberta, gpt2, gpt2-seqcls, llama, qwen2)

export const REFERENCE_FOLDERS = ['bert', 'distilbert', 'roberta', 'gpt2', 'gpt2-seqcls', 'llama', 'qwen2'] as const;
export type ReferenceFolder = (typeof REFERENCE_FOLDERS)[number];
/** Folders whose model is a causal LM (GPT2LMHeadModel, LlamaForCausalLM, Qwen2ForCausalLM). */
export const isCausalLmFolder = (name: ReferenceFolder) => name === 'gpt2' || name === 'llama' || name === 'qwen2';

type ReferenceInputs = {
  input_ids: number[][];
  attention_mask: number[][];
  token_type_ids?: number[][];
  labels: number[] | number[][];
  batch_size: number;
  seq_len: number;
};

/** One reference folder: config, weights, batch (flat arrays; labels [B] or [B*T] with -100), expected outputs. */
export function loadReferenceFixture(name: ReferenceFolder) {
  const dir = `reference/${name}`;
  const inputs = readFixtureJson<ReferenceInputs>(`${dir}/inputs.json`);
  const B = inputs.batch_size;
  const T = inputs.seq_len;
  return {
    name,
    task: isCausalLmFolder(name) ? ('CAUSAL_LM' as const) : ('SEQ_CLS' as const),
    configJson: readFixtureJson(`${dir}/config.json`),
    weights: readFixtureSafetensors(`${dir}/model.safetensors`),
    batch: {
      B,
      T,
      inputIds: Int32Array.from(inputs.input_ids.flat()),
      attentionMask: Int32Array.from(inputs.attention_mask.flat()),
      tokenTypeIds: inputs.token_type_ids ? Int32Array.from(inputs.token_type_ids.flat()) : undefined,
      labels: Int32Array.from((inputs.labels as number[][]).flat()),
    },
    expected: readFixtureJson<{ loss: number }>(`${dir}/expected.json`),
    expectedTensors: readFixtureSafetensors(`${dir}/expected.safetensors`),
    adapterExpected: readFixtureJson<{ loss: number; merged_loss: number; adapter_keys: Record<string, number[]> }>(`${dir}/adapter/expected.json`),
    adapterExpectedTensors: readFixtureSafetensors(`${dir}/adapter/expected.safetensors`),
    mergedChangedWeights: readFixtureSafetensors(`${dir}/adapter/merged_changed_weights.safetensors`),
    adapterFiles: {
      'adapter_config.json': readFixtureText(`${dir}/adapter/adapter_config.json`),
      'adapter_model.safetensors': readFixtureBytes(`${dir}/adapter/adapter_model.safetensors`),
    },
    trainStep: readFixtureJson<{
      losses: number[];
      loss_after_3_steps: number;
      trainable_keys: Record<string, number[]>;
      optimizer: { lr: number; betas: [number, number]; eps: number; weight_decay: number };
    }>(`${dir}/train_step.json`),
    trainStepTensors: readFixtureSafetensors(`${dir}/train_step.safetensors`),
  };
}
export type ReferenceFixture = ReturnType<typeof loadReferenceFixture>;

/** Parse the folder's config and load its model for the folder's task. */
export function loadReferenceModel(fx: ReferenceFixture, weights: Map<string, NamedTensor> = fx.weights): SequenceModel {
  const config = tryParseModelConfig(fx.configJson);
  if (!config.ok) throw new Error(config.error);
  const model = tryLoadModel(weights, config.value, { task: fx.task });
  if (!model.ok) throw new Error(model.error);
  return model.value;
}

/** Forward the fixture batch (eval mode) and its loss (cross-entropy, or the shifted LM loss); call inside tf.tidy. */
export function forwardReference(model: SequenceModel, fx: ReferenceFixture, options: { adapter?: LoraAdapter | null; keepHiddenStates?: boolean } = {}) {
  const { B, T } = fx.batch;
  const inputs = {
    inputIds: tf.tensor2d(fx.batch.inputIds, [B, T], 'int32'),
    attentionMask: tf.tensor2d(Float32Array.from(fx.batch.attentionMask), [B, T], 'float32'),
    tokenTypeIds: fx.batch.tokenTypeIds ? tf.tensor2d(fx.batch.tokenTypeIds, [B, T], 'int32') : undefined,
  };
  const out = model.forward(inputs, { adapter: options.adapter ?? null, keepHiddenStates: options.keepHiddenStates ?? true });
  const loss =
    model.task === 'CAUSAL_LM'
      ? causalLmLoss(out.logits as tf.Tensor3D, fx.batch.labels)
      : softmaxCrossEntropy(out.logits as tf.Tensor2D, tf.tensor1d(fx.batch.labels, 'int32'));
  return { ...out, loss };
}

/** One line per check, parsed into the report table: `[fixture] <folder> | <check> | <max abs> | <worst/tol>`. */
export function logFixtureCheck(folder: string, check: string, e: Errors | { maxAbs: number; worst: number }): void {
  console.log(`[fixture] ${folder} | ${check} | ${e.maxAbs.toExponential(2)} | ${e.worst.toFixed(3)}`);
}

/** Relative loss error, logged as a fixture check (tolerance 1e-5 relative). */
export function relLossCheck(folder: string, check: string, got: number, want: number): number {
  const rel = Math.abs(got - want) / Math.abs(want);
  console.log(`[fixture] ${folder} | ${check} | ${Math.abs(got - want).toExponential(2)} | ${(rel / 1e-5).toFixed(3)} | ${got} vs ${want}`);
  return rel;
}
