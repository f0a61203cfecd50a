// The guided steps' status (issue 14): for each step view, done / needs attention / blocked / to do / running,
// with the reason in words, and the one step to do next. Pure: derived from the store's state, no side effects.
import { pendingLeakage } from './slices/qualitySlice';
import type { StepId } from './slices/navSlice';
import type { StudioState } from './studioStore';

export type StepStatus = 'done' | 'attention' | 'blocked' | 'todo' | 'running';
export type StepInfo = { id: StepId; title: string; status: StepStatus; reason: string };

export const STEP_TITLES: Record<StepId, string> = {
  data: 'Data',
  check: 'Check',
  model: 'Model',
  train: 'Train',
  results: 'Results',
  playground: 'Playground',
  runs: 'Runs',
};

export const STATUS_WORDS: Record<StepStatus, string> = {
  done: 'done',
  attention: 'needs attention',
  blocked: 'blocked',
  todo: 'to do',
  running: 'running',
};

export type StepInput = Pick<
  StudioState,
  | 'dataset'
  | 'datasetStatus'
  | 'datasetError'
  | 'split'
  | 'leakageAcknowledged'
  | 'lmTask'
  | 'lmData'
  | 'lmError'
  | 'modelChoice'
  | 'model'
  | 'modelStatus'
  | 'modelError'
  | 'trainStatus'
  | 'trainError'
  | 'outcome'
  | 'progress'
  | 'paused'
  | 'runs'
  | 'searchStatus'
>;

const STEP_INPUT_KEYS = [
  'dataset',
  'datasetStatus',
  'datasetError',
  'split',
  'leakageAcknowledged',
  'lmTask',
  'lmData',
  'lmError',
  'modelChoice',
  'model',
  'modelStatus',
  'modelError',
  'trainStatus',
  'trainError',
  'outcome',
  'progress',
  'paused',
  'runs',
  'searchStatus',
] as const satisfies readonly (keyof StepInput)[];

/** The store fields the statuses read (stable references, for a shallow-compared selector). */
export function pickStepInput(s: StudioState): StepInput {
  const out: Partial<Record<keyof StepInput, unknown>> = {};
  for (const k of STEP_INPUT_KEYS) out[k] = s[k];
  return out as StepInput;
}

const DECODERS = ['gpt2', 'llama', 'qwen2'];

function dataStep(s: StepInput): Omit<StepInfo, 'id' | 'title'> {
  if (s.datasetStatus === 'parsing') return { status: 'todo', reason: 'Reading the file…' };
  if (s.datasetError) return { status: 'attention', reason: `That file can't be used: ${s.datasetError.message}` };
  if (s.lmTask !== 'classify') {
    if (s.lmError) return { status: 'attention', reason: s.lmError.message };
    if (s.lmData && s.lmData.train > 0)
      return { status: 'done', reason: `${s.lmData.examples} examples (${s.lmData.train} train / ${s.lmData.validation} validation)` };
    return { status: 'todo', reason: 'Drop instruction data (CSV or JSONL) or domain text.' };
  }
  if (!s.dataset) return { status: 'todo', reason: 'Drop a labeled CSV, JSONL or text file, or choose one.' };
  if (s.dataset.blocking) return { status: 'attention', reason: `Training is blocked: ${s.dataset.blocking.message}` };
  if (!s.split) return { status: 'todo', reason: 'Splitting the data…' };
  return { status: 'done', reason: `${s.dataset.rowCount} rows, ${s.dataset.labels.length} labels, ${s.split.train} train / ${s.split.validation} validation` };
}

function dataReady(s: StepInput): boolean {
  return dataStep(s).status === 'done';
}

function checkStep(s: StepInput): Omit<StepInfo, 'id' | 'title'> {
  if (!dataReady(s)) return { status: 'blocked', reason: 'Load usable data in the Data step first.' };
  if (s.lmTask !== 'classify') return { status: 'done', reason: 'Instruction checks (duplicates, cut completions) are listed in the Data step.' };
  const leak = pendingLeakage(s);
  if (leak && !s.leakageAcknowledged)
    return { status: 'attention', reason: `${leak.pairs} validation rows have a twin in training: change the split or acknowledge it.` };
  const findings = (s.dataset?.quality?.findings ?? []).filter((f) => f.severity === 'warning');
  if (findings.length > 0) return { status: 'done', reason: `${findings.length} findings to review (optional fixes).` };
  return { status: 'done', reason: 'All checks passed.' };
}

function modelStep(s: StepInput): Omit<StepInfo, 'id' | 'title'> {
  if (s.modelStatus === 'loading') return { status: 'todo', reason: 'Loading the model…' };
  if (s.modelError) return { status: 'attention', reason: s.modelError.message };
  if (s.modelStatus === 'ready' && s.model) return { status: 'done', reason: `${s.model.modelId} loaded.` };
  if (s.modelChoice.kind === 'embedded') return { status: 'done', reason: 'The offline demo model (random weights) loads when training starts.' };
  return { status: 'todo', reason: 'Load the chosen model.' };
}

function trainStep(s: StepInput): Omit<StepInfo, 'id' | 'title'> {
  if (s.paused) return { status: 'attention', reason: `Paused at step ${s.paused.step}.` };
  if (s.trainStatus === 'running' || s.trainStatus === 'stopping' || s.searchStatus === 'running') {
    const p = s.progress;
    return { status: 'running', reason: p ? `Step ${p.step} of ${p.totalSteps}.` : 'Starting…' };
  }
  if (!dataReady(s)) return { status: 'blocked', reason: 'Load usable data in the Data step first.' };
  if (s.lmTask === 'classify' && pendingLeakage(s) && !s.leakageAcknowledged)
    return { status: 'blocked', reason: 'Train/validation leakage must be acknowledged in the Check step.' };
  if (s.trainStatus === 'failed' && s.trainError) return { status: 'attention', reason: `The last run failed: ${s.trainError.message}` };
  if (s.outcome) return { status: 'done', reason: `Run ${s.outcome.status} after ${s.outcome.steps} steps.` };
  return { status: 'todo', reason: 'Ready: pick the settings and start training.' };
}

function resultsStep(s: StepInput): Omit<StepInfo, 'id' | 'title'> {
  if (!s.outcome) return { status: 'blocked', reason: 'Train a run first (or open a saved one in Runs).' };
  const loss = s.outcome.bestValLoss;
  return { status: 'done', reason: `Best validation loss ${loss == null ? '–' : loss.toFixed(4)}: download the adapter, report or recipe.` };
}

function playgroundStep(s: StepInput): Omit<StepInfo, 'id' | 'title'> {
  if (!s.model || !DECODERS.includes(s.model.modelType))
    return { status: 'blocked', reason: 'The playground generates text: load a decoder model (GPT-2, Llama, Qwen2).' };
  if (!s.outcome?.lm) return { status: 'todo', reason: 'Try the base model; fine-tune on instruction data to compare.' };
  return { status: 'done', reason: 'Compare base and fine-tuned answers.' };
}

function runsStep(s: StepInput): Omit<StepInfo, 'id' | 'title'> {
  if (s.runs.length === 0) return { status: 'todo', reason: 'No saved runs yet: every run is saved as it trains.' };
  return { status: 'done', reason: `${s.runs.length} saved run${s.runs.length === 1 ? '' : 's'}.` };
}

const STEP_FNS: Record<StepId, (s: StepInput) => Omit<StepInfo, 'id' | 'title'>> = {
  data: dataStep,
  check: checkStep,
  model: modelStep,
  train: trainStep,
  results: resultsStep,
  playground: playgroundStep,
  runs: runsStep,
};

export function stepInfos(s: StepInput): StepInfo[] {
  return (Object.keys(STEP_FNS) as StepId[]).map((id) => ({ id, title: STEP_TITLES[id], ...STEP_FNS[id](s) }));
}

/** The step to do next: a running step, else the first of the main path that is not done, else the results. */
export function nextStep(steps: StepInfo[]): StepInfo {
  const main = steps.filter((st) => ['data', 'check', 'model', 'train', 'results'].includes(st.id));
  return (
    main.find((st) => st.status === 'running') ??
    main.find((st) => st.status === 'attention' || st.status === 'todo') ??
    main.find((st) => st.status !== 'done') ??
    main[main.length - 1]
  );
}
