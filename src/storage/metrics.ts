// Metric points of a run, appended as chunks keyed [runId, seq] so an append never rewrites old points;
// read back in order, and trimmed past a checkpoint's step when a run resumes (no duplicated steps).
import type { Result } from '../lib/result';
import { approxJsonBytes } from './bytes';
import { metricRange } from './cascade';
import { tx, type StudioStore } from './db';
import { captureWrite, notFound, StorageErrorThrow, type StorageError } from './errors';
import type { MetricChunk, MetricPoint } from './records';
import { restoreAll, restoreMetricChunk } from './restore';
import { STORES } from './schema';

/** Appends the points as one new chunk; returns its sequence number (-1 when there was nothing to add). */
export async function appendMetrics(store: StudioStore, runId: string, points: readonly MetricPoint[]): Promise<Result<number, StorageError>> {
  return captureWrite({ what: 'the metric points' }, () =>
    tx(store.db, [STORES.runs, STORES.metrics], 'readwrite', async (t) => {
      if (points.length === 0) return -1;
      if (!(await t.objectStore(STORES.runs).getKey(runId))) throw new StorageErrorThrow(notFound('The run'));
      const metrics = t.objectStore(STORES.metrics);
      const last = await metrics.openKeyCursor(metricRange(runId), 'prev');
      const seq = last ? (last.key as [string, number])[1] + 1 : 0;
      const chunk: MetricChunk = { runId, seq, points: [...points], approxBytes: approxJsonBytes(points) };
      await metrics.add(chunk);
      return seq;
    }),
  );
}

/** Every point of the run in the order appended. */
export async function listMetrics(store: StudioStore, runId: string): Promise<MetricPoint[]> {
  const raw = await tx(store.db, [STORES.metrics], 'readonly', (t) => t.objectStore(STORES.metrics).getAll(metricRange(runId)));
  return restoreAll(raw, restoreMetricChunk).flatMap((c) => c.points);
}

/**
 * Drops points with step > `step` (logged after the checkpoint a run resumes from), so the resumed run's
 * points continue the curve without duplicates. Returns how many points were dropped.
 */
export async function trimMetricsAfterStep(store: StudioStore, runId: string, step: number): Promise<Result<number, StorageError>> {
  return captureWrite({ what: 'the metric points' }, () =>
    tx(store.db, [STORES.metrics], 'readwrite', async (t) => {
      const metrics = t.objectStore(STORES.metrics);
      let dropped = 0;
      for (const chunk of restoreAll(await metrics.getAll(metricRange(runId)), restoreMetricChunk)) {
        const kept = chunk.points.filter((p) => p.step <= step);
        if (kept.length === chunk.points.length) continue;
        dropped += chunk.points.length - kept.length;
        if (kept.length === 0) await metrics.delete([runId, chunk.seq]);
        else await metrics.put({ ...chunk, points: kept, approxBytes: approxJsonBytes(kept) });
      }
      return dropped;
    }),
  );
}
