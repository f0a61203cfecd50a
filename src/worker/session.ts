// What the worker keeps between requests: the parsed table, the chosen columns and split, the base
// model's device weights and tokenizer, and the trained adapter. One instance per worker.
// Owners: the table and its columns change only through replaceTable / chooseColumns, which keep what
// depends on them (split, audit, trained adapter) consistent; dispose() releases everything the session holds.
import type { AuditState } from './auditState';
import type { ImportedAdapterState, LoadedBaseModel, LoadedTable, TrainedRun } from './sessionTypes';
import { TrainJob } from './trainJob';
import { disposeBank } from '../model/weightBank';
import { disposeLmLive, type LmLive, type LmSessionData } from './lmSession';

export type { ImportedAdapterState, LoadedBaseModel, LoadedTable, TrainedRun };

export type Columns = { textColumn: number; labelColumn: number };

export class StudioSession {
  #table: LoadedTable | null = null;
  #columns: Columns = { textColumn: 0, labelColumn: 1 };
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

  get table(): LoadedTable | null {
    return this.#table;
  }
  get textColumn(): number {
    return this.#columns.textColumn;
  }
  get labelColumn(): number {
    return this.#columns.labelColumn;
  }

  /**
   * A new table (dropped, cleaned or reopened): its columns and split (null = to be made), and everything derived
   * from the previous table — its audit and the adapter trained on it — is dropped with it.
   */
  replaceTable(table: LoadedTable, columns: Columns, split: StudioSession['split'] = null): void {
    this.#table = table;
    this.#columns = { ...columns };
    this.split = split;
    this.audit = null;
    this.trained = null;
  }

  /** Other text/label columns of the same table: the split no longer applies. */
  chooseColumns(columns: Columns): void {
    this.#columns = { ...columns };
    this.split = null;
  }

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

  /** Frees the base model's device weights (a new model replaces it). */
  releaseBaseModel(): void {
    if (this.baseModel) disposeBank(this.baseModel.weights.bank);
    this.baseModel = null;
  }

  /** The causal-LM playground's decoder and adapter (a classification run or a new model replaces them). */
  disposeLmLive(): void {
    disposeLmLive(this.lmLive);
    this.lmLive = null;
  }

  /** Releases what the session holds: stops a running job, frees the playground's and the base model's tensors. */
  dispose(): void {
    this.job?.stop();
    this.disposeLmLive();
    this.releaseBaseModel();
    this.#table = null;
    this.split = null;
    this.audit = null;
    this.trained = null;
    this.lm = null;
  }
}
