// Builds a transformers.js tokenizer straight from tokenizer.json + tokenizer_config.json objects (a local model folder),
// choosing the class by tokenizer_class exactly as AutoTokenizer.from_pretrained does in 4.3.1. Worker-safe.
import * as transformers from '@huggingface/transformers';
import { PreTrainedTokenizer } from '@huggingface/transformers';

type TokenizerClass = new (tokenizerJson: object, tokenizerConfig: object) => PreTrainedTokenizer;

export function tokenizerFromJson(tokenizerJson: object, tokenizerConfig: Record<string, unknown>): PreTrainedTokenizer {
  const name = typeof tokenizerConfig.tokenizer_class === 'string' ? tokenizerConfig.tokenizer_class.replace(/Fast$/, '') : 'PreTrainedTokenizer';
  const candidate = (transformers as unknown as Record<string, unknown>)[name];
  const cls =
    typeof candidate === 'function' && (candidate === PreTrainedTokenizer || candidate.prototype instanceof PreTrainedTokenizer)
      ? (candidate as TokenizerClass)
      : (PreTrainedTokenizer as unknown as TokenizerClass);
  return new cls(tokenizerJson, tokenizerConfig);
}
