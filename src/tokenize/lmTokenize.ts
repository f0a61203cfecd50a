// Causal-LM tokenization: (prompt, completion) text to ids with HF-style labels (-100 on the prompt unless
// trainOnPrompt), EOS after every completion, truncation to maxLength with a per-row flag when the completion or
// its EOS is cut; domain text packed into fixed-length blocks; right-padded batches (-100 labels on padding).
// Worker-safe: transformers.js tokenizer and tokenize/ only; the batch matches train/causalLmStep's CausalLmBatch.
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { specialFrame } from './tokenizer';

export const IGNORE_INDEX = -100;

export type LmTokenizeOptions = {
  maxLength: number;
  /** Also compute the loss on the prompt tokens (default false: prompt labels are -100). */
  trainOnPrompt?: boolean;
  /**
   * Put the tokenizer's own leading special tokens (Llama <s>) before the prompt. true for the plain template;
   * false for a chat template, whose rendering already writes them.
   */
  addSpecialTokens: boolean;
  /**
   * 'right' (default, as HF): cut the end, which cuts the completion first. 'prompt-start': drop prompt tokens
   * after the leading special tokens first, so the completion and EOS survive when they fit.
   */
  truncation?: 'right' | 'prompt-start';
  /** Default tokenizer.eos_token_id. */
  eosTokenId?: number;
};

export type LmRow = {
  inputIds: number[];
  /** Unshifted, as HF labels: -100 where no loss is wanted. */
  labels: number[];
  /** Tokens of inputIds that belong to the prompt (leading special tokens included). */
  promptLength: number;
  /** Completion tokens kept, EOS included. */
  completionLength: number;
  /** Tokens before truncation. */
  fullLength: number;
  truncated: boolean;
  /** Some prompt tokens were dropped. */
  promptCut: boolean;
  /** The completion or its EOS was cut: the model would never learn to stop on this row. */
  completionCut: boolean;
};

/** HF-style labels for one row: ids, -100 on the first promptLength tokens unless trainOnPrompt. */
export function maskPromptLabels(inputIds: readonly number[], promptLength: number, trainOnPrompt = false): number[] {
  return inputIds.map((id, i) => (!trainOnPrompt && i < promptLength ? IGNORE_INDEX : id));
}

function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function eosOf(tokenizer: PreTrainedTokenizer, given?: number): number {
  const eos = given ?? (tokenizer.eos_token_id as number | null | undefined);
  if (typeof eos !== 'number') throw new Error('the tokenizer has no eos_token_id: set one (needed to end every completion)');
  return eos;
}

/**
 * Tokenize prompt + completion as one text (so the boundary tokenizes as it will in generation) and split at the
 * longest common prefix with the prompt alone; append EOS unless the completion already ends with it; truncate.
 */
export function tokenizePromptCompletion(tokenizer: PreTrainedTokenizer, promptText: string, completionText: string, options: LmTokenizeOptions): LmRow {
  const { maxLength } = options;
  if (!Number.isInteger(maxLength) || maxLength < 2) throw new Error(`maxLength must be an integer >= 2, got ${maxLength}`);
  const eos = eosOf(tokenizer, options.eosTokenId);
  const prefix = options.addSpecialTokens ? specialFrame(tokenizer).prefix : [];
  const promptIds = tokenizer.encode(promptText, { add_special_tokens: false });
  const fullIds = tokenizer.encode(promptText + completionText, { add_special_tokens: false });
  const split = commonPrefixLength(promptIds, fullIds);
  const completion = fullIds.slice(split);
  if (completion[completion.length - 1] !== eos) completion.push(eos);
  let prompt = [...prefix, ...fullIds.slice(0, split)];
  const fullLength = prompt.length + completion.length;
  let promptCut = false;
  if (fullLength > maxLength && options.truncation === 'prompt-start') {
    const drop = Math.min(fullLength - maxLength, prompt.length - prefix.length);
    if (drop > 0) {
      prompt = [...prefix, ...prompt.slice(prefix.length + drop)];
      promptCut = true;
    }
  }
  const ids = [...prompt, ...completion].slice(0, maxLength);
  const promptLength = Math.min(prompt.length, ids.length);
  if (promptLength < prompt.length) promptCut = true;
  const completionLength = ids.length - promptLength;
  return {
    inputIds: ids,
    labels: maskPromptLabels(ids, promptLength, options.trainOnPrompt),
    promptLength,
    completionLength,
    fullLength,
    truncated: ids.length < fullLength,
    promptCut,
    completionCut: completionLength < completion.length,
  };
}

export type PackedBlocks = {
  /** Each block: maxLength ids (the last may be shorter unless dropRemainder), labels = ids. */
  blocks: Array<{ inputIds: number[]; labels: number[] }>;
  totalTokens: number;
  /** Tokens left out by dropRemainder. */
  droppedTokens: number;
};

/**
 * Continued pre-training: every document tokenized with the tokenizer's leading special tokens, followed by EOS,
 * concatenated, and split into blocks of blockSize tokens (HF run_clm's group_texts, with EOS separators).
 * Labels are the ids (every token is a target; the model shifts).
 */
export function packTextBlocks(
  tokenizer: PreTrainedTokenizer,
  texts: readonly string[],
  blockSize: number,
  options: { dropRemainder?: boolean; eosTokenId?: number } = {},
): PackedBlocks {
  if (!Number.isInteger(blockSize) || blockSize < 2) throw new Error(`blockSize must be an integer >= 2, got ${blockSize}`);
  const eos = eosOf(tokenizer, options.eosTokenId);
  const prefix = specialFrame(tokenizer).prefix;
  const stream: number[] = [];
  for (const t of texts) {
    for (const id of prefix) stream.push(id);
    for (const id of tokenizer.encode(t, { add_special_tokens: false })) stream.push(id);
    stream.push(eos);
  }
  const blocks: PackedBlocks['blocks'] = [];
  const full = Math.floor(stream.length / blockSize) * blockSize;
  const end = options.dropRemainder ? full : stream.length;
  for (let s = 0; s < end; s += blockSize) {
    const ids = stream.slice(s, Math.min(s + blockSize, end));
    blocks.push({ inputIds: ids, labels: ids.slice() });
  }
  return { blocks, totalTokens: stream.length, droppedTokens: stream.length - end };
}

/** A right-padded batch, row-major; the same fields as train/causalLmStep's CausalLmBatch. */
export type LmBatch = { inputIds: Int32Array; attentionMask: Int32Array; labels: Int32Array; B: number; T: number };

/** Right-pad rows to the longest (or to T): pad id on padding, attention 0, labels -100. */
export function collateLmRows(rows: ReadonlyArray<{ inputIds: readonly number[]; labels: readonly number[] }>, padId: number, T?: number): LmBatch {
  const B = rows.length;
  const width = T ?? rows.reduce((m, r) => Math.max(m, r.inputIds.length), 0);
  const inputIds = new Int32Array(B * width).fill(padId);
  const attentionMask = new Int32Array(B * width);
  const labels = new Int32Array(B * width).fill(IGNORE_INDEX);
  rows.forEach((r, b) => {
    if (r.inputIds.length > width) throw new Error(`assertion failed: row ${b} has ${r.inputIds.length} tokens, more than T = ${width}`);
    if (r.labels.length !== r.inputIds.length) throw new Error(`assertion failed: row ${b} has ${r.labels.length} labels for ${r.inputIds.length} ids`);
    inputIds.set(r.inputIds, b * width);
    attentionMask.fill(1, b * width, b * width + r.inputIds.length);
    labels.set(r.labels, b * width);
  });
  return { inputIds, attentionMask, labels, B, T: width };
}
