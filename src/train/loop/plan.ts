// The seeded step plan of a run and what the page shows about it (steps, evaluation cadence, padding waste).
// Pure: the same for every task, so "evalEverySteps 0 = 4x per epoch" means the same everywhere.
import { paddingWaste, planSteps, type StepPlan } from '../batches';
import type { RunPlanInfo, TrainingConfig } from './types';

/** Evaluations per epoch when evalEverySteps is 0: enough points for a curve and for patience to mean ~1 epoch. */
export const EVALS_PER_EPOCH = 4;
/** Sort lengths within shuffled chunks of this many batches: low padding, order still random (HF group_by_length uses 50x mega-batches). */
export const BUCKET_CHUNK_BATCHES = 50;

/** The plan of `lengths.length` training examples; chanceLoss is the task's underfitting reference. */
export function planInfo(lengths: readonly number[], chanceLoss: number, config: TrainingConfig): { plan: StepPlan[]; info: RunPlanInfo } {
  const k = Math.max(1, config.gradAccumSteps ?? 1);
  const opts = { batchSize: config.batchSize, gradAccumSteps: k, epochs: config.epochs, seed: config.seed };
  const plan = planSteps(lengths, { ...opts, chunkBatches: config.bucketChunkBatches ?? BUCKET_CHUNK_BATCHES });
  const randomPlan = planSteps(lengths, { ...opts, chunkBatches: 0 });
  const stepsPerEpoch = Math.max(1, Math.ceil(Math.ceil(lengths.length / config.batchSize) / k));
  const evalEverySteps = config.evalEverySteps > 0 ? config.evalEverySteps : Math.max(1, Math.round(stepsPerEpoch / EVALS_PER_EPOCH));
  return {
    plan,
    info: {
      totalSteps: plan.length,
      stepsPerEpoch,
      evalEverySteps,
      effectiveBatchSize: config.batchSize * k,
      paddingWaste: paddingWaste(
        plan.flatMap((s) => s.microBatches),
        lengths,
      ),
      randomPaddingWaste: paddingWaste(
        randomPlan.flatMap((s) => s.microBatches),
        lengths,
      ),
      chanceLoss,
    },
  };
}
