// TEST-ONLY tokenizers for the mock hub: shrinks real tokenizers (bert-base-uncased WordPiece, GPT-2 byte-level BPE,
// Llama-2 byte-fallback BPE) to a fixture model's vocab_size (1000) so real English encodes to in-range ids.
// The ids do NOT match any real checkpoint. Depends only on node:fs/path and the shared tokenizer fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type TokenizerFiles = Record<string, string>;
type Json = Record<string, unknown>;

const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Json;

function addedToken(id: number, content: string, normalized = false): Json {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized, special: true };
}

function addedTokensDecoder(tokens: Array<[number, string]>, normalized = false): Json {
  const out: Json = {};
  for (const [id, content] of tokens) {
    out[String(id)] = { content, lstrip: false, normalized, rstrip: false, single_word: false, special: true };
  }
  return out;
}

/** Keeps merges whose two parts and result are all in the vocab, in their original order. */
function filterMerges(merges: Array<string | [string, string]>, vocab: Record<string, number>): string[] {
  const out: string[] = [];
  for (const m of merges) {
    const [a, b] = typeof m === 'string' ? (m.split(' ') as [string, string]) : m;
    if (a in vocab && b in vocab && a + b in vocab) out.push(`${a} ${b}`);
  }
  return out;
}

// ---------------------------------------------------------------- WordPiece (bert, distilbert)

/**
 * bert-base-uncased WordPiece cut to `size` ids. [PAD]=0 [UNK]=100 [CLS]=101 [SEP]=102 [MASK]=103 stay where
 * bert-base-uncased (and the fixtures' inputs.json) have them; the other slots get, in bert id order: every
 * printable ASCII single character, `##` + each letter/digit (so every ASCII word is spellable), then the
 * most frequent ASCII entries of the bert vocab (ids from 1996 on, words and ## pieces) until full.
 */
export function wordPieceVocab(bertDir: string, size: number): string[] {
  const bert = readFileSync(join(bertDir, 'vocab.txt'), 'utf8').split('\n');
  if (bert[bert.length - 1] === '') bert.pop();
  const specials = new Map<number, string>([
    [0, '[PAD]'],
    [100, '[UNK]'],
    [101, '[CLS]'],
    [102, '[SEP]'],
    [103, '[MASK]'],
  ]);
  const wanted = size - specials.size;
  const chosen = new Set<number>();
  const ascii = /^[\x21-\x7e]+$/;
  bert.forEach((t, id) => {
    if (t.length === 1 && ascii.test(t)) chosen.add(id);
  });
  bert.forEach((t, id) => {
    if (/^##[a-z0-9]$/.test(t)) chosen.add(id);
  });
  for (let id = 1996; id < bert.length && chosen.size < wanted; id++) {
    if (ascii.test(bert[id]) && !chosen.has(id)) chosen.add(id);
  }
  if (chosen.size > wanted) throw new Error(`vocab size ${size} too small for the base characters`);
  const picked = [...chosen].sort((a, b) => a - b).map((id) => bert[id]);
  const vocab: string[] = [];
  let k = 0;
  for (let id = 0; id < size; id++) vocab.push(specials.get(id) ?? picked[k++]);
  return vocab;
}

export function wordPieceTokenizer(bertDir: string, size: number, tokenizerClass: 'BertTokenizer' | 'DistilBertTokenizer'): TokenizerFiles {
  const vocabList = wordPieceVocab(bertDir, size);
  const vocab = Object.fromEntries(vocabList.map((t, i) => [t, i]));
  const special: Array<[number, string]> = [
    [0, '[PAD]'],
    [100, '[UNK]'],
    [101, '[CLS]'],
    [102, '[SEP]'],
    [103, '[MASK]'],
  ];
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special.map(([id, c]) => addedToken(id, c)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [101], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [102], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  const config: Json = {
    _studio_note: 'test-only tokenizer cut from bert-base-uncased to the fixture vocab size; ids match no real checkpoint',
    added_tokens_decoder: addedTokensDecoder(special),
    clean_up_tokenization_spaces: true,
    cls_token: '[CLS]',
    mask_token: '[MASK]',
    pad_token: '[PAD]',
    sep_token: '[SEP]',
    unk_token: '[UNK]',
    do_lower_case: true,
    model_max_length: 128,
    strip_accents: null,
    tokenize_chinese_chars: true,
    tokenizer_class: tokenizerClass,
  };
  if (tokenizerClass === 'DistilBertTokenizer') config.model_input_names = ['input_ids', 'attention_mask'];
  return {
    'tokenizer.json': json(tokenizer),
    'tokenizer_config.json': json(config),
    'special_tokens_map.json': json({ cls_token: '[CLS]', mask_token: '[MASK]', pad_token: '[PAD]', sep_token: '[SEP]', unk_token: '[UNK]' }),
    'vocab.txt': vocabList.join('\n') + '\n',
  };
}

// ---------------------------------------------------------------- byte-level BPE (gpt2, gpt2-seqcls, qwen2, roberta)

type ByteLevelKind = 'gpt2' | 'gpt2-seqcls' | 'qwen2' | 'roberta';

/**
 * GPT-2's byte-level BPE cut to `size` ids: the 256 byte symbols + the earliest merges, plus the model's special
 * tokens. gpt2 / gpt2-seqcls / qwen2: GPT-2 ids 0..size-2 and `<|endoftext|>` = size-1 (999, the fixtures'
 * bos/eos/pad). roberta: `<s>`=0 `<pad>`=1 `</s>`=2 `<unk>`=3 (as roberta-base), GPT-2 tokens from 4, `<mask>`=size-1.
 * qwen2 uses GPT-2's pre-tokenizer here, not Qwen2's own regex (test-only).
 */
export function byteLevelTokenizer(gpt2Dir: string, size: number, kind: ByteLevelKind): TokenizerFiles {
  const src = readJson(join(gpt2Dir, 'tokenizer.json'));
  const srcModel = src.model as { vocab: Record<string, number>; merges: Array<string | [string, string]> };
  const byId: string[] = [];
  for (const [t, id] of Object.entries(srcModel.vocab)) byId[id] = t;
  const vocab: Record<string, number> = {};
  let specials: Array<[number, string]>;
  if (kind === 'roberta') {
    specials = [
      [0, '<s>'],
      [1, '<pad>'],
      [2, '</s>'],
      [3, '<unk>'],
      [size - 1, '<mask>'],
    ];
    for (const [id, t] of specials) vocab[t] = id;
    for (let i = 0; i < size - 5; i++) vocab[byId[i]] = i + 4;
  } else {
    specials = [[size - 1, '<|endoftext|>']];
    for (let i = 0; i < size - 1; i++) vocab[byId[i]] = i;
    vocab['<|endoftext|>'] = size - 1;
  }
  const merges = filterMerges(srcModel.merges, vocab);
  const post =
    kind === 'roberta'
      ? { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: false }
      : { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false };
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map(([id, c]) => addedToken(id, c, kind !== 'roberta' ? true : false)),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true },
    post_processor: post,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: kind === 'roberta' ? '<unk>' : null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      vocab,
      merges,
    },
  };
  const note = 'test-only tokenizer cut from GPT-2 byte-level BPE to the fixture vocab size; ids match no real checkpoint';
  let config: Json;
  let map: Json;
  if (kind === 'roberta') {
    map = { bos_token: '<s>', cls_token: '<s>', eos_token: '</s>', mask_token: '<mask>', pad_token: '<pad>', sep_token: '</s>', unk_token: '<unk>' };
    config = {
      _studio_note: note,
      added_tokens_decoder: addedTokensDecoder(specials),
      add_prefix_space: false,
      ...map,
      clean_up_tokenization_spaces: true,
      errors: 'replace',
      model_max_length: 128,
      tokenizer_class: 'RobertaTokenizer',
      trim_offsets: true,
    };
  } else {
    const eot = '<|endoftext|>';
    const pad = kind === 'gpt2' ? null : eot; // gpt2-seqcls/qwen2 configs set pad_token_id 999
    map = kind === 'qwen2' ? { eos_token: eot, pad_token: eot } : { bos_token: eot, eos_token: eot, unk_token: eot, ...(pad ? { pad_token: pad } : {}) };
    config = {
      _studio_note: note,
      add_prefix_space: false,
      added_tokens_decoder: addedTokensDecoder(specials, true),
      bos_token: kind === 'qwen2' ? null : eot,
      clean_up_tokenization_spaces: kind !== 'qwen2',
      eos_token: eot,
      errors: 'replace',
      model_max_length: 128,
      pad_token: pad,
      tokenizer_class: kind === 'qwen2' ? 'Qwen2Tokenizer' : 'GPT2Tokenizer',
      unk_token: kind === 'qwen2' ? null : eot,
    };
  }
  const vocabJson = JSON.stringify(Object.fromEntries(Object.entries(vocab).sort((a, b) => a[1] - b[1])));
  return {
    'tokenizer.json': json(tokenizer),
    'tokenizer_config.json': json(config),
    'special_tokens_map.json': json(map),
    'vocab.json': vocabJson + '\n',
    'merges.txt': '#version: 0.2\n' + merges.join('\n') + '\n',
  };
}

// ---------------------------------------------------------------- Llama-2 byte-fallback BPE (llama)

/**
 * Llama-2's tokenizer.json cut to `size` ids: <unk>=0 <s>=1 </s>=2 and the bytes <0x00>..<0xFF>=3..258 keep their
 * ids; then, in Llama id order, every single-character piece for printable ASCII plus '▁' (Llama keeps those near
 * the end of its vocab), then the earliest (most frequent) pieces until full. Ids above 258 are renumbered.
 */
export function llamaTokenizer(llamaDir: string, size: number): TokenizerFiles {
  const src = readJson(join(llamaDir, 'tokenizer.json'));
  const srcModel = src.model as Json & { vocab: Record<string, number>; merges: Array<string | [string, string]> };
  const byId: string[] = [];
  for (const [t, id] of Object.entries(srcModel.vocab)) byId[id] = t;
  const chosen = new Set<number>();
  byId.forEach((t, id) => {
    if (id > 258 && (t === '\u2581' || /^[\x21-\x7e]$/.test(t))) chosen.add(id);
  });
  for (let id = 259; id < byId.length && chosen.size < size - 259; id++) chosen.add(id);
  const vocab: Record<string, number> = {};
  for (let id = 0; id < 259; id++) vocab[byId[id]] = id;
  [...chosen]
    .sort((a, b) => a - b)
    .forEach((id, i) => {
      vocab[byId[id]] = 259 + i;
    });
  const merges = filterMerges(srcModel.merges, vocab);
  const tokenizer = { ...src, model: { ...srcModel, vocab, merges } };
  const config = readJson(join(llamaDir, 'tokenizer_config.json'));
  config._studio_note = 'test-only tokenizer cut from Llama-2 to the fixture vocab size; ids match no real checkpoint';
  config.model_max_length = 128;
  return {
    'tokenizer.json': json(tokenizer),
    'tokenizer_config.json': json(config),
    'special_tokens_map.json': readFileSync(join(llamaDir, 'special_tokens_map.json'), 'utf8'),
  };
}
