// RoPE settings of a Llama-style config and the rotary inverse frequencies they imply, as transformers'
// modeling_rope_utils computes them: default, linear, dynamic (NTK) and llama3 scaling. Pure; no tfjs.

/** The scaling HF applies to the inverse frequencies (null = plain RoPE). */
export type RopeScaling =
  | { type: 'linear'; factor: number }
  | { type: 'dynamic'; factor: number; originalMaxPositionEmbeddings: number }
  | { type: 'llama3'; factor: number; lowFreqFactor: number; highFreqFactor: number; originalMaxPositionEmbeddings: number };

const SUPPORTED = ['default', 'linear', 'dynamic', 'llama3'];

/**
 * rope_theta and rope_scaling from a config: the classic layout (rope_theta + rope_scaling) and the newer
 * one (rope_parameters {rope_type, rope_theta, ...}). A missing theta is a problem, never a guess.
 */
export function parseRope(j: Record<string, unknown>, maxPositionEmbeddings: number, problems: string[]): { theta: number; scaling: RopeScaling | null } {
  const params = isRecord(j.rope_parameters) ? j.rope_parameters : null;
  const scalingJson = isRecord(j.rope_scaling) ? j.rope_scaling : params;
  if (j.rope_scaling != null && !isRecord(j.rope_scaling)) problems.push(`rope_scaling must be an object or null (got ${JSON.stringify(j.rope_scaling)})`);
  const thetaRaw = j.rope_theta ?? params?.rope_theta;
  let theta = 0;
  if (typeof thetaRaw === 'number' && thetaRaw > 0) theta = thetaRaw;
  else if (thetaRaw == null)
    problems.push('no rope_theta (neither at top level nor in rope_parameters): the rotary base cannot be guessed, add rope_theta to config.json');
  else problems.push(`rope_theta must be a positive number (got ${JSON.stringify(thetaRaw)})`);
  if (!scalingJson) return { theta, scaling: null };
  const type = scalingJson.rope_type ?? scalingJson.type ?? 'default';
  if (typeof type !== 'string' || !SUPPORTED.includes(type)) {
    problems.push(`RoPE scaling type ${JSON.stringify(type)} is not supported (supported: ${SUPPORTED.join(', ')}); pick a model without it`);
    return { theta, scaling: null };
  }
  if (type === 'default') return { theta, scaling: null };
  const num = (key: string, fallback?: number): number => {
    const v = scalingJson[key] ?? fallback;
    if (typeof v !== 'number' || !(v > 0)) {
      problems.push(`RoPE scaling "${type}" needs a positive ${key} (got ${JSON.stringify(v)})`);
      return 1;
    }
    return v;
  };
  const factor = num('factor');
  const originalMax = (fallback: number) =>
    num('original_max_position_embeddings', typeof j.original_max_position_embeddings === 'number' ? j.original_max_position_embeddings : fallback);
  if (type === 'linear') return { theta, scaling: { type, factor } };
  if (type === 'dynamic') return { theta, scaling: { type, factor, originalMaxPositionEmbeddings: originalMax(maxPositionEmbeddings) } };
  const lowFreqFactor = num('low_freq_factor');
  const llama3 = 'llama3' as const;
  const highFreqFactor = num('high_freq_factor');
  if (highFreqFactor <= lowFreqFactor)
    problems.push(`RoPE scaling "llama3" needs high_freq_factor > low_freq_factor (got ${highFreqFactor} and ${lowFreqFactor})`);
  return { theta, scaling: { type: llama3, factor, lowFreqFactor, highFreqFactor, originalMaxPositionEmbeddings: originalMax(maxPositionEmbeddings) } };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * inv_freq [D/2] in float32 as torch: 1 / theta^(arange(0, D, 2) / D), then the scaling. `seqLen` (the longest
 * position + 1 of the call) matters only for dynamic NTK, which grows the base past the original context.
 */
export function ropeInvFreq(D: number, theta: number, scaling: RopeScaling | null, seqLen: number): Float32Array {
  const f = Math.fround;
  let base = theta;
  if (scaling?.type === 'dynamic' && seqLen > scaling.originalMaxPositionEmbeddings) {
    base = theta * Math.pow((scaling.factor * seqLen) / scaling.originalMaxPositionEmbeddings - (scaling.factor - 1), D / (D - 2));
  }
  const inv = new Float32Array(D / 2);
  for (let i = 0; i < D / 2; i++) inv[i] = f(1 / f(Math.pow(base, f((2 * i) / D))));
  if (scaling?.type === 'linear') for (let i = 0; i < inv.length; i++) inv[i] = f(inv[i] / scaling.factor);
  if (scaling?.type === 'llama3') {
    const { factor, lowFreqFactor: lo, highFreqFactor: hi, originalMaxPositionEmbeddings: old } = scaling;
    const lowFreqWavelen = old / lo;
    const highFreqWavelen = old / hi;
    for (let i = 0; i < inv.length; i++) {
      const wavelen = (2 * Math.PI) / inv[i];
      if (wavelen > lowFreqWavelen)
        inv[i] = f(inv[i] / factor); // long wavelengths: interpolate fully
      else if (wavelen >= highFreqWavelen) {
        const smooth = (old / wavelen - lo) / (hi - lo); // medium band: blend
        inv[i] = f((1 - smooth) * (inv[i] / factor) + smooth * inv[i]);
      } // short wavelengths stay
    }
  }
  return inv;
}
