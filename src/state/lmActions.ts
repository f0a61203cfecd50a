// Causal-LM actions (issue 7): instruction / domain-text files, the task choice (auto-suggested from the file), the
// few-shot baseline, and the playground's streamed base-vs-tuned generation. Talks to the worker via
// the bridge; the genText events of the playground are applied here.
import { getStudioBridge, WorkerRequestError } from '../bridge/workerBridge';
import type { GenerateArgs, LmTask, UserError, WorkerEvent } from '../protocol/messages';
import { EMPTY_GEN, type GenView } from './slices/lmSlice';
import { useStudioStore as store } from './studioStore';

const toUserError = (e: unknown): UserError =>
  e instanceof WorkerRequestError ? e.userError : { code: 'unexpected', message: e instanceof Error ? e.message : String(e) };
const bridge = () => getStudioBridge();

/** Files that are never CSV: JSON Lines (instruction / chat data) and plain text (domain text). */
export const isLmFile = (file: File) => /\.(jsonl|json|txt|md)$/i.test(file.name);

function dataArgs(task: LmTask | 'auto') {
  const s = store.getState();
  return { task, maxSeqLength: s.trainConfig.maxSeqLength, validationFraction: s.validationFraction, seed: s.splitSeed, trainOnPrompt: s.trainOnPrompt };
}

const RESET = { fewShot: null, fewShotStatus: 'idle' as const, fewShotError: null, genBase: EMPTY_GEN, genTuned: EMPTY_GEN, lmError: null };

/**
 * A JSONL / .txt file: parsed as instruction, chat or domain data in the worker (no classification table).
 * Returns 'table' when the file turned out to hold text+label records: the caller then reads it as a table.
 */
export async function loadLmFile(file: File): Promise<'table' | null> {
  // What is on the page stays until the new file is known to be good: a file that fails never clears it.
  store.setState({ datasetStatus: 'parsing', datasetError: null, lmBusy: true });
  try {
    const lmData = await bridge().call('lmData', { file, ...dataArgs('auto') });
    store.setState({
      ...RESET,
      dataset: null,
      split: null,
      lmData,
      lmTask: lmData.task,
      datasetStatus: 'ready',
      lmBusy: false,
      outcome: null,
      trainPoints: [],
      evalPoints: [],
    });
  } catch (e) {
    if (toUserError(e).code === 'classification-records') return 'table';
    const { dataset, lmData } = store.getState();
    store.setState({ datasetStatus: dataset || lmData ? 'ready' : 'error', datasetError: toUserError(e), lmBusy: false });
  }
  return null;
}

/** After a CSV is parsed: does it hold instruction columns, a classification table, or domain text? */
export async function detectLmData(): Promise<void> {
  store.setState({ ...RESET });
  try {
    const lmData = await bridge().call('lmData', dataArgs('auto'));
    store.setState({ lmData, lmTask: lmData.task });
  } catch {
    store.setState({ lmData: null, lmTask: 'classify' });
  }
}

export async function setLmTask(task: LmTask): Promise<void> {
  store.setState({ lmBusy: true, lmError: null, fewShot: null, fewShotStatus: 'idle' });
  try {
    const lmData = await bridge().call('lmData', dataArgs(task));
    store.setState({ lmData, lmTask: lmData.task, lmBusy: false });
  } catch (e) {
    store.setState({ lmError: toUserError(e), lmBusy: false });
  }
}

/** Re-measure with the loaded tokenizer / new max tokens (keeps the task). */
export async function refreshLmData(): Promise<void> {
  const { lmData, lmTask } = store.getState();
  if (!lmData || lmTask === 'classify') return;
  await setLmTask(lmTask);
}

export function setLmOptions(patch: Partial<Pick<ReturnType<typeof store.getState>, 'trainOnPrompt' | 'exactMatchSamples' | 'fewShotK'>>): void {
  store.setState(patch);
}

export async function runFewShot(): Promise<void> {
  const s = store.getState();
  store.setState({ fewShotStatus: 'running', fewShotError: null });
  try {
    const fewShot = await bridge().call('fewShot', { k: s.fewShotK, maxSeqLength: s.trainConfig.maxSeqLength, maxExamples: 32 });
    console.log(`[few-shot] k=${fewShot.k} on ${fewShot.n} validation examples in ${Math.round(fewShot.ms)} ms`);
    store.setState({ fewShot, fewShotStatus: 'done' });
  } catch (e) {
    store.setState({ fewShotStatus: 'error', fewShotError: toUserError(e).message });
  }
}

/** Few-shot baseline first (once per data/model), then the causal-LM run. */

let nextStream = 1;
const streams = { base: 0, tuned: 0 };
const patchGen = (which: 'base' | 'tuned', patch: Partial<GenView>) =>
  store.setState((s) => (which === 'base' ? { genBase: { ...s.genBase, ...patch } } : { genTuned: { ...s.genTuned, ...patch } }));

async function generateOne(which: 'base' | 'tuned'): Promise<void> {
  const s = store.getState();
  const streamId = nextStream++;
  streams[which] = streamId;
  patchGen(which, { ...EMPTY_GEN, status: 'running' });
  const args: GenerateArgs = { streamId, prompt: s.playPrompt, which, strength: s.strength, useTemplate: s.useTemplate, sampling: s.sampling };
  try {
    const r = await bridge().call('generate', args);
    if (streams[which] !== streamId) return;
    console.log(`[generate] ${which}: ${r.tokens} tokens at ${r.tokensPerSecond.toFixed(1)} tokens/s (${r.stopReason})`);
    patchGen(which, { text: r.text, tokens: r.tokens, status: 'done', tokensPerSecond: r.tokensPerSecond, stopReason: r.stopReason });
  } catch (e) {
    if (streams[which] === streamId) patchGen(which, { status: 'error', error: toUserError(e).message });
  }
}

/** Base and fine-tuned generation for the same prompt, side by side (tuned only after an LM run). */
export async function generateBoth(): Promise<void> {
  const tuned = store.getState().outcome?.lm != null;
  await Promise.all([generateOne('base'), tuned ? generateOne('tuned') : Promise.resolve()]);
}

export async function stopGeneration(): Promise<void> {
  await Promise.all([streams.base, streams.tuned].map((streamId) => bridge().call('stopGenerate', { streamId })));
}

function onEvent(event: WorkerEvent): void {
  if (event.type !== 'genText') return;
  const which = event.streamId === streams.base ? 'base' : event.streamId === streams.tuned ? 'tuned' : null;
  if (which) patchGen(which, { text: event.text, tokens: event.tokens });
}

let initialised = false;
/** Subscribes to the playground's events and re-measures LM data when a model is loaded. */
export function initLmActions(): void {
  if (initialised) return;
  initialised = true;
  bridge().subscribe(onEvent);
  let timer: ReturnType<typeof setTimeout> | null = null;
  store.subscribe((s, prev) => {
    if (s.model !== prev.model && s.model) {
      store.setState({ fewShot: null, fewShotStatus: 'idle', genBase: EMPTY_GEN, genTuned: EMPTY_GEN });
      void refreshLmData();
    } else if (s.trainConfig.maxSeqLength !== prev.trainConfig.maxSeqLength || s.trainOnPrompt !== prev.trainOnPrompt) {
      if (timer) clearTimeout(timer); // re-measure truncation once typing settles
      timer = setTimeout(() => void refreshLmData(), 300);
    }
  });
}
