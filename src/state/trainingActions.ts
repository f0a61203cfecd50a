// Issue 5 actions: pause and resume a run (after a NaN rollback, optionally at a lower learning rate), the
// hyperparameter search (grid or random, trials one after another in the worker) and "use best".
import { getStudioBridge, WorkerRequestError } from '../bridge/workerBridge';
import type { SearchSpaceArgs, UserError } from '../protocol/messages';
import { chooseBackend, loadModel, updateTrainConfig } from './actions';
import { RUN_EXTRAS_RESET, type SearchSettings } from './slices/trainingSlice';
import { useStudioStore as store } from './studioStore';
import { parseValueList, sortTrialsByMetric } from './trainingEvents';

const toUserError = (e: unknown): UserError =>
  e instanceof WorkerRequestError ? e.userError : { code: 'unexpected', message: e instanceof Error ? e.message : String(e) };
const bridge = () => getStudioBridge();

export async function pauseTraining(): Promise<void> {
  if (store.getState().trainStatus !== 'running') return;
  store.setState({ pauseRequested: true });
  try {
    await bridge().call('pauseTraining', {});
  } catch (e) {
    store.setState({ pauseRequested: false, statusMessage: toUserError(e).message });
  }
}

/** Resumes a paused run; `learningRate` replaces the run's peak learning rate (e.g. lr/10 after a NaN). */
export async function resumeTraining(learningRate?: number): Promise<void> {
  try {
    await bridge().call('resumeTraining', learningRate === undefined ? {} : { learningRate });
    // The 'resumed' event confirms it; clear at once so the buttons do not invite a second click.
    store.setState((s) => ({ paused: null, runLearningRate: learningRate ?? s.runLearningRate }));
  } catch (e) {
    store.setState({ statusMessage: toUserError(e).message });
  }
}

export function updateSearchSettings(patch: Partial<SearchSettings>): void {
  store.setState((s) => ({ searchSettings: { ...s.searchSettings, ...patch }, searchLrTouched: s.searchLrTouched || patch.learningRate !== undefined }));
}

/** The search space from the form's lists, or a message naming the first bad list. */
export function searchSpaceFrom(f: SearchSettings): SearchSpaceArgs | string {
  const lists = {
    learningRate: parseValueList(f.learningRate),
    batchSize: parseValueList(f.batchSize, true),
    epochs: parseValueList(f.epochs, true),
    loraR: parseValueList(f.loraR, true),
    loraAlpha: parseValueList(f.loraAlpha),
  };
  for (const [k, v] of Object.entries(lists))
    if (!v) return `The ${k} list needs comma-separated positive numbers${k === 'learningRate' || k === 'loraAlpha' ? '' : ' (whole numbers)'}.`;
  const names = (f.strategies ?? '').split(/[,;\s]+/).filter((x) => x.length > 0);
  const known = ['head', 'lora', 'lora-embeddings', 'full'];
  const bad = names.find((n) => !known.includes(n));
  if (bad) return `"${bad}" is not a strategy; use ${known.join(', ')}.`;
  return { ...(lists as SearchSpaceArgs), ...(names.length > 0 ? { strategies: [...new Set(names)] as SearchSpaceArgs['strategies'] } : {}) };
}

/** Grid size of the form's lists (the number of trials a grid search would run before the budget). */
export function gridSize(space: SearchSpaceArgs): number {
  return Object.values(space).reduce((n: number, xs: readonly unknown[]) => n * xs.length, 1);
}

export async function runSearch(): Promise<void> {
  const s = store.getState();
  if (s.searchStatus === 'running' || s.trainStatus === 'running' || s.trainStatus === 'stopping') return;
  const space = searchSpaceFrom(s.searchSettings);
  if (typeof space === 'string') {
    store.setState({ searchStatus: 'failed', searchError: { code: 'bad-search-space', message: space } });
    return;
  }
  store.setState({
    searchStatus: 'running',
    searchError: null,
    searchTrials: [],
    searchTotal: 0,
    searchResult: null,
    trainPoints: [],
    evalPoints: [],
    progress: null,
    statusMessage: 'Preparing the search…',
    ...RUN_EXTRAS_RESET,
  });
  if (!s.backend) await chooseBackend(s.backendPreference);
  if (store.getState().modelStatus !== 'ready' && !(await loadModel())) {
    store.setState({ searchStatus: 'failed', searchError: store.getState().modelError, statusMessage: null });
    return;
  }
  const { strategy, maxTrials, maxMinutes, seed } = s.searchSettings;
  try {
    const result = await bridge().call('search', { space, strategy, maxTrials, maxMinutes, seed, base: store.getState().trainConfig });
    store.setState({ searchResult: result, searchTrials: result.trials, searchStatus: 'done', statusMessage: null });
  } catch (e) {
    store.setState({ searchStatus: 'failed', searchError: toUserError(e), statusMessage: null });
  }
}

export async function stopSearch(): Promise<void> {
  try {
    await bridge().call('stopTraining', {});
  } catch (e) {
    store.setState({ statusMessage: toUserError(e).message });
  }
}

/** The best trial: the worker's pick once the search is done, else the best so far. */
export function bestTrial() {
  const { searchResult, searchTrials } = store.getState();
  if (searchResult && searchResult.bestIndex !== null) {
    const t = searchResult.trials.find((x) => x.index === searchResult.bestIndex);
    if (t) return t;
  }
  return sortTrialsByMetric(searchTrials)[0] ?? null;
}

/** Copies the best trial's learning rate, batch size, epochs, rank and alpha into the hyperparameter form. */
export function applyBestConfig(): boolean {
  const best = bestTrial();
  if (!best) return false;
  updateTrainConfig({ ...best.config });
  return true;
}
