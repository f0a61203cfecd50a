// Checkpoint retention: keep the last K checkpoints by step plus the single best by its metric.
// Pure; the checkpoint writer applies it inside the same transaction as the write.
import { assert } from '../lib/result';
import type { CheckpointMeta } from './records';

export type RetentionPolicy = { keepLast: number };

export const DEFAULT_RETENTION: RetentionPolicy = Object.freeze({ keepLast: 2 });

const byStepThenTime = (a: CheckpointMeta, b: CheckpointMeta) => a.step - b.step || a.createdAt - b.createdAt;

/** The best checkpoint among those with a metric (ties go to the later step), or null. */
export function bestCheckpoint(metas: readonly CheckpointMeta[]): CheckpointMeta | null {
  let best: CheckpointMeta | null = null;
  for (const m of [...metas].sort(byStepThenTime)) {
    if (!m.metric) continue;
    if (!best?.metric) {
      best = m;
      continue;
    }
    const better = m.metric.goal === 'max' ? m.metric.value >= best.metric.value : m.metric.value <= best.metric.value;
    if (better) best = m;
  }
  return best;
}

/** Ids of the checkpoints the policy drops, oldest first. */
export function checkpointsToPrune(metas: readonly CheckpointMeta[], policy: RetentionPolicy): string[] {
  assert(Number.isInteger(policy.keepLast) && policy.keepLast >= 1, 'keepLast must be a whole number ≥ 1');
  const ordered = [...metas].sort(byStepThenTime);
  const keep = new Set(ordered.slice(-policy.keepLast).map((m) => m.id));
  const best = bestCheckpoint(ordered);
  if (best) keep.add(best.id);
  return ordered.filter((m) => !keep.has(m.id)).map((m) => m.id);
}
