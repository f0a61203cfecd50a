// k-shot in-context prompting baseline, evaluated before fine-tuning. Classification: k training examples per
// class in a text prompt, the class read from the next-token scores of the label words (first token, or the
// whole label's log-probability when first tokens collide). Instruction data: k training conversations before
// each validation example, scored as causal-LM loss / perplexity / token accuracy of the completions (the same
// metrics as causalLmEval). tfjs-core, model/, tokenize/, data/, lib/.
import * as tf from '@tensorflow/tfjs-core';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { createRng, shuffled } from '../lib/rng';
import { exampleMessages, type ChatMessage, type InstructionExample } from '../data/instructionData';
import { disposeKvCache } from '../model/kvCache';
import type { LoraAdapter } from '../model/lora';
import type { SequenceModel } from '../model/types';
import { formatExample, type ChatTemplateChoice } from '../tokenize/chatFormat';
import { collateLmRows, tokenizePromptCompletion, type LmRow } from '../tokenize/lmTokenize';
import { padId, specialFrame } from '../tokenize/tokenizer';
import { evaluateLm, type LmEvalResult } from './causalLmEval';
import { classificationMetrics } from './metrics';

export type LabeledText = { text: string; label: string };

/** Default instruction line; {labels} is replaced by the label names joined with ", ". */
export const DEFAULT_CLASSIFICATION_INSTRUCTION = 'Classify each text into one of these labels: {labels}.';

/** Texts are put on one line: runs of whitespace (newlines included) become one space. */
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The classification prompt. Exactly:
 *
 *     {instruction}\n\nText: {shot text}\nLabel: {shot label}\n\n ... Text: {query}\nLabel:
 *
 * The prompt ends right after "Label:" so the next token is the label word with its leading space (" positive"),
 * as in the shots.
 */
export function formatClassificationPrompt(
  shots: readonly LabeledText[],
  query: string,
  labels: readonly string[],
  instruction = DEFAULT_CLASSIFICATION_INSTRUCTION,
): string {
  const head = instruction.replace('{labels}', labels.join(', '));
  const blocks = shots.map((s) => `Text: ${oneLine(s.text)}\nLabel: ${s.label}`);
  return [head, ...blocks, `Text: ${oneLine(query)}\nLabel:`].join('\n\n');
}

/** k examples of every label (fewer when a label has fewer), seeded, then shuffled together. */
export function selectShotsPerClass(train: readonly LabeledText[], labels: readonly string[], k: number, seed: number): LabeledText[] {
  const rng = createRng(seed);
  const picked: LabeledText[] = [];
  for (const label of labels)
    picked.push(
      ...shuffled(
        train.filter((t) => t.label === label),
        rng,
      ).slice(0, k),
    );
  return shuffled(picked, rng);
}

function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * Token ids of each label as it follows "Label:" in the prompt: encode("Label: " + label) minus encode("Label:")
 * (so SentencePiece and BPE both get the leading-space form), and the labels that share a first token.
 */
export function labelTokenIds(tokenizer: PreTrainedTokenizer, labels: readonly string[]): { ids: number[][]; collisions: string[][] } {
  const head = tokenizer.encode('Label:', { add_special_tokens: false });
  const ids = labels.map((l) => {
    const full = tokenizer.encode(`Label: ${l}`, { add_special_tokens: false });
    return full.slice(commonPrefixLength(head, full));
  });
  const byFirst = new Map<number, string[]>();
  ids.forEach((t, i) => byFirst.set(t[0], [...(byFirst.get(t[0]) ?? []), labels[i]]));
  return { ids, collisions: [...byFirst.values()].filter((g) => g.length > 1) };
}

export type FewShotClassificationOptions = {
  /** Examples per class in the prompt. */
  k: number;
  seed?: number;
  instruction?: string;
  /** 'first-token' (next-token logits of each label's first token), 'full-label' (sum of the label's token log-probs), 'auto' (default): first-token unless two labels share a first token. */
  scoring?: 'auto' | 'first-token' | 'full-label';
  adapter?: LoraAdapter | null;
  /** Called after each validation example (progress). */
  onProgress?: (done: number, total: number) => void;
};

export type FewShotClassificationResult = {
  accuracy: number;
  macroF1: number;
  n: number;
  /** Predicted label index per validation example (index into `labels`). */
  predictions: number[];
  labels: string[];
  scoring: 'first-token' | 'full-label';
  shots: LabeledText[];
  /** The prompt of the first validation example, for display. */
  examplePrompt: string;
  /** Validation prompts cut at the start to fit the model's context. */
  truncatedPrompts: number;
};

/** Log-softmax of a logits row in float64. */
function logSoftmax(row: Float32Array): Float64Array {
  let max = -Infinity;
  for (const v of row) if (v > max) max = v;
  let sum = 0;
  for (const v of row) sum += Math.exp(v - max);
  const lse = max + Math.log(sum);
  return Float64Array.from(row, (v) => v - lse);
}

/**
 * k-shot classification of `validation` with a causal LM (model.forwardStep, KV cache: the prompt is run once,
 * each multi-token label continues from its cache). Prompts longer than the context lose their start (after the
 * leading special tokens).
 */
export async function fewShotClassify(
  model: SequenceModel,
  tokenizer: PreTrainedTokenizer,
  train: readonly LabeledText[],
  validation: readonly LabeledText[],
  labels: readonly string[],
  options: FewShotClassificationOptions,
): Promise<FewShotClassificationResult> {
  if (model.task !== 'CAUSAL_LM' || !model.forwardStep)
    throw new Error(`few-shot prompting needs a causal LM; this ${model.family} model was loaded for ${model.task}`);
  if (labels.length < 2) throw new Error('few-shot classification needs at least two labels');
  const forwardStep = model.forwardStep.bind(model);
  const adapter = options.adapter ?? null;
  const shots = selectShotsPerClass(train, labels, options.k, options.seed ?? 0);
  const { ids: labelIds, collisions } = labelTokenIds(tokenizer, labels);
  if (labelIds.some((t) => t.length === 0)) throw new Error('a label encodes to no tokens; labels must be non-empty words');
  const scoring =
    options.scoring === 'first-token' || options.scoring === 'full-label' ? options.scoring : collisions.length > 0 ? 'full-label' : 'first-token';
  const prefix = specialFrame(tokenizer).prefix;
  const longestLabel = Math.max(...labelIds.map((t) => t.length));
  const room = model.config.maxTokens - (scoring === 'full-label' ? longestLabel - 1 : 0);
  const V = model.config.vocabSize;
  const predictions: number[] = [];
  let truncatedPrompts = 0;
  let examplePrompt = '';
  for (let i = 0; i < validation.length; i++) {
    const prompt = formatClassificationPrompt(shots, validation[i].text, labels, options.instruction);
    if (i === 0) examplePrompt = prompt;
    let ids = [...prefix, ...tokenizer.encode(prompt, { add_special_tokens: false })];
    if (ids.length > room) {
      ids = [...prefix, ...ids.slice(ids.length - (room - prefix.length))];
      truncatedPrompts++;
    }
    const promptIds = ids;
    const first = tf.tidy(() => {
      const out = forwardStep(tf.tensor2d(promptIds, [1, promptIds.length], 'int32'), null, { adapter });
      return { row: tf.reshape(tf.slice(out.logits, [0, promptIds.length - 1, 0], [1, 1, V]), [V]), cache: out.cache };
    });
    const lp = logSoftmax((await first.row.data()) as Float32Array);
    first.row.dispose();
    const scores: number[] = [];
    for (const t of labelIds) {
      let s = lp[t[0]];
      if (scoring === 'full-label' && t.length > 1) {
        const rest = tf.tidy(() => forwardStep(tf.tensor2d(t.slice(0, -1), [1, t.length - 1], 'int32'), first.cache, { adapter }).logits);
        const data = (await rest.data()) as Float32Array;
        rest.dispose();
        for (let j = 1; j < t.length; j++) s += logSoftmax(data.subarray((j - 1) * V, j * V))[t[j]];
      }
      scores.push(s);
    }
    disposeKvCache(first.cache);
    let best = 0;
    for (let c = 1; c < scores.length; c++) if (scores[c] > scores[best]) best = c;
    predictions.push(best);
    options.onProgress?.(i + 1, validation.length);
  }
  const truth = validation.map((v) => labels.indexOf(v.label));
  const known = truth.map((t, i) => [t, predictions[i]] as const).filter(([t]) => t >= 0);
  const metrics = classificationMetrics(
    known.map(([t]) => t),
    known.map(([, p]) => p),
    labels.length,
  );
  return {
    accuracy: known.length > 0 ? known.filter(([t, p]) => t === p).length / known.length : 0,
    macroF1: metrics.macroF1,
    n: known.length,
    predictions,
    labels: [...labels],
    scoring,
    shots,
    examplePrompt,
    truncatedPrompts,
  };
}

/**
 * The conversation of a k-shot instruction example: the query's system message (if any) first, then each shot's
 * user/assistant turns (shot system messages dropped), then the query's own turns. The last message stays the
 * query's reply, so the prompt/completion split (and the loss mask) is the query's.
 */
export function fewShotConversation(shots: readonly InstructionExample[], query: InstructionExample): ChatMessage[] {
  const q = exampleMessages(query);
  const system = q[0]?.role === 'system' ? [q[0]] : [];
  const shotTurns = shots.flatMap((s) => exampleMessages(s).filter((m) => m.role !== 'system'));
  return [...system, ...shotTurns, ...q.filter((m) => m.role !== 'system')];
}

export type FewShotInstructionOptions = {
  k: number;
  seed?: number;
  /** The template the fine-tuning uses (resolveChatTemplate), so both are scored on the same formatting. */
  template: ChatTemplateChoice;
  maxLength: number;
  batchSize?: number;
  adapter?: LoraAdapter | null;
};

export type FewShotInstructionResult = LmEvalResult & {
  k: number;
  /** Mean number of shots that fit (shots are dropped, last first, until the example fits maxLength). */
  meanShotsUsed: number;
  /** Examples whose completion or EOS was cut even with no shot. */
  completionCut: number;
  shots: InstructionExample[];
  /** The formatted prompt of the first validation example, for display. */
  examplePrompt: string;
};

/**
 * Scores the validation completions given k training examples as earlier turns (the same k for every example,
 * drawn with the seed): loss / perplexity / token accuracy over completion tokens only, as causalLmEval.
 */
export async function fewShotInstructionEval(
  model: SequenceModel,
  tokenizer: PreTrainedTokenizer,
  train: readonly InstructionExample[],
  validation: readonly InstructionExample[],
  options: FewShotInstructionOptions,
): Promise<FewShotInstructionResult> {
  const usable = (e: InstructionExample) => e.kind !== 'text';
  const shots = shuffled(train.filter(usable), createRng(options.seed ?? 0)).slice(0, options.k);
  const addSpecialTokens = options.template.source === 'plain';
  const rows: LmRow[] = [];
  let shotsUsed = 0;
  let completionCut = 0;
  let examplePrompt = '';
  for (const query of validation.filter(usable)) {
    let row: LmRow | null = null;
    for (let used = shots.length; used >= 0; used--) {
      const f = formatExample(tokenizer, { kind: 'chat', row: query.row, messages: fewShotConversation(shots.slice(0, used), query) }, options.template);
      if (!f.ok) throw new Error(f.error);
      row = tokenizePromptCompletion(tokenizer, f.value.promptText, f.value.completionText, { maxLength: options.maxLength, addSpecialTokens });
      if (!row.truncated || used === 0) {
        shotsUsed += used;
        if (rows.length === 0) examplePrompt = f.value.promptText;
        break;
      }
    }
    if (row!.completionCut) completionCut++;
    rows.push(row!);
  }
  const pad = padId(tokenizer);
  const size = options.batchSize ?? 8;
  const batches = [];
  for (let s = 0; s < rows.length; s += size) batches.push(collateLmRows(rows.slice(s, s + size), pad));
  const metrics = await evaluateLm(model, options.adapter ?? null, batches);
  return { ...metrics, k: options.k, meanShotsUsed: rows.length > 0 ? shotsUsed / rows.length : 0, completionCut, shots, examplePrompt };
}
