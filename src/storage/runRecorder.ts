// Writes a training run to IndexedDB as it happens: the run record, metric points in small batches,
// checkpoints, and the final status. Storage problems become one warning, never a failed run.
import type { StudioStore } from './db';
import { appendMetrics } from './metrics';
import { writeCheckpoint, type NewCheckpoint } from './checkpoints';
import type { JsonValue, MetricPoint, RunStatus } from './records';
import { addRunDiagnostics, createRun, updateRunStatus } from './runs';

/** Metric points are written in batches: one transaction per point would slow every step. */
const FLUSH_EVERY_POINTS = 20;

export class RunRecorder {
  private buffer: MetricPoint[] = [];
  private lastActiveAt = performance.now();
  /** The first storage problem, shown to the user once. */
  problem: string | null = null;

  private constructor(
    private readonly store: StudioStore,
    readonly runId: string,
  ) {}

  /** Creates the run record; a problem when storage is unavailable (store null) or the dataset is not stored. */
  static async start(
    store: StudioStore | null,
    args: {
      datasetId: string | null;
      datasetName: string;
      modelId: string;
      modelRevision?: string | null;
      backend: string;
      config: { seed: number } & Record<string, JsonValue>;
      extra?: JsonValue;
      /** The run list's name; default "<model> on <dataset>". */
      name?: string;
    },
  ): Promise<RunRecorder | { problem: string }> {
    if (!store) return { problem: 'This browser offers no IndexedDB here, so the run is not saved.' };
    if (!args.datasetId) return { problem: 'The dataset could not be saved, so the run is not saved either.' };
    const created = await createRun(store, {
      datasetId: args.datasetId,
      name: args.name ?? `${args.modelId} on ${args.datasetName}`,
      config: {
        modelId: args.modelId,
        ...(args.modelRevision ? { modelRevision: args.modelRevision } : {}),
        backend: args.backend,
        seed: args.config.seed,
        hyperparameters: { ...args.config, ...(args.extra ? { extra: args.extra } : {}) },
      },
      createdAt: Date.now(),
    });
    if (!created.ok) return { problem: created.error.message };
    return new RunRecorder(store, created.value.id);
  }

  /** Writes to an existing run (resume); null when storage is unavailable. */
  static attach(store: StudioStore | null, runId: string): RunRecorder | null {
    return store ? new RunRecorder(store, runId) : null;
  }

  add(point: MetricPoint): void {
    this.buffer.push(point);
    if (point.kind === 'eval' || this.buffer.length >= FLUSH_EVERY_POINTS) void this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const points = this.buffer;
    this.buffer = [];
    const r = await appendMetrics(this.store, this.runId, points);
    if (!r.ok) this.problem ??= r.error.message;
  }

  /** Writes a checkpoint; returns the storage error message on failure (a full disk pauses the run). */
  async checkpoint(input: Omit<NewCheckpoint, 'runId' | 'createdAt'>): Promise<string | null> {
    await this.flush();
    const r = await writeCheckpoint(this.store, { ...input, runId: this.runId, createdAt: Date.now() });
    if (r.ok) return null;
    this.problem ??= r.error.message;
    return r.error.message;
  }

  async addDiagnostic(diagnostic: JsonValue): Promise<void> {
    const r = await addRunDiagnostics(this.store, this.runId, [diagnostic], Date.now());
    if (!r.ok) this.problem ??= r.error.message;
  }

  /** backend: the one a resumed run continues on (recorded when it changed). */
  async setStatus(status: RunStatus, message: string | null = null, backend?: string): Promise<void> {
    await this.flush();
    const now = performance.now();
    const activeMsDelta = now - this.lastActiveAt;
    this.lastActiveAt = now;
    const r = await updateRunStatus(this.store, this.runId, status, { at: Date.now(), message, activeMsDelta, backend });
    if (!r.ok) this.problem ??= r.error.message;
  }
}
