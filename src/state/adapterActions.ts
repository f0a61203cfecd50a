// Importing a PEFT adapter zip or a full model folder (issue 14): the worker puts it on (or loads it as) the model
// and evaluates it on the current validation split; the store keeps the result, refreshes the Runs list (the
// evaluation is stored as an "imported" run), and the playground asks the chosen adapter for predictions.
import { getStudioBridge, WorkerRequestError } from '../bridge/workerBridge';
import type { ClassifyWith, UserError } from '../protocol/messages';
import { refreshLibrary } from './libraryActions';
import { useStudioStore as store } from './studioStore';

const toUserError = (e: unknown): UserError => (e instanceof WorkerRequestError ? e.userError : { code: 'unexpected', message: String(e) });

export async function importAdapterFile(file: File): Promise<void> {
  const s = store.getState();
  store.setState({ importStatus: 'importing', importError: null, continueFromImport: false });
  try {
    const imported = await getStudioBridge().call('importAdapter', { file, maxSeqLength: s.trainConfig.maxSeqLength, batchSize: s.trainConfig.batchSize });
    const lm = imported.task === 'CAUSAL_LM';
    store.setState({
      importedAdapter: imported,
      importStatus: 'done',
      statusMessage: null,
      ...(lm ? { lmPlaygroundImport: imported.fileName, strength: 1 } : { classifyWith: 'imported' as const }),
    });
    await refreshLibrary();
  } catch (e) {
    store.setState({ importStatus: 'error', importError: toUserError(e), statusMessage: null });
  }
}

/** A zipped save_pretrained folder becomes the loaded model (a local folder choice) and is evaluated. */
export async function importModelFile(file: File): Promise<void> {
  const s = store.getState();
  store.setState({ importStatus: 'importing', importError: null, continueFromImport: false });
  try {
    const r = await getStudioBridge().call('importModel', { file, maxSeqLength: s.trainConfig.maxSeqLength, batchSize: s.trainConfig.batchSize });
    store.setState({
      modelChoice: { kind: 'local', name: r.summary.modelId, files: r.files },
      model: r.summary,
      modelStatus: 'ready',
      modelError: null,
      importedAdapter: r.evaluation,
      importStatus: 'done',
      statusMessage: null,
      classifyWith: 'model',
    });
    await refreshLibrary();
  } catch (e) {
    // A folder that loaded but could not be evaluated is still the model now: show it as loaded.
    store.setState({ importStatus: 'error', importError: toUserError(e), statusMessage: null });
  }
}

/** Ticks "continue from the imported adapter": the form then shows its rank and alpha. */
export function setContinueFromImport(on: boolean): void {
  const imported = store.getState().importedAdapter;
  if (on && imported?.kind === 'adapter') {
    store.setState((s) => ({
      continueFromImport: true,
      trainConfig: { ...s.trainConfig, loraR: imported.r, loraAlpha: imported.loraAlpha, strategy: 'lora' },
    }));
  } else store.setState({ continueFromImport: false });
}

export async function classifyCurrentText(): Promise<void> {
  const { classifyText, classifyWith, trainConfig } = store.getState();
  if (classifyText.trim() === '') return;
  store.setState({ classifyStatus: 'running', classifyError: null });
  try {
    const result = await getStudioBridge().call('classify', {
      text: classifyText,
      adapter: classifyWith as ClassifyWith,
      maxSeqLength: trainConfig.maxSeqLength,
    });
    store.setState({ classifyStatus: 'done', classifyResult: result });
  } catch (e) {
    store.setState({ classifyStatus: 'error', classifyError: toUserError(e), classifyResult: null });
  }
}
