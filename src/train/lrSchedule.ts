// Learning-rate schedule: linear warmup, then linear or cosine decay to zero (HF get_linear/cosine_schedule_with_warmup,
// except that warmup step 0 already gets lr/warmupSteps). Pure.

/** How the lr falls after warmup. */
export const LR_DECAYS = ['linear', 'cosine'] as const;
export type LrDecay = (typeof LR_DECAYS)[number];

/** Share of the optimizer steps spent warming up (HF examples commonly use warmup_ratio 0.06). */
export const DEFAULT_WARMUP_SHARE = 0.06;

/** lr for optimizer step `step` (0-based) of `totalSteps`; warmup is a share of the total (e.g. 0.06). */
export function learningRateAt(step: number, totalSteps: number, baseLr: number, warmupShare = DEFAULT_WARMUP_SHARE, decay: LrDecay = 'linear'): number {
  const warmupSteps = Math.max(1, Math.round(totalSteps * warmupShare));
  if (step < warmupSteps) return (baseLr * (step + 1)) / warmupSteps;
  const decaySteps = Math.max(1, totalSteps - warmupSteps);
  if (decay === 'cosine') {
    const progress = Math.min(1, (step - warmupSteps) / decaySteps); // 0 at the peak, 1 at the end
    return baseLr * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
  return baseLr * Math.max(0, (totalSteps - step) / decaySteps);
}
