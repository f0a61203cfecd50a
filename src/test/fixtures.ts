// Test-only helpers: read the shared HF reference fixtures (JSON, safetensors) and compare arrays with tolerances.
// Used only by *.test.ts in Node; no production file may import this.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { forwardBert, type BertModel } from '../model/bert';
import type { LoraAdapter } from '../model/lora';
import { tryParseSafetensors, type NamedTensor } from '../model/safetensors';
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

/** The bert reference folder: config, weights, batch (flat arrays), expected outputs. */
export type BertFixtureInputs = {
  input_ids: number[][];
  attention_mask: number[][];
  token_type_ids: number[][];
  labels: number[];
  batch_size: number;
  seq_len: number;
};

export function loadBertFixture() {
  const dir = 'reference/bert';
  const inputs = readFixtureJson<BertFixtureInputs>(`${dir}/inputs.json`);
  const B = inputs.batch_size;
  const T = inputs.seq_len;
  return {
    configJson: readFixtureJson(`${dir}/config.json`),
    weights: readFixtureSafetensors(`${dir}/model.safetensors`),
    batch: {
      B,
      T,
      inputIds: Int32Array.from(inputs.input_ids.flat()),
      attentionMask: Int32Array.from(inputs.attention_mask.flat()),
      tokenTypeIds: Int32Array.from(inputs.token_type_ids.flat()),
      labels: Int32Array.from(inputs.labels),
    },
    expected: readFixtureJson<{ loss: number }>(`${dir}/expected.json`),
    expectedTensors: readFixtureSafetensors(`${dir}/expected.safetensors`),
    adapterExpected: readFixtureJson<{ loss: number; merged_loss: number; adapter_keys: Record<string, number[]> }>(
      `${dir}/adapter/expected.json`,
    ),
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

export type Errors = { maxAbs: number; maxRel: number; worst: number; count: number };

/**
 * Elementwise |a - b| <= atol + rtol*|b| over positions where mask (if given) is true.
 * worst = max of |a - b| / (atol + rtol*|b|): the check passes when worst <= 1.
 */
export function compareArrays(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  tol: { atol: number; rtol: number },
  mask?: (i: number) => boolean,
): Errors {
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
    `[check] ${label}: max abs ${e.maxAbs.toExponential(2)}, max rel ${e.maxRel.toExponential(2)}, ` +
      `worst/tol ${e.worst.toFixed(3)} over ${e.count} values`,
  );
  return e;
}

/** Mask over a [B, T, C] array: positions whose token has attention_mask == 1. */
export const tokenMask = (attentionMask: ArrayLike<number>, C: number) => (i: number) => attentionMask[Math.floor(i / C)] === 1;

/** Forward the fixture batch (eval mode) and its mean cross-entropy; call inside tf.tidy. */
export function forwardFixtureBatch(
  model: BertModel,
  batch: ClassifierBatch,
  options: { adapter?: LoraAdapter | null; keepHiddenStates?: boolean } = {},
) {
  const inputs = batchToTensors(batch);
  const out = forwardBert(model, inputs, { adapter: options.adapter ?? null, keepHiddenStates: options.keepHiddenStates ?? true });
  return { ...out, loss: softmaxCrossEntropy(out.logits, inputs.labels), attentionMask: inputs.attentionMask };
}
