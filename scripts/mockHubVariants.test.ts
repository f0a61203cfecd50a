// The mock hub's checkpoint variants (sharded, BF16, F16, explicit tied head) load through loadCheckpointWeights — the
// worker's code path — and reproduce the fixture's reference logits; half-precision decoding is checked bit for bit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpointWeights, type CheckpointSource } from '../src/model/checkpoint';
import { tryParseModelConfig } from '../src/model/config';
import {
  compareArrays,
  forwardReference,
  FIXTURES_DIR,
  loadReferenceFixture,
  loadReferenceModel,
  logFixtureCheck,
  useCpuBackend,
  type ReferenceFolder,
} from '../src/test/fixtures';
import { explicitTiedHeadVariant, recastVariant, shardVariant, toBf16Bits, toF16Bits } from './lib/mockHubVariants';

beforeAll(useCpuBackend);

class NotFound extends Error {}
const memorySource = (files: Record<string, string | Uint8Array>, fetched: string[] = []): CheckpointSource => ({
  async fetchFile(file) {
    const f = files[file];
    if (f === undefined) throw new NotFound(file);
    fetched.push(file);
    const bytes = typeof f === 'string' ? new TextEncoder().encode(f) : f;
    return bytes.slice().buffer;
  },
  isNotFound: (e) => e instanceof NotFound,
});

const fixtureWeights = (name: string) => new Uint8Array(readFileSync(join(FIXTURES_DIR, 'reference', name, 'model.safetensors')));

/**
 * Tolerances against the F32 reference (|a − b| ≤ atol + rtol·|b| on real tokens):
 * F32 (sharded, tied): the fixture README's 1e-4 + 1e-4·|b|, the weights are bit-identical.
 * F16 keeps 11 significant bits (relative rounding 2^-11 ≈ 4.9e-4 per weight); BF16 keeps 8 (2^-9 ≈ 2e-3, about 3
 * significant digits). Logits are sums over C = 32..64 products of several rounded weights through 2 layers, so their
 * error is a few rounding units of the largest terms: we allow 5e-3 + 5e-3·|b| for F16 and 2e-2 + 2e-2·|b| for BF16
 * (~10 units each), and print the measured errors (measured: F16 gpt2 2.5e-3, BF16 bert 5.6e-3 max abs).
 */
const TOL = { F32: { atol: 1e-4, rtol: 1e-4 }, F16: { atol: 5e-3, rtol: 5e-3 }, BF16: { atol: 2e-2, rtol: 2e-2 } };

const cases: Array<[string, ReferenceFolder, () => Record<string, string | Uint8Array>, keyof typeof TOL]> = [
  ['llama-sharded', 'llama', () => shardVariant(fixtureWeights('llama'), 3), 'F32'],
  ['bert-bf16', 'bert', () => recastVariant(fixtureWeights('bert'), 'BF16'), 'BF16'],
  ['gpt2-f16', 'gpt2', () => recastVariant(fixtureWeights('gpt2'), 'F16'), 'F16'],
  ['qwen2-tied-explicit', 'qwen2', () => explicitTiedHeadVariant(fixtureWeights('qwen2'), 'model.embed_tokens.weight'), 'F32'],
];

describe('mock hub checkpoint variants', () => {
  it.each(cases)('%s loads through loadCheckpointWeights and gives the %s reference logits', async (name, base, make, dtype) => {
    const fx = loadReferenceFixture(base);
    const config = tryParseModelConfig(fx.configJson);
    if (!config.ok) throw new Error(config.error);
    const fetched: string[] = [];
    const loaded = await loadCheckpointWeights(memorySource(make(), fetched), `fixtures/${name}`, config.value);
    if (!loaded.ok) throw new Error(loaded.error);
    const w = loaded.value;
    expect(new Set(w.tensors.keys())).toEqual(new Set(fx.weights.keys()));
    if (name === 'llama-sharded') {
      expect(w.layout.kind).toBe('sharded');
      expect(fetched).toEqual([
        'model.safetensors.index.json',
        'model-00001-of-00003.safetensors',
        'model-00002-of-00003.safetensors',
        'model-00003-of-00003.safetensors',
      ]);
    }
    if (name === 'qwen2-tied-explicit') expect(w.tiedHead).toBe('deduplicated');
    expect(w.storedDtypes).toEqual([dtype]);
    // Decoding is exact: every value equals the F32 reference rounded to the stored dtype.
    const round = dtype === 'F32' ? (v: number) => v : (v: number) => decodeHalf(dtype === 'F16' ? toF16Bits(v) : toBf16Bits(v), dtype);
    for (const [k, t] of fx.weights) {
      const got = w.tensors.get(k)!.data;
      for (let i = 0; i < got.length; i += 7) if (got[i] !== Math.fround(round(t.data[i]))) throw new Error(`${k}[${i}]: ${got[i]} != ${round(t.data[i])}`);
    }

    const model = loadReferenceModel(fx, w.tensors);
    const logits = tf.tidy(() => forwardReference(model, fx, { keepHiddenStates: false }).logits);
    const want = fx.expectedTensors.get('logits')!;
    const V = want.shape[want.shape.length - 1];
    const mask = fx.task === 'CAUSAL_LM' ? (i: number) => fx.batch.attentionMask[Math.floor(i / V)] === 1 : undefined;
    const e = compareArrays(await logits.data(), want.data, TOL[dtype], mask);
    logFixtureCheck(name, `logits (${dtype}, tol ${TOL[dtype].atol} + ${TOL[dtype].rtol}|b|)`, e);
    expect(e.worst).toBeLessThanOrEqual(1);
    logits.dispose();
    model.dispose();
  });

  it('refuses an index whose shard lacks a tensor, and a shard name with a path', async () => {
    const fx = loadReferenceFixture('llama');
    const config = tryParseModelConfig(fx.configJson);
    if (!config.ok) throw new Error(config.error);
    const files = shardVariant(fixtureWeights('llama'), 2);
    const index = JSON.parse(files['model.safetensors.index.json'] as string);
    index.weight_map['model.extra.weight'] = 'model-00002-of-00002.safetensors';
    const bad = await loadCheckpointWeights(memorySource({ ...files, 'model.safetensors.index.json': JSON.stringify(index) }), 'x/llama', config.value);
    expect(!bad.ok && bad.error).toMatch(/puts "model.extra.weight" in model-00002-of-00002.safetensors but that shard lacks it/);
    index.weight_map['model.extra.weight'] = '../../secret.safetensors';
    const path = await loadCheckpointWeights(memorySource({ ...files, 'model.safetensors.index.json': JSON.stringify(index) }), 'x/llama', config.value);
    expect(!path.ok && path.error).toMatch(/not a .safetensors file name/);
  });
});

function decodeHalf(bits: number, dtype: 'F16' | 'BF16'): number {
  if (dtype === 'BF16') return new Float32Array(new Uint32Array([bits << 16]).buffer)[0];
  const s = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const f = bits & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 0x1f) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}
