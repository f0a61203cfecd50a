// Shared pieces of every family's config.json parser: the fields all configs have, a typed field reader with HF
// defaults that collects every problem, and the id2label parser. Depends only on lib/.
import { err, ok, type Result } from '../../lib/result';

/** Fields every config has, under the same names whatever the HF spelling (n_embd, dim, ...). */
export type CommonConfig = {
  /** vocab_size: rows of the word embedding (V). */
  vocabSize: number;
  /** hidden_size / n_embd / dim: channels C of every token vector. */
  hiddenSize: number;
  /** num_hidden_layers / n_layer / n_layers. */
  numHiddenLayers: number;
  /** num_attention_heads / n_head / n_heads; head_dim = hiddenSize / numAttentionHeads. */
  numAttentionHeads: number;
  /** Width of the feed-forward block (intermediate_size / n_inner / hidden_dim). */
  intermediateSize: number;
  /** max_position_embeddings / n_positions: the position table size. */
  maxPositionEmbeddings: number;
  /** The longest batch the model accepts (RoBERTa: max_position_embeddings - pad_token_id - 1). */
  maxTokens: number;
  /** std of the normal init used for a fresh classification head. */
  initializerRange: number;
  /** num_labels: classes of the sequence-classification head (from id2label). */
  numLabels: number;
  /** id2label as an array: id2label[i] is the name of class i. */
  id2label: string[];
  /** HF `architectures[0]`, e.g. 'GPT2LMHeadModel' (null when absent). */
  architecture: string | null;
};

/** Reads typed fields with HF defaults and collects every problem. */
export function fieldReader(j: Record<string, unknown>) {
  const problems: string[] = [];
  const pick = (keys: string | string[], fallback: unknown): unknown => {
    for (const k of typeof keys === 'string' ? [keys] : keys) if (j[k] != null) return j[k];
    return fallback;
  };
  const name = (keys: string | string[]) => (typeof keys === 'string' ? keys : keys[0]);
  return {
    problems,
    int(keys: string | string[], fallback: number, min = 1): number {
      const v = pick(keys, fallback);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
        problems.push(`${name(keys)} must be an integer >= ${min} (got ${JSON.stringify(v)})`);
        return fallback;
      }
      return v;
    },
    optionalInt(key: string): number | null {
      const v = j[key];
      if (v == null) return null;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        problems.push(`${key} must be a non-negative integer or null (got ${JSON.stringify(v)})`);
        return null;
      }
      return v;
    },
    prob(keys: string | string[], fallback: number): number {
      const v = pick(keys, fallback);
      if (typeof v !== 'number' || v < 0 || v >= 1) {
        problems.push(`${name(keys)} must be a number in [0, 1) (got ${JSON.stringify(v)})`);
        return fallback;
      }
      return v;
    },
    positive(keys: string | string[], fallback: number): number {
      const v = pick(keys, fallback);
      if (typeof v !== 'number' || !(v > 0)) {
        problems.push(`${name(keys)} must be a positive number (got ${JSON.stringify(v)})`);
        return fallback;
      }
      return v;
    },
    bool(key: string, fallback: boolean): boolean {
      const v = j[key] ?? fallback;
      if (typeof v !== 'boolean') {
        problems.push(`${key} must be true or false (got ${JSON.stringify(v)})`);
        return fallback;
      }
      return v;
    },
    oneOf<T extends string>(keys: string | string[], fallback: T, allowed: readonly string[], what: string): T {
      const v = pick(keys, fallback);
      if (typeof v !== 'string' || !allowed.includes(v)) {
        problems.push(`${name(keys)} ${JSON.stringify(v)} is not supported (${what})`);
        return fallback;
      }
      return v as T;
    },
  };
}

export type FieldReader = ReturnType<typeof fieldReader>;

export function common(
  j: Record<string, unknown>,
  f: FieldReader,
  hidden: number,
  heads: number,
): Pick<CommonConfig, 'id2label' | 'numLabels' | 'architecture'> {
  if (hidden % heads !== 0) f.problems.push(`the hidden size (${hidden}) must be divisible by the number of attention heads (${heads})`);
  const labels = parseLabels(j, f.problems);
  const archs = j.architectures;
  const architecture = Array.isArray(archs) && typeof archs[0] === 'string' ? archs[0] : null;
  return { id2label: labels, numLabels: labels.length, architecture };
}

export const done = <T>(modelType: string, problems: string[], value: T): Result<T, string> =>
  problems.length > 0 ? err(`config.json (${modelType}): ${problems.join('; ')}. Fix the config or choose another model.`) : ok(value);

/** HF derives num_labels from id2label; without either it defaults to 2 (LABEL_0, LABEL_1). */
export function parseLabels(j: Record<string, unknown>, problems: string[]): string[] {
  const id2label = j.id2label;
  if (id2label != null) {
    if (typeof id2label !== 'object' || Array.isArray(id2label)) {
      problems.push('id2label must be an object like {"0": "negative", "1": "positive"}');
      return [];
    }
    const entries = Object.entries(id2label as Record<string, unknown>);
    const labels: string[] = new Array(entries.length);
    for (const [key, name] of entries) {
      const id = Number(key);
      if (!Number.isInteger(id) || id < 0 || id >= entries.length || typeof name !== 'string') {
        problems.push(`id2label must map the ids 0..${entries.length - 1} to names (bad entry ${JSON.stringify(key)})`);
        return [];
      }
      labels[id] = name;
    }
    return labels;
  }
  const numLabels = j.num_labels ?? 2;
  if (typeof numLabels !== 'number' || !Number.isInteger(numLabels) || numLabels < 1) {
    problems.push('num_labels must be a positive integer');
    return [];
  }
  return Array.from({ length: numLabels }, (_, i) => `LABEL_${i}`);
}
