// When the data report must be measured again (the model or max tokens changed): a pure rule, so it is tested
// apart from the store.
export type MeasuredWith = { tokenizer?: string | null; lengths?: { maxSeqLength: number } | null } | null;

/**
 * Whether the report should be measured again for this model and max tokens. At most once per (model, max tokens):
 * a report that cannot use the tokenizer (too many rows) would otherwise never look fresh and re-run forever,
 * re-making the split and resetting the leakage view under the user's pointer.
 */
export function shouldRecheckQuality(measured: MeasuredWith, modelId: string | null, maxTokens: number, lastAsked: string | null): boolean {
  if (!measured || !(maxTokens >= 4)) return false;
  if ((measured.tokenizer ?? null) === modelId && measured.lengths?.maxSeqLength === maxTokens) return false;
  return lastAsked !== recheckKey(modelId, maxTokens);
}

export const recheckKey = (modelId: string | null, maxTokens: number) => `${modelId ?? ''}|${maxTokens}`;
