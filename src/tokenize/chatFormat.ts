// Formats instruction examples into (prompt text, completion text) with the tokenizer's own chat template
// (transformers.js apply_chat_template) or, when it has none, the studio's documented plain template (also Jinja,
// so the same file can be exported and applied in Python). Worker-safe: transformers.js tokenizer only.
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { err, ok, type Result } from '../lib/result';
import { exampleMessages, type ChatMessage, type InstructionExample } from '../data/instructionData';

/**
 * The plain template used when the tokenizer has no chat_template. Rendered, one user/assistant exchange reads:
 *
 *     ### Instruction:
 *     {user content}
 *
 *     ### Response:
 *     {assistant content}{eos_token}
 *
 * A system message comes first as plain text followed by a blank line; turns are separated by a blank line;
 * add_generation_prompt appends "### Response:\n" after a final user turn. The prompt of a training example is
 * everything up to and including "### Response:\n"; the completion is the assistant text plus the EOS token.
 */
export const PLAIN_CHAT_TEMPLATE =
  '{%- for message in messages -%}' +
  "{%- if not loop.first -%}{{ '\\n\\n' }}{%- endif -%}" +
  "{%- if message['role'] == 'system' -%}{{ message['content'] }}" +
  "{%- elif message['role'] == 'user' -%}{{ '### Instruction:\\n' + message['content'] }}" +
  "{%- elif message['role'] == 'assistant' -%}{{ '### Response:\\n' + message['content'] + eos_token }}" +
  '{%- endif -%}' +
  '{%- endfor -%}' +
  "{%- if add_generation_prompt -%}{{ '\\n\\n### Response:\\n' }}{%- endif -%}";

export type ChatTemplateChoice = {
  /** tokenizer: its chat_template; explicit: passed by the caller; plain: PLAIN_CHAT_TEMPLATE. */
  source: 'tokenizer' | 'explicit' | 'plain';
  template: string;
};

/** The template to use: an explicit one, else the tokenizer's (its default when it has several), else the plain one. */
export function resolveChatTemplate(tokenizer: PreTrainedTokenizer, options: { chatTemplate?: string | null; forcePlain?: boolean } = {}): ChatTemplateChoice {
  if (options.forcePlain) return { source: 'plain', template: PLAIN_CHAT_TEMPLATE };
  if (options.chatTemplate) return { source: 'explicit', template: options.chatTemplate };
  if (tokenizer.chat_template) {
    try {
      const t = tokenizer.get_chat_template();
      if (typeof t === 'string' && t.trim() !== '') return { source: 'tokenizer', template: t };
    } catch {
      // several named templates and no default: fall back to the plain one
    }
  }
  return { source: 'plain', template: PLAIN_CHAT_TEMPLATE };
}

/** Render messages with the template (tokenize: false). Throws what the template raises. */
export function renderChat(tokenizer: PreTrainedTokenizer, messages: ChatMessage[], choice: ChatTemplateChoice, addGenerationPrompt: boolean): string {
  const options = {
    chat_template: choice.template,
    tokenize: false as const,
    add_generation_prompt: addGenerationPrompt,
    // Templates read special tokens by name; pass them even when tokenizer_config.json lacks them.
    eos_token: tokenizer.eos_token ?? '',
    bos_token: (tokenizer as unknown as { bos_token?: string }).bos_token ?? '',
  };
  return tokenizer.apply_chat_template(messages, options) as string;
}

export type FormattedExample = { promptText: string; completionText: string };

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * (prompt, completion) of a prompt-completion or chat example: prompt = every message but the last, rendered with
 * add_generation_prompt; completion = the rest of the full rendering (the last assistant turn, with whatever
 * closing tokens the template writes). Whitespace after a final EOS is dropped (it would be trained after EOS).
 * Errors when the template raises or the prompt rendering is not a prefix of the full one.
 */
export function formatExample(tokenizer: PreTrainedTokenizer, example: InstructionExample, choice: ChatTemplateChoice): Result<FormattedExample, string> {
  if (example.kind === 'text') return err('domain text is not formatted with a chat template; pack it with packTextBlocks');
  const messages = exampleMessages(example);
  let promptText: string;
  let full: string;
  try {
    promptText = renderChat(tokenizer, messages.slice(0, -1), choice, true);
    full = renderChat(tokenizer, messages, choice, false);
  } catch (e) {
    return err(`row ${example.row}: the chat template failed: ${(e as Error).message}`);
  }
  if (!full.startsWith(promptText)) {
    return err(`row ${example.row}: the chat template renders the conversation differently with and without the reply; cannot split prompt and completion`);
  }
  let completionText = full.slice(promptText.length);
  const eos = tokenizer.eos_token;
  if (eos) completionText = completionText.replace(new RegExp(`${escapeRegExp(eos)}\\s+$`), eos);
  return ok({ promptText, completionText });
}

/** The prompt to generate from for a conversation that ends with a user turn (playground, evaluation). */
export function formatGenerationPrompt(tokenizer: PreTrainedTokenizer, messages: ChatMessage[], choice: ChatTemplateChoice): string {
  return renderChat(tokenizer, messages, choice, true);
}

export const CHAT_TEMPLATE_FILE_NAME = 'chat_template.jinja';

export type ChatTemplateFile = {
  fileName: typeof CHAT_TEMPLATE_FILE_NAME;
  content: string;
  source: ChatTemplateChoice['source'];
  /** For tokenizer settings / the adapter README: how the template was chosen and how to use it in Python. */
  note: string;
};

/**
 * The template used for training, as a file for the adapter zip. transformers (>= 4.43 reads a
 * chat_template.jinja saved next to the tokenizer files; older versions: set tokenizer.chat_template).
 */
export function chatTemplateFile(choice: ChatTemplateChoice): ChatTemplateFile {
  const how =
    choice.source === 'tokenizer'
      ? "the base model tokenizer's own chat_template"
      : choice.source === 'explicit'
        ? 'a chat template chosen in the studio'
        : "the studio's plain template (### Instruction / ### Response, EOS after each reply); the base tokenizer has no chat_template";
  const note =
    `Training examples were formatted with ${how}. The prompt is the conversation rendered with add_generation_prompt=True; ` +
    'the loss covered only the reply and its EOS. In Python: tokenizer.chat_template = open("chat_template.jinja").read(), then ' +
    'tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True).';
  return { fileName: CHAT_TEMPLATE_FILE_NAME, content: choice.template, source: choice.source, note };
}
