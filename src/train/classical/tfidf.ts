// TF-IDF features as sparse CSR rows: word 1-2 grams plus character 2-5 grams inside word boundaries (sklearn's
// analyzer='char_wb'), sublinear tf, smooth idf, each block l2-normalised then concatenated (a FeatureUnion).
// Pure TypeScript, no tfjs: a dense [rows x vocabulary] matrix would not fit for realistic vocabularies.

export type CsrMatrix = {
  rows: number;
  cols: number;
  /** rowPtr[i]..rowPtr[i+1] index colIdx / values of row i. */
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float32Array;
};

export type TfidfOptions = {
  wordNgrams: [number, number];
  charNgrams: [number, number];
  /** Drop features seen in fewer training documents (bounds the vocabulary; 1 keeps all). */
  minDf: number;
  /** Keep at most this many features per block, the most frequent in the training documents. */
  maxFeaturesPerBlock: number;
};

export const DEFAULT_TFIDF: TfidfOptions = { wordNgrams: [1, 2], charNgrams: [2, 5], minDf: 1, maxFeaturesPerBlock: 200_000 };

/** sklearn's default token_pattern (?u)\b\w\w+\b on lowercased text. */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]{2,}/gu) ?? [];
}

function wordGrams(text: string, [lo, hi]: [number, number]): string[] {
  const toks = wordTokens(text);
  const out: string[] = [];
  for (let n = lo; n <= hi; n++) for (let i = 0; i + n <= toks.length; i++) out.push('w:' + toks.slice(i, i + n).join(' '));
  return out;
}

/** char_wb: each whitespace-separated word padded with one space on each side, n-grams within it. */
function charGrams(text: string, [lo, hi]: [number, number]): string[] {
  const out: string[] = [];
  for (const w of text.toLowerCase().split(/\s+/)) {
    if (!w) continue;
    const padded = ` ${w} `;
    for (let n = lo; n <= hi; n++) {
      for (let i = 0; i + n <= padded.length; i++) out.push('c:' + padded.slice(i, i + n));
      if (padded.length < n) break;
    }
  }
  return out;
}

type Block = { vocab: Map<string, number>; idf: Float32Array; analyze: (t: string) => string[] };

function fitBlock(docs: readonly string[], analyze: (t: string) => string[], opts: TfidfOptions): Block {
  const df = new Map<string, number>();
  for (const d of docs) for (const g of new Set(analyze(d))) df.set(g, (df.get(g) ?? 0) + 1);
  const kept = [...df.entries()].filter(([, n]) => n >= opts.minDf);
  // Most frequent first, ties by term: deterministic whatever the Map order.
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = kept.slice(0, opts.maxFeaturesPerBlock);
  const vocab = new Map(top.map(([g], i) => [g, i]));
  const n = docs.length;
  const idf = Float32Array.from(top, ([, d]) => Math.log((1 + n) / (1 + d)) + 1); // smooth_idf
  return { vocab, idf, analyze };
}

export type TfidfVectorizer = { numFeatures: number; transform(docs: readonly string[]): CsrMatrix };

/** Learn both vocabularies and idf on the training texts only. */
export function fitTfidf(docs: readonly string[], opts: TfidfOptions = DEFAULT_TFIDF): TfidfVectorizer {
  const blocks = [fitBlock(docs, (t) => wordGrams(t, opts.wordNgrams), opts), fitBlock(docs, (t) => charGrams(t, opts.charNgrams), opts)];
  const offsets = [0, blocks[0].vocab.size];
  const numFeatures = blocks[0].vocab.size + blocks[1].vocab.size;
  return {
    numFeatures,
    transform(texts) {
      const rowPtr = new Int32Array(texts.length + 1);
      const cols: number[] = [];
      const vals: number[] = [];
      texts.forEach((t, i) => {
        blocks.forEach((b, bi) => {
          const counts = new Map<number, number>();
          for (const g of b.analyze(t)) {
            const j = b.vocab.get(g);
            if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
          }
          const entries = [...counts.entries()].sort((x, y) => x[0] - y[0]);
          const w = entries.map(([j, c]) => (1 + Math.log(c)) * b.idf[j]); // sublinear tf x idf
          const norm = Math.sqrt(w.reduce((s, x) => s + x * x, 0)) || 1;
          entries.forEach(([j], k) => {
            cols.push(offsets[bi] + j);
            vals.push(w[k] / norm);
          });
        });
        rowPtr[i + 1] = cols.length;
      });
      return { rows: texts.length, cols: numFeatures, rowPtr, colIdx: Int32Array.from(cols), values: Float32Array.from(vals) };
    },
  };
}
