// The data the worker session holds between requests (its own module so lmSession.ts and session.ts do not
// import each other).
import type { CsvTable } from '../data/csv';
import type { NamedTensor } from '../model/safetensors';
import type { BaseWeights } from '../model/weightBank';
import type { PreTrainedTokenizer } from '../tokenize/tokenizer';

/** The parsed file; datasetId is its IndexedDB record (null when storage is unavailable). */
export type LoadedTable = { fileName: string; sizeBytes: number; table: CsvTable; datasetId: string | null };

export type LoadedBaseModel = {
  modelId: string;
  configJson: Record<string, unknown>;
  /** Shapes of every checkpoint tensor (data released once banked: the values live in `weights.bank`). */
  tensors: Map<string, NamedTensor>;
  /** The frozen weights on the device, shared by every model the session builds (pass `bank` to tryLoadModel). */
  weights: BaseWeights;
  tokenizer: PreTrainedTokenizer;
  pretrained: boolean;
  /** Hub models: the commit every file came from (recorded in runs and exported adapters). */
  revision?: string | null;
};

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

/** The adapter last imported (issue 14): its PEFT files and what the page shows; a run can continue from it. */
export type ImportedAdapterState = {
  fileName: string;
  modelId: string;
  configJson: string;
  weights: Uint8Array;
  /** The classifier's label order (the adapter's label_map, else the data's sorted labels). */
  labelNames: string[];
  r: number;
  loraAlpha: number;
  targetModules: string[];
  task: 'SEQ_CLS' | 'CAUSAL_LM';
};
