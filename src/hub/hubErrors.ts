// What can go wrong talking to a Hugging Face hub, each with a message that says what happened and what to do.
// Pure: no fetch, no DOM. The 401 of a missing repo is told apart from a gated or refused one by the model API
// (repoInfo.ts), not by X-Error-Code, which a hub need not expose cross-origin.

export type HubErrorCode = 'not-found' | 'gated' | 'no-access' | 'token-refused' | 'revision-not-found' | 'rate-limited' | 'network' | 'interrupted' | 'http';

export class HubError extends Error {
  readonly name = 'HubError';
  constructor(
    readonly code: HubErrorCode,
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Codes the user can fix by simply trying again (the page offers Retry). */
export const RETRYABLE_HUB_ERRORS: ReadonlySet<string> = new Set(['rate-limited', 'network', 'interrupted']);

const hostOf = (hubUrl: string) => {
  try {
    return new URL(hubUrl).host;
  } catch {
    return hubUrl;
  }
};
const page = (hubUrl: string, modelId: string) => `${hubUrl.replace(/\/+$/, '')}/${modelId}`;

export const hubMessages = {
  notFound: (hubUrl: string, modelId: string, status: number) =>
    `${modelId} was not found on ${hostOf(hubUrl)} (HTTP ${status}, repository not found): check the model id (organisation/model-name, spelled as on the Hub). If it is a private model, give an access token that can read it.`,
  gated: (hubUrl: string, modelId: string) =>
    `${modelId} is gated: accept the licence on the model page (${page(hubUrl, modelId)}) while logged in, then create a read access token (${hubUrl.replace(/\/+$/, '')}/settings/tokens), paste it under Access token and load again.`,
  noAccess: (hubUrl: string, modelId: string) =>
    `The access token lacks access to ${modelId}: accept the licence on ${page(hubUrl, modelId)} with the account that owns the token (some authors approve requests by hand), or use a token of an account that has access.`,
  tokenRefused: (hubUrl: string) =>
    `${hostOf(hubUrl)} refused the access token (invalid or expired): paste a fresh read token from ${hubUrl.replace(/\/+$/, '')}/settings/tokens, or clear the Access token field to load public models.`,
  revisionNotFound: (modelId: string, revision: string) =>
    `Revision "${revision}" does not exist in ${modelId}: give a branch, a tag or a full commit hash from the model's "Files and versions" page, or leave Revision empty for main.`,
  rateLimited: (hubUrl: string, retries: number, waitedSec: number) =>
    `${hostOf(hubUrl)} is rate-limiting requests (HTTP 429) and still was after ${retries} retries over ${waitedSec} s: wait a few minutes, then press Retry. Requests with an access token get a higher limit.`,
  network: (hubUrl: string, what: string, detail: string) =>
    `Could not reach ${hostOf(hubUrl)} to ${what} (${detail}). Check your connection or the hub address, then press Retry.`,
  interrupted: (modelId: string, file: string, loaded: number, total: number | null) =>
    `The download of ${file} for ${modelId} was interrupted${total !== null ? ` after ${loaded} of ${total} bytes` : ''} (the connection dropped). Nothing partial was kept; press Retry.`,
};

/** Why a repo's file list cannot be trained from, or null when it has safetensors weights. */
export function weightsProblem(modelId: string, files: readonly string[]): string | null {
  const has = (f: string) => files.includes(f);
  if (has('model.safetensors') || has('model.safetensors.index.json')) return null;
  if (files.some((f) => /\.safetensors$/.test(f) && !f.includes('/'))) return null; // odd names: let the loader say
  const bins = files.filter((f) => /^pytorch_model(-\d+-of-\d+)?\.bin$/.test(f) || f === 'pytorch_model.bin.index.json');
  if (bins.length > 0) {
    return `${modelId} publishes only PyTorch weights (${bins[0]}); this studio reads model.safetensors. Convert them (the Hub's "Convert to Safetensors" space, or model.save_pretrained(folder, safe_serialization=True) in Python) or pick a checkpoint that publishes safetensors.`;
  }
  const onnx = files.filter((f) => f.endsWith('.onnx'));
  if (onnx.length > 0) {
    return `${modelId} publishes only ONNX weights (${onnx[0]}), an export for inference; training needs the original weights in model.safetensors. Pick the checkpoint this export was made from (its model card usually names it) or another one that publishes safetensors.`;
  }
  return `${modelId} has no model.safetensors (nor model.safetensors.index.json with shards): this studio needs safetensors weights, so pick a checkpoint that publishes them.`;
}
