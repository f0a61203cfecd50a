// Actions that talk to the worker through the bridge and apply its answers and events to the store.
// Module-level functions (no hooks needed); the store never sees the Worker object.
import { getStudioBridge, WorkerRequestError } from '../bridge/workerBridge';
import { installCrashRecovery } from './workerCrash';
import type { BackendPreference, ModelSource, RunSummary, TrainConfig, UserError, WorkerEvent } from '../protocol/messages';
import { askForPersistentStorage } from './libraryActions';
import { estimateModel, modelPlan, modelSource } from './modelActions';
import { EMBEDDED_MODEL, type ModelChoice } from './slices/modelSlice';
import { useStudioStore as store } from './studioStore';
import { AUDIT_RESET, leakageAckFor } from './slices/qualitySlice';
import { detectLmData, isLmFile, loadLmFile, refreshLmData, runFewShot } from './lmActions';
import { EMPTY_GEN } from './slices/lmSlice';
import { refreshLibrary } from './libraryActions';
import { trainingEventPatch } from './trainingEvents';
import { RUN_EXTRAS_RESET } from './slices/trainingSlice';
import { installDefaultsWatcher } from './defaultsActions';

installDefaultsWatcher();

const MAX_CHART_POINTS = 2000;

function toUserError(e: unknown): UserError {
  if (e instanceof WorkerRequestError) return e.userError;
  return { code: 'unexpected', message: e instanceof Error ? e.message : String(e) };
}

function applyEvent(event: WorkerEvent): void {
  switch (event.type) {
    case 'modelProgress':
      store.setState((s) => ({ modelProgress: { ...s.modelProgress, [event.file]: event } }));
      break;
    case 'hubWait':
      store.setState({ hubWait: event.secondsLeft > 0 ? { secondsLeft: event.secondsLeft, attempt: event.attempt, maxRetries: event.maxRetries } : null });
      break;
    case 'trainStarted':
      store.setState({ statusMessage: `Training on ${event.backend} (${event.trainExamples} examples)` });
      break;
    case 'trainPoint':
      store.setState((s) => ({
        trainPoints: [...s.trainPoints, event.point].slice(-MAX_CHART_POINTS),
        progress: event.progress,
      }));
      break;
    case 'evalPoint':
      store.setState((s) => ({ evalPoints: [...s.evalPoints, event.point], ...trainingEventPatch(s, event) }));
      break;
    // Issue 5: plan, diagnostics, evaluation detail, pause / rollback / resume, probe, few-shot, search trials.
    case 'trainPlan':
    case 'evalDetail':
    case 'diagnostic':
    case 'paused':
    case 'rollback':
    case 'resumed':
    case 'probeInfo':
    case 'fewShot':
    case 'baselines':
    case 'searchTrial':
      store.setState((s) => trainingEventPatch(s, event) ?? {});
      break;
    case 'runHistory':
      // A resumed run: its stored points first, the new ones follow.
      store.setState({ trainPoints: event.trainPoints.slice(-MAX_CHART_POINTS), evalPoints: event.evalPoints });
      break;
    case 'status':
      store.setState({ statusMessage: event.message });
      break;
    case 'parseProgress':
      store.setState({ parseProgress: { loadedBytes: event.loadedBytes, totalBytes: event.totalBytes, rows: event.rows } });
      break;
  }
}

let subscribed = false;
function bridge() {
  const b = getStudioBridge();
  if (!subscribed) {
    b.subscribe(applyEvent);
    b.onHealth((h) => store.setState({ workerProblem: h.message }));
    installCrashRecovery(b);
    subscribed = true;
  }
  return b;
}

/** Starts the worker at page start-up, so a stale worker bundle is told at once (a banner), not on the first click. */
export function startWorker(): void {
  bridge().start();
}

/** URL settings: ?hub=<base url>&backend=webgpu|wasm|cpu (used by tests and power users). */
export function applyUrlSettings(search: string): void {
  const params = new URLSearchParams(search);
  const hub = params.get('hub');
  const backend = params.get('backend');
  if (hub) store.setState({ hubBaseUrl: hub.replace(/\/+$/, '') });
  const maxBufferMB = Number(params.get('maxBufferMB'));
  if (maxBufferMB > 0) store.setState({ maxBufferMB });
  if (backend === 'webgpu' || backend === 'wasm' || backend === 'cpu' || backend === 'auto') {
    store.setState({ backendPreference: backend });
  }
}

export async function chooseBackend(preference: BackendPreference): Promise<void> {
  store.setState({ backendPreference: preference });
  try {
    const info = await bridge().call('setBackend', { preference });
    store.setState({ backend: info });
  } catch (e) {
    store.setState({ statusMessage: toUserError(e).message });
  }
}

export async function loadDatasetFile(file: File): Promise<void> {
  // JSONL instruction/chat data, .txt domain text (issue 7); JSON text+label records read as a table.
  if (isLmFile(file) && (await loadLmFile(file)) !== 'table') return;
  return loadTableFile(file);
}

/** A classification table: CSV/TSV, or JSON/JSONL text+label records (the LM reader hands those back here). */
export async function loadTableFile(file: File): Promise<void> {
  store.setState({ datasetStatus: 'parsing', datasetError: null, parseProgress: null, ...AUDIT_RESET });
  try {
    const dataset = await bridge().call('parseFile', { file, maxSeqLength: store.getState().trainConfig.maxSeqLength });
    store.setState({ dataset, datasetStatus: 'ready', split: null, parseProgress: null });
    if (!dataset.blocking) await makeSplit();
    await detectLmData(); // suggests the task: classification, instruction tuning or domain text
    await refreshLibrary(); // the new dataset is saved: the library lists it now
  } catch (e) {
    // Keep whatever dataset was loaded before: a bad file must not wipe good work.
    const prev = store.getState().dataset;
    store.setState({ datasetStatus: prev ? 'ready' : 'error', datasetError: toUserError(e), parseProgress: null });
  }
}

export async function setColumns(textColumn: number, labelColumn: number): Promise<void> {
  try {
    const dataset = await bridge().call('setColumns', { textColumn, labelColumn });
    store.setState({ dataset, datasetError: null, split: null });
    if (!dataset.blocking) await makeSplit();
  } catch (e) {
    store.setState({ datasetError: toUserError(e) });
  }
}

export async function makeSplit(): Promise<void> {
  const { validationFraction, splitSeed, splitMode, testFraction, groupColumn, splitColumn } = store.getState();
  try {
    const split = await bridge().call('split', { validationFraction, seed: splitSeed, mode: splitMode, testFraction, groupColumn, splitColumn });
    store.setState({ split, leakageAcknowledged: false, auditError: null });
  } catch (e) {
    store.setState({ datasetError: toUserError(e) });
  }
}

export function setSplitOptions(validationFraction: number, splitSeed: number): Promise<void> {
  store.setState({ validationFraction, splitSeed });
  return makeSplit();
}

export function chooseModel(choice: ModelChoice): void {
  store.setState({ modelChoice: choice, model: null, modelStatus: 'none', modelError: null, modelEstimate: null, estimateStatus: 'none' });
}

export function setHubBaseUrl(url: string): void {
  store.setState({ hubBaseUrl: url.trim().replace(/\/+$/, '') });
}

export async function loadModel(): Promise<boolean> {
  const { modelChoice, hubBaseUrl } = store.getState();
  const source: ModelSource = modelSource(modelChoice, hubBaseUrl);
  store.setState({ modelStatus: 'loading', modelError: null, modelProgress: {} });
  bridge(); // subscribe to progress events before the first request
  if (!(await estimateModel())) return false; // won't fit (or no config): refused before the big download
  store.setState({ modelStatus: 'loading' });
  try {
    const model = await bridge().call('loadModel', { source, plan: modelChoice.kind === 'embedded' ? undefined : modelPlan() });
    store.setState({ model, modelStatus: 'ready', hubWait: null });
    return true;
  } catch (e) {
    store.setState({ modelStatus: 'error', modelError: toUserError(e), model: null, hubWait: null });
    return false;
  }
}

export function updateTrainConfig(patch: Partial<TrainConfig>): void {
  // What the user sets wins over the model-aware defaults from then on.
  store.setState((s) => ({ trainConfig: { ...s.trainConfig, ...patch }, touchedConfig: [...new Set([...s.touchedConfig, ...Object.keys(patch)])] }));
}

export async function startTraining(): Promise<void> {
  const s = store.getState();
  if (s.trainStatus === 'running' || s.trainStatus === 'stopping') return;
  store.setState({
    trainStatus: 'running',
    trainError: null,
    trainPoints: [],
    evalPoints: [],
    progress: null,
    outcome: null,
    statusMessage: 'Preparing…',
    ...RUN_EXTRAS_RESET,
    runLearningRate: s.trainConfig.learningRate,
  });
  // Runs are saved in IndexedDB; ask the browser not to evict them (it may show a prompt).
  void askForPersistentStorage();
  if (!s.backend) await chooseBackend(s.backendPreference);
  if (store.getState().modelStatus !== 'ready' && !(await loadModel())) {
    store.setState({ trainStatus: 'failed', trainError: store.getState().modelError });
    return;
  }
  try {
    const now = store.getState();
    const fromImported = now.continueFromImport && now.importedAdapter?.kind === 'adapter' && now.importedAdapter.task === 'SEQ_CLS';
    const outcome = await bridge().call('train', { config: now.trainConfig, acknowledgedLeakage: leakageAckFor(now), fromImported });
    store.setState({ outcome, trainStatus: outcome.status, statusMessage: null });
  } catch (e) {
    store.setState({ trainStatus: 'failed', trainError: toUserError(e), statusMessage: null });
  }
}

/** Continues a stored interrupted or paused run from its latest checkpoint (the worker reopens data and model). */
export async function resumeStoredRun(run: RunSummary): Promise<void> {
  const s = store.getState();
  if (s.trainStatus === 'running' || s.trainStatus === 'stopping' || s.searchStatus === 'running') return;
  store.setState({
    trainStatus: 'running',
    trainError: null,
    trainPoints: [],
    evalPoints: [],
    progress: null,
    outcome: null,
    statusMessage: 'Resuming…',
    ...RUN_EXTRAS_RESET,
    runLearningRate: run.config.learningRate,
  });
  if (!s.backend) await chooseBackend(s.backendPreference);
  const choice = s.modelChoice;
  const source: ModelSource =
    run.modelId === EMBEDDED_MODEL
      ? { kind: 'embedded', name: EMBEDDED_MODEL }
      : choice.kind === 'local' && choice.name === run.modelId
        ? modelSource(choice, s.hubBaseUrl)
        : { kind: 'hub', baseUrl: s.hubBaseUrl, modelId: run.modelId, revision: run.modelRevision ?? s.hubRevision, accessToken: s.hubToken || null };
  // The worker may load the run's model in place of the page's choice: the page then loads its own again on Start.
  if (s.model?.modelId !== run.modelId) store.setState({ model: null, modelStatus: 'none' });
  try {
    const outcome = await bridge().call('resumeRun', { runId: run.id, source });
    store.setState({ outcome, trainStatus: outcome.status, statusMessage: null });
  } catch (e) {
    store.setState({ trainStatus: 'failed', trainError: toUserError(e), statusMessage: null });
  }
}

/** A causal-LM run (instruction or domain text) of the session's LM data; the same loop and controls as startTraining. */
export async function startLmTraining(): Promise<void> {
  const s = store.getState();
  if (s.trainStatus === 'running' || s.trainStatus === 'stopping') return;
  store.setState({
    trainStatus: 'running',
    trainError: null,
    trainPoints: [],
    evalPoints: [],
    progress: null,
    outcome: null,
    statusMessage: 'Preparing…',
    genBase: EMPTY_GEN,
    genTuned: EMPTY_GEN,
  });
  if (!s.backend) await chooseBackend(s.backendPreference);
  if (store.getState().modelStatus !== 'ready' && !(await loadModel())) {
    store.setState({ trainStatus: 'failed', trainError: store.getState().modelError });
    return;
  }
  await refreshLmData();
  if (store.getState().fewShotStatus !== 'done') await runFewShot();
  const { trainConfig, trainOnPrompt, exactMatchSamples, continueFromImport, importedAdapter } = store.getState();
  const fromImported = continueFromImport && importedAdapter?.kind === 'adapter' && importedAdapter.task === 'CAUSAL_LM';
  store.setState({ lmPlaygroundImport: null }); // the run's adapter replaces the imported one in the playground
  try {
    const outcome = await bridge().call('trainLm', { config: trainConfig, lm: { trainOnPrompt, exactMatchSamples }, fromImported });
    console.log(`[lm-train] ${outcome.steps} steps, ${Math.round(outcome.tokensPerSec)} tokens/s on ${outcome.backend}`);
    store.setState({ outcome, trainStatus: outcome.status, statusMessage: null });
  } catch (e) {
    store.setState({ trainStatus: 'failed', trainError: toUserError(e), statusMessage: null });
  }
}

export async function stopTraining(): Promise<void> {
  store.setState({ trainStatus: 'stopping' });
  await bridge().call('stopTraining', {});
}

/** Asks the worker for the adapter zip; the UI turns it into a download. */
export async function exportAdapter(): Promise<{ fileName: string; bytes: Uint8Array } | UserError> {
  try {
    return await bridge().call('exportAdapter', {});
  } catch (e) {
    return toUserError(e);
  }
}
