// Importing a PEFT adapter zip (issue 14): the worker puts it on the loaded base model and evaluates it on the
// current validation split; the store keeps the result for the comparison with runs.
import { getStudioBridge, WorkerRequestError } from '../bridge/workerBridge';
import { useStudioStore as store } from './studioStore';

export async function importAdapterFile(file: File): Promise<void> {
  const s = store.getState();
  store.setState({ importStatus: 'importing', importError: null });
  try {
    const bridge = getStudioBridge();
    const imported = await bridge.call('importAdapter', { file, maxSeqLength: s.trainConfig.maxSeqLength, batchSize: s.trainConfig.batchSize });
    store.setState({ importedAdapter: imported, importStatus: 'done', statusMessage: null });
  } catch (e) {
    const error = e instanceof WorkerRequestError ? e.userError : { code: 'unexpected', message: String(e) };
    store.setState({ importStatus: 'error', importError: error, statusMessage: null });
  }
}
