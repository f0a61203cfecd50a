// Test-only: a real fixture tokenizer whose ids are folded into a tiny fixture model's vocabulary (the reference
// models have 1000 tokens), so text pipelines can run end to end on them. No production file may import this.
import type { PreTrainedTokenizer } from '@huggingface/transformers';

/** Proxy of `tokenizer`: encode() maps id -> id % vocab (EOS -> eosId), eos_token_id = eosId. Rendering is untouched. */
export function remapTokenizer(tokenizer: PreTrainedTokenizer, vocab: number, eosId: number): PreTrainedTokenizer {
  const realEos = tokenizer.eos_token_id;
  const map = (id: number) => (id === realEos ? eosId : id % vocab);
  return new Proxy(tokenizer, {
    get(target, prop, receiver) {
      if (prop === 'encode') {
        return (text: string, options?: Parameters<PreTrainedTokenizer['encode']>[1]) => target.encode(text, options).map(map);
      }
      if (prop === 'eos_token_id') return eosId;
      if (prop === 'pad_token_id') {
        const pad = target.pad_token_id as number | null | undefined;
        return typeof pad === 'number' ? map(pad) : pad;
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(receiver) : v;
    },
  });
}
