// RoPE coverage: theta from rope_theta or rope_parameters (never guessed), and the linear / dynamic / llama3
// scalings against the published formulas written out here (transformers modeling_rope_utils), shapes and values.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { tryParseModelConfig, type LlamaConfig } from './config';
import { ropeInvFreq } from './families/llama/rope';
import { ropeTable } from './families/llama/model';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Llama 3.2 1B's config.json (the fields the parser reads).
const LLAMA32_1B = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  hidden_size: 2048,
  intermediate_size: 8192,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  num_hidden_layers: 16,
  vocab_size: 128256,
  max_position_embeddings: 131072,
  rms_norm_eps: 1e-5,
  rope_theta: 500000.0,
  head_dim: 64,
  tie_word_embeddings: true,
  hidden_act: 'silu',
  rope_scaling: { factor: 32.0, high_freq_factor: 4.0, low_freq_factor: 1.0, original_max_position_embeddings: 8192, rope_type: 'llama3' },
};

const parseLlama = (json: Record<string, unknown>) => {
  const c = tryParseModelConfig(json);
  if (!c.ok) throw new Error(c.error);
  return c.value as LlamaConfig;
};

/** The llama3 rule, written from the paper's / HF's description in float64. */
function referenceLlama3(D: number, theta: number, factor: number, lo: number, hi: number, old: number): number[] {
  return Array.from({ length: D / 2 }, (_, i) => {
    const inv = 1 / Math.pow(theta, (2 * i) / D);
    const wavelen = (2 * Math.PI) / inv;
    if (wavelen < old / hi) return inv; // high frequency: unchanged
    if (wavelen > old / lo) return inv / factor; // low frequency: divided by factor
    const smooth = (old / wavelen - lo) / (hi - lo);
    return (1 - smooth) * (inv / factor) + smooth * inv;
  });
}

describe('RoPE settings', () => {
  it('parses Llama 3.2 1B (llama3 scaling) and matches the published llama3 formula', () => {
    const c = parseLlama(LLAMA32_1B);
    expect(c.ropeTheta).toBe(500000);
    expect(c.ropeScaling).toEqual({ type: 'llama3', factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192 });
    const got = ropeInvFreq(64, c.ropeTheta, c.ropeScaling, 16);
    const want = referenceLlama3(64, 500000, 32, 1, 4, 8192);
    expect(got.length).toBe(32);
    for (let i = 0; i < 32; i++) expect(Math.abs(got[i] - want[i]) / want[i]).toBeLessThan(1e-6);
    // The three bands all occur for these values: first unchanged, last divided by 32, some blended.
    const plain = ropeInvFreq(64, 500000, null, 16);
    expect(got[0]).toBe(plain[0]);
    expect(got[31] / plain[31]).toBeCloseTo(1 / 32, 6);
    const blended = Array.from(got).filter((g, i) => g / plain[i] < 0.999 && g / plain[i] > 1 / 32 + 1e-6);
    expect(blended.length).toBeGreaterThan(0);
  });

  it('linear divides the frequencies by factor; dynamic grows the base only past the original context', () => {
    const plain = ropeInvFreq(8, 10000, null, 10);
    const lin = ropeInvFreq(8, 10000, { type: 'linear', factor: 4 }, 10);
    for (let i = 0; i < 4; i++) expect(lin[i]).toBeCloseTo(plain[i] / 4, 7);
    const dyn = { type: 'dynamic' as const, factor: 2, originalMaxPositionEmbeddings: 16 };
    expect(Array.from(ropeInvFreq(8, 10000, dyn, 16))).toEqual(Array.from(plain));
    // seq_len 32 > 16: base = theta * ((factor * seq_len / orig) - (factor - 1)) ** (dim / (dim - 2)) = 10000 * 3^(4/3).
    const base = 10000 * Math.pow(3, 8 / 6);
    const grown = ropeInvFreq(8, 10000, dyn, 32);
    for (let i = 0; i < 4; i++) expect(grown[i] / (1 / Math.pow(base, (2 * i) / 8))).toBeCloseTo(1, 6);
  });

  it('the cos/sin table uses the scaled frequencies (shape [T, D], values cos(pos * inv_freq))', () => {
    const scaling = { type: 'linear' as const, factor: 2 };
    const { cos, sin } = ropeTable(5, 8, 10000, 3, scaling);
    expect(cos.shape).toEqual([5, 8]);
    const c = cos.dataSync();
    const s = sin.dataSync();
    const inv = Array.from({ length: 4 }, (_, i) => 1 / Math.pow(10000, (2 * i) / 8) / 2);
    for (let p = 0; p < 5; p++) {
      for (let i = 0; i < 4; i++) {
        expect(c[p * 8 + i]).toBeCloseTo(Math.cos((3 + p) * inv[i]), 5);
        expect(c[p * 8 + i + 4]).toBeCloseTo(Math.cos((3 + p) * inv[i]), 5);
        expect(s[p * 8 + i]).toBeCloseTo(Math.sin((3 + p) * inv[i]), 5);
      }
    }
    tf.dispose([cos, sin]);
  });

  it('reads rope_theta from rope_parameters and refuses a RoPE config without any theta', () => {
    const base = {
      model_type: 'qwen2',
      hidden_size: 64,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      intermediate_size: 128,
      num_hidden_layers: 2,
      vocab_size: 100,
    };
    const c = parseLlama({ ...base, rope_parameters: { rope_type: 'default', rope_theta: 1000000.0 } });
    expect([c.ropeTheta, c.ropeScaling]).toEqual([1000000, null]);
    const scaled = parseLlama({ ...base, rope_parameters: { rope_type: 'linear', rope_theta: 5e5, factor: 8 } });
    expect(scaled.ropeScaling).toEqual({ type: 'linear', factor: 8 });
    const none = tryParseModelConfig(base);
    expect(!none.ok && none.error).toMatch(/no rope_theta \(neither at top level nor in rope_parameters\)/);
    const badLlama3 = tryParseModelConfig({ ...LLAMA32_1B, rope_scaling: { rope_type: 'llama3', factor: 32 } });
    expect(!badLlama3.ok && badLlama3.error).toMatch(/"llama3" needs a positive low_freq_factor/);
  });
});
