// Learning-rate schedule: linear warmup, then linear decay to zero. Pure.

/** lr for optimizer step `step` (0-based) of `totalSteps`; warmup is a share of the total (e.g. 0.06). */
export function learningRateAt(step: number, totalSteps: number, baseLr: number, warmupShare = 0.06): number {
  const warmupSteps = Math.max(1, Math.round(totalSteps * warmupShare));
  if (step < warmupSteps) return (baseLr * (step + 1)) / warmupSteps;
  const decaySteps = Math.max(1, totalSteps - warmupSteps);
  return baseLr * Math.max(0, (totalSteps - step) / decaySteps);
}
