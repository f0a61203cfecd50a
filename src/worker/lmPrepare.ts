// Shared causal-LM preparation for the lmData, trainLm, fewShot and generate handlers: examples to tokenized rows
// (chat template or plain template, prompt mask, EOS, truncation flags), domain text to packed blocks, and the
// live CAUSAL_LM decoder built from the loaded base model.
import { exampleMessages, type InstructionExample } from '../data/instructionData';
import { tryParseModelConfig } from '../model/config';
import { tryLoadModel, SUPPORTED_TASKS } from '../model/loadModel';
import { backwardCopiesPay, sharedWeights, transientPackingPays } from './modelFit';
import { formatExample, resolveChatTemplate, type ChatTemplateChoice } from '../tokenize/chatFormat';
import { packTextBlocks, tokenizePromptCompletion, type LmRow } from '../tokenize/lmTokenize';
import type { PreTrainedTokenizer } from '../tokenize/tokenizer';
import type { StudioSession } from './session';
import { StudioError } from './userError';
import type { TrainConfig } from '../protocol/messages';
import { disposeLmLive, type LmLive } from './lmSession';

/** Domain text of any example (instruction data chosen as domain text is read as plain text). */
export function exampleText(e: InstructionExample): string {
  if (e.kind === 'text') return e.text;
  return exampleMessages(e)
    .map((m) => m.content)
    .join('\n');
}

export type PreparedRow = { example: InstructionExample; row: LmRow; promptText: string; completionText: string };

/** Formats and tokenizes instruction examples; rows the template cannot format are reported, not thrown. */
export function tokenizeInstructions(
  tokenizer: PreTrainedTokenizer,
  template: ChatTemplateChoice,
  examples: readonly InstructionExample[],
  options: { maxLength: number; trainOnPrompt: boolean },
): { rows: PreparedRow[]; errors: string[] } {
  const rows: PreparedRow[] = [];
  const errors: string[] = [];
  for (const example of examples) {
    const f = formatExample(tokenizer, example, template);
    if (!f.ok) {
      errors.push(f.error);
      continue;
    }
    const row = tokenizePromptCompletion(tokenizer, f.value.promptText, f.value.completionText, {
      maxLength: options.maxLength,
      trainOnPrompt: options.trainOnPrompt,
      addSpecialTokens: template.source === 'plain',
    });
    rows.push({ example, row, ...f.value });
  }
  return { rows, errors };
}

/** Domain text packed into blocks of maxLength tokens (the last block may be shorter). */
export function domainBlocks(tokenizer: PreTrainedTokenizer, examples: readonly InstructionExample[], maxLength: number) {
  return packTextBlocks(tokenizer, examples.map(exampleText), maxLength);
}

/** The session's LM data, or a user error saying what to drop. */
export function requireLmData(session: StudioSession) {
  const lm = session.lm;
  if (!lm || lm.task === 'classify' || lm.examples.length === 0) {
    throw new StudioError('no-data', 'Drop instruction data (prompt/completion CSV or JSONL, chat JSONL) or domain text (.txt) and pick its task first.');
  }
  return lm;
}

/** Tokenizer's chat template when it has one, else the documented plain template. */
export const templateFor = (tokenizer: PreTrainedTokenizer): ChatTemplateChoice => resolveChatTemplate(tokenizer);

/**
 * The CAUSAL_LM decoder of the loaded base model, built once and kept for the playground and the next run; a run
 * (`train`) rebuilds it when its backward copies should differ (generation needs none; training keeps them where they fit).
 */
export function ensureLive(session: StudioSession, train?: TrainConfig): LmLive {
  const base = session.baseModel;
  if (!base) throw new StudioError('no-model', 'Load a decoder base model (GPT-2, Llama, Qwen2) first.');
  const parsed = tryParseModelConfig(base.configJson);
  if (!parsed.ok) throw new StudioError('unsupported-model', parsed.error);
  const copies = train ? backwardCopiesPay({ config: parsed.value, train, task: 'CAUSAL_LM', numLabels: 0 }) : (session.lmLive?.backwardCopies ?? false);
  if (session.lmLive && session.lmLive.base === base && session.lmLive.backwardCopies === copies) return session.lmLive;
  disposeLmLive(session.lmLive);
  session.lmLive = null;
  if (!SUPPORTED_TASKS[parsed.value.modelType].includes('CAUSAL_LM')) {
    throw new StudioError(
      'not-a-decoder',
      `${base.modelId} is a ${parsed.value.modelType} encoder: causal-LM fine-tuning and generation need a decoder (GPT-2, Llama, SmolLM2, Qwen2).`,
    );
  }
  const built = tryLoadModel(base.tensors, parsed.value, {
    task: 'CAUSAL_LM',
    keepBackwardWeights: copies,
    bank: sharedWeights(base),
    transientPacking: transientPackingPays(parsed.value), // per model: the bank must never get packed copies
  });
  if (!built.ok) throw new StudioError('bad-weights', `${base.modelId}: ${built.error}`);
  session.lmLive = { base, model: built.value, adapter: null, template: templateFor(base.tokenizer), backwardCopies: copies };
  return session.lmLive;
}

/** EOS ids that stop generation: the tokenizer's and the config's. */
export function eosIds(session: StudioSession): number[] {
  const base = session.baseModel!;
  const ids = new Set<number>();
  const t = base.tokenizer.eos_token_id as number | null | undefined;
  if (typeof t === 'number') ids.add(t);
  const c = base.configJson.eos_token_id;
  for (const id of Array.isArray(c) ? c : [c]) if (typeof id === 'number') ids.add(id);
  return [...ids];
}
