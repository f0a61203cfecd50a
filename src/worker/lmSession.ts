// What the worker keeps for causal-LM work (issue 7): the parsed instruction / domain-text examples with their
// split, and the live decoder (base model + last LM run's adapter) the playground generates with. Disposed when
// a new model is loaded (detected by the base-model object changing) or a new run starts.
import type { InstructionExample } from '../data/instructionData';
import type { LoraAdapter } from '../model/lora';
import type { SequenceModel } from '../model/types';
import type { LmTask } from '../protocol/lmMessages';
import type { ChatTemplateChoice } from '../tokenize/chatFormat';
import type { LoadedBaseModel } from './sessionTypes';

export type LmSessionData = {
  fileName: string;
  task: LmTask;
  suggestedTask: LmTask;
  format: string;
  examples: InstructionExample[];
  errors: { row: number; message: string }[];
  /** Domain text read from this column of a table (the user's text column), if so. */
  textColumn?: string;
  errorsTotal?: number;
  /** Indices into examples. */
  split: { train: number[]; validation: number[] };
};

export type LmLive = {
  /** The base-model object the decoder was built from (identity: a new load invalidates it). */
  base: LoadedBaseModel;
  model: SequenceModel;
  /** The last LM run's adapter, or null before any run. */
  adapter: LoraAdapter | null;
  template: ChatTemplateChoice;
  /** Whether its frozen Linears keep the [out, in] backward copies (a run that wants otherwise rebuilds it). */
  backwardCopies: boolean;
};

export function disposeLmLive(live: LmLive | null): void {
  if (!live) return;
  live.adapter?.dispose();
  live.model.dispose();
}
