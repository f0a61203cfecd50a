// Data-audit actions: recompute the quality report, apply one-click fixes, fetch row texts, download the
// cleaned CSV, check semantic twins, import a validation file, change the split options, acknowledge leakage.
import { getStudioBridge, WorkerRequestError } from '../bridge/workerBridge';
import type { SplitMode, UserError } from '../protocol/messages';
import { makeSplit } from './actions';
import { useStudioStore as store } from './studioStore';
import { recheckKey, shouldRecheckQuality } from './qualityRecheck';

function asUserError(e: unknown): UserError {
  if (e instanceof WorkerRequestError) return e.userError;
  return { code: 'unexpected', message: e instanceof Error ? e.message : String(e) };
}

/** Runs `work` with auditBusy set; errors land in auditError. */
async function busy<T>(what: string, work: () => Promise<T>): Promise<T | null> {
  store.setState({ auditBusy: what, auditError: null });
  try {
    return await work();
  } catch (e) {
    store.setState({ auditError: asUserError(e) });
    return null;
  } finally {
    store.setState({ auditBusy: null });
  }
}

/** Re-runs the report with the current max tokens (and the loaded model's tokenizer, if any). */
export async function refreshQuality(): Promise<boolean> {
  const s = store.getState();
  if (!s.dataset || s.auditBusy) return false;
  const quality = await busy('report', () => getStudioBridge().call('qualityReport', { maxSeqLength: s.trainConfig.maxSeqLength }));
  const dataset = store.getState().dataset;
  if (quality && dataset) store.setState({ dataset: { ...dataset, quality } });
  if (quality && dataset && !dataset.blocking) await makeSplit(); // the leakage check reuses the new report
  return true;
}

let lastRecheck: string | null = null;

/** Re-measures the report when the model or max tokens changed since it was made (once per change). */
export async function recheckQuality(modelId: string | null, maxTokens: number): Promise<void> {
  const measured = store.getState().dataset?.quality ?? null;
  if (!shouldRecheckQuality(measured, modelId, maxTokens, lastRecheck)) return;
  lastRecheck = recheckKey(modelId, maxTokens);
  if (!(await refreshQuality())) lastRecheck = null; // busy with something else: the next change asks again
}

export async function applyFixes(checkIds: string[]): Promise<void> {
  const result = await busy('fixing', () => getStudioBridge().call('applyFixes', { checkIds }));
  if (!result) return;
  store.setState({ dataset: result.dataset, split: result.split, lastApplied: result.applied, rowTexts: {}, leakageAcknowledged: false });
  if (!result.split && !result.dataset.blocking) await makeSplit();
}

export async function fetchRows(rows: number[]): Promise<void> {
  const have = store.getState().rowTexts;
  const missing = rows.filter((r) => !have[r]);
  if (missing.length === 0) return;
  try {
    const got = await getStudioBridge().call('getRows', { rows: missing });
    store.setState((s) => ({ rowTexts: { ...s.rowTexts, ...Object.fromEntries(got.map((r) => [r.row, r])) } }));
  } catch (e) {
    store.setState({ auditError: asUserError(e) });
  }
}

/** The worker builds the safe CSV bytes; the page saves them as a Blob download. */
export async function downloadCleanedCsv(): Promise<void> {
  const file = await busy('download', () => getStudioBridge().call('cleanedCsv', {}));
  if (!file) return;
  const url = URL.createObjectURL(new Blob([file.bytes as BlobPart], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function checkSemanticTwins(): Promise<void> {
  const s = store.getState();
  const split = await busy('semantic', () => getStudioBridge().call('semanticTwins', { maxSeqLength: s.trainConfig.maxSeqLength }));
  if (split) store.setState({ split, leakageAcknowledged: false });
}

export async function importValidationFile(file: File): Promise<void> {
  const leak = await busy('import', () => getStudioBridge().call('importValidation', { file }));
  if (leak) store.setState({ importedLeakage: leak });
}

export function setSplitSettings(patch: {
  splitMode?: SplitMode;
  testFraction?: number;
  groupColumn?: number | null;
  splitColumn?: number | null;
}): Promise<void> {
  store.setState(patch);
  return makeSplit();
}

export function acknowledgeLeakage(yes: boolean): void {
  store.setState({ leakageAcknowledged: yes });
}
