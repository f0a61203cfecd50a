// What the worker keeps between requests: the parsed table, the chosen columns and split, the base
// model's raw weights and tokenizer, and the trained adapter. One instance per worker.
import type { PreTrainedTokenizer } from '../tokenize/tokenizer';
import type { NamedTensor } from '../model/safetensors';
import type { CsvTable } from '../data/csv';
import type { AuditState } from './handlers/auditState';
import type { TrainSwitch } from './trainControls';
import type { LmLive, LmSessionData } from './lmSession';

/** The parsed file; datasetId is its IndexedDB record (null when storage is unavailable). */
export type LoadedTable = { fileName: string; sizeBytes: number; table: CsvTable; datasetId: string | null };

export type LoadedBaseModel = {
  modelId: string;
  configJson: Record<string, unknown>;
  tensors: Map<string, NamedTensor>;
  tokenizer: PreTrainedTokenizer;
  pretrained: boolean;
};

export class StudioSession {
  table: LoadedTable | null = null;
  textColumn = 0;
  labelColumn = 1;
  split: { train: number[]; validation: number[] } | null = null;
  baseModel: LoadedBaseModel | null = null;
  /** Set by stopTraining, read by the training loop between steps. */
  stopRequested = false;
  training = false;
  /** The stored run being trained now, if any. */
  activeRunId: string | null = null;
  /** Data audit state (quality report, test split, leakage); see handlers/auditState.ts. */
  audit: AuditState | null = null;
  /** Pause/resume switch of the running classification run. */
  trainSwitch: TrainSwitch | null = null;
  /** The last run's adapter, already serialised, so it survives backend switches. */
  trained: TrainedRun | null = null;
  /** Causal-LM data (instruction / domain text) and the playground's live decoder; see lmSession.ts. */
  lm: LmSessionData | null = null;
  lmLive: LmLive | null = null;
}

export type TrainedRun = {
  modelId: string;
  labelNames: string[];
  adapterConfigJson: string;
  adapterSafetensors: Uint8Array;
  /** A causal-LM run's ready-made zip (PEFT files, chat_template.jinja, README); exportAdapter returns it as is. */
  lmZip?: Uint8Array;
  /** A full fine-tuning run's save_pretrained folder as a zip (issue 12); exportAdapter returns it as is. */
  fullModelZip?: Uint8Array;
};
