// Builds a tokenizer from the files a repo really ships, filling what tokenizer_config.json lacks the way the Python
// libraries do: special tokens from special_tokens_map.json, then the ids in config.json / generation_config.json
// (openai-community/gpt2 keeps EOS only there), the class from config.json's model_type, the chat template from
// chat_template.jinja; tokenizer.json alone is enough. Every fallback used is named in `notes`. Worker-safe, pure.
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { tokenizerFromJson } from './tokenizerFromFiles';

type Json = Record<string, unknown>;

export type TokenizerFileSet = {
  tokenizerJson: Json;
  tokenizerConfig: Json | null;
  specialTokensMap: Json | null;
  /** config.json of the model. */
  modelConfig: Json | null;
  generationConfig: Json | null;
  chatTemplateJinja: string | null;
};

export type TokenizerWithNotes = { tokenizer: PreTrainedTokenizer; notes: string[] };

/** The tokenizer file names this module reads, tokenizer.json first (the only one required). */
export const TOKENIZER_FILE_NAMES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'generation_config.json',
  'chat_template.jinja',
] as const;

const CLASS_BY_MODEL_TYPE: Record<string, string> = {
  bert: 'BertTokenizer',
  distilbert: 'DistilBertTokenizer',
  roberta: 'RobertaTokenizer',
  gpt2: 'GPT2Tokenizer',
  llama: 'LlamaTokenizer',
  qwen2: 'Qwen2Tokenizer',
};

const SPECIALS = ['eos', 'bos', 'pad', 'unk', 'mask', 'cls', 'sep'] as const;
/** Only these have *_token_id fields in model configs. */
const ID_SPECIALS = new Set(['eos', 'bos', 'pad']);

const tokenText = (v: unknown): string | null => {
  if (typeof v === 'string' && v !== '') return v;
  if (v && typeof v === 'object' && typeof (v as Json).content === 'string') return (v as Json).content as string;
  return null;
};

/** id → token text from tokenizer.json (added tokens first, then the model's vocab: BPE/WordPiece map or Unigram list). */
function tokenForId(tokenizerJson: Json, id: number): string | null {
  const added = Array.isArray(tokenizerJson.added_tokens) ? (tokenizerJson.added_tokens as Json[]) : [];
  const a = added.find((t) => t.id === id);
  if (a && typeof a.content === 'string') return a.content;
  const vocab = (tokenizerJson.model as Json | undefined)?.vocab;
  if (Array.isArray(vocab)) {
    const entry = vocab[id] as unknown;
    return Array.isArray(entry) && typeof entry[0] === 'string' ? entry[0] : null;
  }
  if (vocab && typeof vocab === 'object') {
    for (const [t, i] of Object.entries(vocab as Record<string, number>)) if (i === id) return t;
  }
  return null;
}

const firstId = (v: unknown): number | null => {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 ? x : null;
};

/** tokenizer_config.json completed from the other files, and the notes saying what came from where. */
export function completeTokenizerConfig(files: TokenizerFileSet): { config: Json; notes: string[] } {
  const notes: string[] = [];
  const config: Json = { ...(files.tokenizerConfig ?? {}) };
  if (!files.tokenizerConfig) notes.push('No tokenizer_config.json: tokenizer built from tokenizer.json alone.');
  const modelType = typeof files.modelConfig?.model_type === 'string' ? files.modelConfig.model_type : null;
  if (typeof config.tokenizer_class !== 'string' && modelType && CLASS_BY_MODEL_TYPE[modelType]) {
    config.tokenizer_class = CLASS_BY_MODEL_TYPE[modelType];
    notes.push(`Tokenizer class ${config.tokenizer_class} taken from config.json (model_type ${modelType}).`);
  }
  for (const s of SPECIALS) {
    const key = `${s}_token`;
    if (tokenText(config[key])) continue;
    const fromMap = tokenText(files.specialTokensMap?.[key]);
    if (fromMap) {
      config[key] = fromMap;
      notes.push(`${s.toUpperCase()} taken from special_tokens_map.json (${fromMap}).`);
      continue;
    }
    if (!ID_SPECIALS.has(s)) continue;
    for (const [name, cfg] of [
      ['config.json', files.modelConfig],
      ['generation_config.json', files.generationConfig],
    ] as const) {
      const id = firstId(cfg?.[`${s}_token_id`]);
      const text = id === null ? null : tokenForId(files.tokenizerJson, id);
      if (id !== null && text) {
        config[key] = text;
        notes.push(`${s.toUpperCase()} taken from ${name} (id ${id}, ${text}).`);
        break;
      }
    }
  }
  if (files.chatTemplateJinja && files.chatTemplateJinja.trim() !== '') {
    const hadOne = config.chat_template !== undefined && config.chat_template !== null;
    config.chat_template = files.chatTemplateJinja;
    notes.push(
      hadOne
        ? 'Chat template read from chat_template.jinja (it replaces the one in tokenizer_config.json, as in transformers).'
        : 'Chat template read from chat_template.jinja.',
    );
  }
  return { config, notes };
}

/** A transformers.js tokenizer from the files, with the fallbacks applied and named. */
export function tokenizerFromFileSet(files: TokenizerFileSet): TokenizerWithNotes {
  const { config, notes } = completeTokenizerConfig(files);
  return { tokenizer: tokenizerFromJson(files.tokenizerJson, config), notes };
}

/** Parses the optional files read by `read` (null = absent) into a file set; tokenizer.json must be there. */
export async function readTokenizerFileSet(read: (file: string) => Promise<string | null>, modelConfig: Json | null): Promise<TokenizerFileSet | null> {
  const [tok, cfg, map, gen, jinja] = await Promise.all(TOKENIZER_FILE_NAMES.map((f) => read(f)));
  if (tok === null) return null;
  const parse = (text: string | null, name: string): Json | null => {
    if (text === null) return null;
    try {
      return JSON.parse(text) as Json;
    } catch {
      throw new Error(`${name} is not valid JSON`);
    }
  };
  return {
    tokenizerJson: parse(tok, 'tokenizer.json')!,
    tokenizerConfig: parse(cfg, 'tokenizer_config.json'),
    specialTokensMap: parse(map, 'special_tokens_map.json'),
    generationConfig: parse(gen, 'generation_config.json'),
    modelConfig,
    chatTemplateJinja: jinja,
  };
}
