// Loads a Hugging Face fast tokenizer (tokenizer.json + tokenizer_config.json) with transformers.js and encodes
// text batches into padded Int32 arrays for the model. Worker-safe: no DOM, no React, no src/model imports.
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';

export type { PreTrainedTokenizer } from '@huggingface/transformers';

export type TokenizerSource =
  /** A Hub-like server: files at `${baseUrl}/${modelId}/resolve/${revision}/<file>` (cached with the Cache API in browsers). */
  | { baseUrl: string; modelId: string; revision?: string }
  /**
   * Files served by the app itself (public/models/<name>/ → `{ localPath: '<name>' }`, fetched from
   * `${localModelPath}<name>/`, default '/models/', i.e. the page origin), or in Node an absolute folder path.
   */
  | { localPath: string; localModelPath?: string };

// transformers.js reads its settings from the global `env` while a load is in flight, so loads run one at a time.
let queue: Promise<unknown> = Promise.resolve();

export function loadTokenizer(source: TokenizerSource): Promise<PreTrainedTokenizer> {
  const run = async () => {
    if ('localPath' in source) {
      env.allowLocalModels = true;
      env.allowRemoteModels = false;
      env.localModelPath = source.localModelPath ?? '/models/';
      return AutoTokenizer.from_pretrained(source.localPath);
    }
    env.allowLocalModels = false; // else it first probes /models/<id>/ on our own origin (the SPA answers 200 with HTML)
    env.allowRemoteModels = true;
    env.remoteHost = source.baseUrl.replace(/\/+$/, '') + '/';
    env.remotePathTemplate = '{model}/resolve/{revision}/';
    env.useBrowserCache = 'caches' in globalThis; // Cache API in browsers/workers; transformers.js throws if set without it
    return AutoTokenizer.from_pretrained(source.modelId, { revision: source.revision ?? 'main' });
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

export type EncodedBatch = {
  /** [B, T] row-major token ids, right padded with the pad id. */
  inputIds: Int32Array;
  /** [B, T]: 1 on real tokens, 0 on padding. */
  attentionMask: Int32Array;
  /** [B, T]: all 0 (single sentences). */
  tokenTypeIds: Int32Array;
  B: number;
  /** Longest row of this batch (<= maxLength). */
  T: number;
  /** Real tokens per row, special tokens included. */
  lengths: number[];
};

type SpecialFrame = { prefix: number[]; suffix: number[] };
const frames = new WeakMap<PreTrainedTokenizer, SpecialFrame>();

/** The special tokens the post-processor puts around one sentence ([CLS] … [SEP], <s> …, nothing for GPT-2). */
export function specialFrame(tokenizer: PreTrainedTokenizer): SpecialFrame {
  let frame = frames.get(tokenizer);
  if (frame) return frame;
  const probe = 'hello world';
  const withSpecial = tokenizer.encode(probe);
  const body = tokenizer.encode(probe, { add_special_tokens: false });
  let at = -1;
  for (let i = 0; i + body.length <= withSpecial.length && at < 0; i++) {
    if (body.every((id, j) => withSpecial[i + j] === id)) at = i;
  }
  if (at < 0) throw new Error('tokenizer: cannot locate the text inside its special-token template');
  frame = { prefix: withSpecial.slice(0, at), suffix: withSpecial.slice(at + body.length) };
  frames.set(tokenizer, frame);
  return frame;
}

/** Pad id: the tokenizer's pad token (transformers.js falls back to eos), else 0. */
export function padId(tokenizer: PreTrainedTokenizer): number {
  const id = tokenizer.pad_token_id as number | null | undefined;
  return typeof id === 'number' ? id : 0;
}

/** Encodes one text with special tokens, truncated to maxLength while keeping the special tokens at both ends. */
export function encodeOne(tokenizer: PreTrainedTokenizer, text: string, maxLength: number): number[] {
  const ids = tokenizer.encode(text);
  if (ids.length <= maxLength) return ids;
  const { prefix, suffix } = specialFrame(tokenizer);
  const room = maxLength - prefix.length - suffix.length;
  if (room < 0) throw new Error(`maxLength ${maxLength} cannot hold the ${prefix.length + suffix.length} special tokens`);
  const body = tokenizer.encode(text, { add_special_tokens: false });
  return [...prefix, ...body.slice(0, room), ...suffix];
}

export function encodeBatch(tokenizer: PreTrainedTokenizer, texts: string[], maxLength: number): EncodedBatch {
  if (!Number.isInteger(maxLength) || maxLength <= 0) throw new Error(`maxLength must be a positive integer, got ${maxLength}`);
  const rows = texts.map((t) => encodeOne(tokenizer, t, maxLength));
  const B = rows.length;
  const T = rows.reduce((m, r) => Math.max(m, r.length), 0);
  const inputIds = new Int32Array(B * T).fill(padId(tokenizer));
  const attentionMask = new Int32Array(B * T);
  rows.forEach((r, b) => {
    inputIds.set(r, b * T);
    attentionMask.fill(1, b * T, b * T + r.length);
  });
  return { inputIds, attentionMask, tokenTypeIds: new Int32Array(B * T), B, T, lengths: rows.map((r) => r.length) };
}
