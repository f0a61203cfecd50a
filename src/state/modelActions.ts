// Model-room actions beside actions.ts: the model source for the current choice, a local folder choice, and the
// pre-download memory estimate (fits / tight / won't fit) that gates loading. Talks to the worker via the bridge.
import { getStudioBridge, WorkerRequestError } from '../bridge/workerBridge';
import type { ModelPlan, ModelSource, UserError } from '../protocol/messages';
import { EMBEDDED_MODEL, type ModelChoice } from './slices/modelSlice';
import { useStudioStore as store } from './studioStore';
import { storeToken, tokenProblem } from './hubSettings';

const toUserError = (e: unknown): UserError =>
  e instanceof WorkerRequestError ? e.userError : { code: 'unexpected', message: e instanceof Error ? e.message : String(e) };

/** The worker's ModelSource for a choice in the model panel. */
export function modelSource(choice: ModelChoice, hubBaseUrl: string): ModelSource {
  if (choice.kind === 'embedded') return { kind: 'embedded', name: EMBEDDED_MODEL };
  if (choice.kind === 'local') return { kind: 'local', name: choice.name, files: choice.files };
  const { hubRevision, hubToken } = store.getState();
  return { kind: 'hub', baseUrl: hubBaseUrl, modelId: choice.modelId.trim(), revision: hubRevision.trim(), accessToken: hubToken.trim() || null };
}

/** Revision and token fields of the hub choice; the token is kept in this browser (localStorage) only. */
export function setHubAccess(patch: { revision?: string; token?: string }): void {
  if (patch.token !== undefined) storeToken(patch.token.trim());
  store.setState((s) => ({
    hubRevision: patch.revision ?? s.hubRevision,
    hubToken: patch.token !== undefined ? patch.token.trim() : s.hubToken,
    model: null,
    modelStatus: 'none',
    modelError: null,
    modelEstimate: null,
    estimateStatus: 'none',
  }));
}

/** What the estimate assumes: the current training settings and the ?maxBufferMB override. */
export function modelPlan(): ModelPlan {
  const { trainConfig: c, maxBufferMB } = store.getState();
  return { batchSize: c.batchSize, maxSeqLength: c.maxSeqLength, loraR: c.loraR, loraTargets: c.loraTargets, maxBufferMB };
}

/** A folder (or a set of files) picked or dropped in the model panel; the name is the folder's. */
export function chooseLocalModel(files: File[]): void {
  const first = files[0];
  const name = first?.webkitRelativePath?.split('/')[0] || 'local model folder';
  store.setState({
    modelChoice: { kind: 'local', name, files },
    model: null,
    modelStatus: 'none',
    modelError: null,
    modelEstimate: null,
    estimateStatus: 'none',
  });
}

/** Asks the worker for the estimate of the current choice; returns it (null on failure, with the error shown). */
export async function estimateModel(): Promise<boolean> {
  const { modelChoice, hubBaseUrl } = store.getState();
  if (modelChoice.kind === 'embedded') return true;
  const badToken = modelChoice.kind === 'hub' ? tokenProblem(store.getState().hubToken) : null;
  if (badToken) {
    store.setState({ estimateStatus: 'error', modelStatus: 'error', model: null, modelError: { code: 'bad-token', message: badToken } });
    return false;
  }
  store.setState({ estimateStatus: 'loading', modelEstimate: null });
  try {
    const estimate = await getStudioBridge().call('estimateModel', { source: modelSource(modelChoice, hubBaseUrl), plan: modelPlan() });
    const plan = modelPlan();
    store.setState({ modelEstimate: estimate, estimateStatus: 'ready', estimatePlan: { batchSize: plan.batchSize, maxSeqLength: plan.maxSeqLength } });
    if (estimate.verdict === 'wont-fit') {
      store.setState({
        modelStatus: 'error',
        model: null,
        modelError: { code: 'too-large', message: `${estimate.modelId} won't fit: ${estimate.reasons.join(' ')} Nothing was downloaded.` },
      });
      return false;
    }
    return true;
  } catch (e) {
    store.setState({ estimateStatus: 'error', modelStatus: 'error', modelError: toUserError(e), model: null, hubWait: null });
    return false;
  }
}
