// What the worker keeps between requests: the parsed table, the chosen columns and split, the base
// model's raw weights and tokenizer, and the trained adapter. One instance per worker.
import type { AuditState } from './auditState';
import type { ImportedAdapterState, LoadedBaseModel, LoadedTable, TrainedRun } from './sessionTypes';
import { TrainJob } from './trainJob';
import { disposeLmLive, type LmLive, type LmSessionData } from './lmSession';

export type { ImportedAdapterState, LoadedBaseModel, LoadedTable, TrainedRun };

export class StudioSession {
  table: LoadedTable | null = null;
  textColumn = 0;
  labelColumn = 1;
  split: { train: number[]; validation: number[] } | null = null;
  baseModel: LoadedBaseModel | null = null;
  /** The running training job (a run or a search), if any: it owns its stop and pause. */
  job: TrainJob | null = null;
  /** Data audit state (quality report, test split, leakage); see auditState.ts. */
  audit: AuditState | null = null;
  /** The last run's adapter, already serialised, so it survives backend switches. */
  trained: TrainedRun | null = null;
  /** The adapter imported last (issue 14): the playground's choice and a run's starting point. */
  imported: ImportedAdapterState | null = null;
  /** An imported full model's label order (its head's classes, matched to the data), for the playground. */
  importedModelLabels: { modelId: string; labelNames: string[] } | null = null;
  /** Causal-LM data (instruction / domain text) and the playground's live decoder; see lmSession.ts. */
  lm: LmSessionData | null = null;
  lmLive: LmLive | null = null;

  get training(): boolean {
    return this.job !== null;
  }

  /** The stored run being trained now, if any. */
  get activeRunId(): string | null {
    return this.job?.runId ?? null;
  }

  /** Starts the one training job this worker runs at a time; null when one is already going. */
  beginJob(): TrainJob | null {
    if (this.job) return null;
    this.job = new TrainJob();
    return this.job;
  }

  endJob(job: TrainJob): void {
    if (this.job === job) this.job = null;
  }

  /** The causal-LM playground's decoder and adapter (a classification run or a new model replaces them). */
  disposeLmLive(): void {
    disposeLmLive(this.lmLive);
    this.lmLive = null;
  }
}
