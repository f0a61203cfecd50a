// semanticTwins / importValidation: semantic near duplicates across the split by cosine of the base
// model's mean-pooled last hidden states (computed here, batched), and an imported validation file checked
// against training with the same lexical checks.
import * as tf from '@tensorflow/tfjs-core';
import type { AuditFinding, LeakageView, SplitSummary } from '../../protocol/messages';
import { tryParseModelConfig } from '../../model/config';
import { tryLoadModel } from '../../model/loadModel';
import type { SequenceModel } from '../../model/types';
import { DEFAULT_COSINE_THRESHOLD, findSemanticTwins } from '../../data/semanticLeakage';
import { detectTrainValLeakage } from '../../data/leakage';
import { DEFAULT_JACCARD_THRESHOLD } from '../../data/quality/minhash';
import { encodeBatch } from '../../tokenize/tokenizer';
import type { HandlerContext } from '../handlerContext';
import { StudioError } from '../userError';
import { sharedWeights } from '../modelFit';
import { VIEW_PAIR_CAP } from '../auditState';
import { clip } from '../qualityReport';
import { describe, leakageView } from '../splitAudit';
import { readCsvFile } from '../streamCsv';

export const LEAK_SEMANTIC = 'leak_semantic';
/** Embedding costs a forward pass per text: at most this many training and held-out rows are embedded. */
const MAX_SEMANTIC_TRAIN = 5_000;
const MAX_SEMANTIC_HELD = 1_000;
const BATCH = 32;

/**
 * Threshold: DEFAULT_COSINE_THRESHOLD (0.95). Mean-pooled embeddings of small encoders are anisotropic
 * (unrelated sentences often score 0.6-0.8), so only ≥ 0.95 reliably means "the same sentence reworded".
 */
export async function handleSemanticTwins(args: { maxSeqLength: number; threshold?: number }, ctx: HandlerContext): Promise<SplitSummary> {
  const { session } = ctx;
  const audit = session.audit;
  const base = session.baseModel;
  if (!session.table || !session.split || !audit) throw new StudioError('no-split', 'Drop a labeled CSV and split it first.');
  if (!base) throw new StudioError('no-model', 'Load a base model (step 2) first: its embeddings measure the meaning of each text.');
  if (session.training) throw new StudioError('busy', 'Wait for the training run to end; it uses the same model memory.');
  const threshold = args.threshold ?? DEFAULT_COSINE_THRESHOLD;
  const parsed = tryParseModelConfig(base.configJson);
  if (!parsed.ok) throw new StudioError('unsupported-model', parsed.error);
  const maxLen = Math.max(4, Math.min(args.maxSeqLength || 128, parsed.value.maxTokens));
  const { rows } = session.table.table;
  const textOf = (r: number) => rows[r][session.textColumn] ?? '';
  const train = session.split.train.slice(0, MAX_SEMANTIC_TRAIN);
  const held = [...session.split.validation, ...audit.test].slice(0, MAX_SEMANTIC_HELD);
  const built = tryLoadModel(base.tensors, parsed.value, { task: 'SEQ_CLS', seed: 0, bank: sharedWeights(base) });
  if (!built.ok) throw new StudioError('bad-weights', built.error);
  const model = built.value;
  let pairs;
  try {
    const total = train.length + held.length;
    const progress = (done: number) => ctx.emit({ type: 'status', message: `Embedding texts with ${base.modelId}: ${done} / ${total}` });
    const t = await embed(model, base.tokenizer, train.map(textOf), maxLen, (d) => progress(d));
    const v = await embed(model, base.tokenizer, held.map(textOf), maxLen, (d) => progress(train.length + d));
    pairs = findSemanticTwins(t.vectors, v.vectors, t.dim, { threshold });
  } finally {
    model.dispose();
  }
  const lexical = new Set(audit.leakReport?.validationRowsWithTwin ?? []);
  const fresh = pairs
    .map((p) => ({ trainRow: train[p.trainRow], otherRow: held[p.validationRow], similarity: p.similarity }))
    .filter((p) => !lexical.has(p.otherRow));
  const finding: AuditFinding =
    fresh.length === 0
      ? {
          checkId: LEAK_SEMANTIC,
          severity: 'ok',
          count: 0,
          rows: [],
          reason: `No held-out text means the same as a training text (cosine ≥ ${threshold}) beyond the copies found above.`,
        }
      : {
          checkId: LEAK_SEMANTIC,
          severity: 'warning',
          count: fresh.length,
          rows: fresh.map((p) => p.otherRow),
          pairs: fresh.map((p) => ({ a: p.trainRow, b: p.otherRow, similarity: p.similarity })),
          reason: `${fresh.length} held-out rows say the same as a training text in other words (cosine of ${base.modelId}'s mean-pooled embeddings ≥ ${threshold}). Drop them or re-split by group.`,
          fix: { kind: 'drop', rows: fresh.map((p) => p.otherRow) },
        };
  const prev = audit.leakage;
  if (!prev) throw new StudioError('no-split', 'Split the dataset first.');
  const filled = [...session.split.validation, ...audit.test].filter((r) => textOf(r).trim() !== '').length;
  const withTwin = lexical.size + fresh.length;
  audit.leakage = {
    ...prev,
    findings: [...prev.findings.filter((f) => f.checkId !== LEAK_SEMANTIC), finding],
    pairs: [
      ...prev.pairs.filter((p) => p.kind !== 'semantic'),
      ...fresh.slice(0, VIEW_PAIR_CAP).map((p) => ({
        kind: 'semantic' as const,
        trainRow: p.trainRow,
        otherRow: p.otherRow,
        similarity: p.similarity,
        trainText: clip(textOf(p.trainRow)),
        otherText: clip(textOf(p.otherRow)),
      })),
    ],
    rowsWithTwin: withTwin,
    shareWithTwin: filled === 0 ? 0 : withTwin / filled,
    semantic: { threshold, model: base.modelId, checkedRows: held.length },
    note:
      held.length < prev.otherRows || train.length < session.split.train.length
        ? `Semantic check covered ${held.length} held-out rows against ${train.length} training rows.`
        : prev.note,
  };
  return describe(session);
}

/** Mean-pooled last hidden states, [n × dim] row-major, BATCH texts per forward pass. */
async function embed(
  model: SequenceModel,
  tokenizer: Parameters<typeof encodeBatch>[0],
  texts: string[],
  maxLen: number,
  onProgress: (done: number) => void,
): Promise<{ vectors: Float32Array; dim: number }> {
  const dim = model.config.hiddenSize;
  const out = new Float32Array(texts.length * dim);
  for (let s = 0; s < texts.length; s += BATCH) {
    const enc = encodeBatch(
      tokenizer,
      texts.slice(s, s + BATCH).map((t) => (t.trim() === '' ? ' ' : t)),
      maxLen,
    );
    const pooled = tf.tidy(() => {
      const inputIds = tf.tensor2d(enc.inputIds, [enc.B, enc.T], 'int32');
      const attentionMask = tf.tensor2d(enc.attentionMask, [enc.B, enc.T], 'int32');
      const { lastHiddenState } = model.forward({ inputIds, attentionMask }, { training: false, keepHiddenStates: false });
      const mask = tf.expandDims(tf.cast(attentionMask, 'float32'), 2);
      return tf.div(tf.sum(tf.mul(lastHiddenState, mask), 1), tf.maximum(tf.sum(mask, 1), 1e-9));
    });
    out.set((await pooled.data()) as Float32Array, s * dim);
    pooled.dispose();
    onProgress(Math.min(texts.length, s + BATCH));
  }
  return { vectors: out, dim };
}

/** Checks an imported validation file against the session's training rows (exact, normalized, fuzzy). */
export async function handleImportValidation(args: { file: File }, ctx: HandlerContext): Promise<LeakageView> {
  const { session } = ctx;
  if (!session.table || !session.split) throw new StudioError('no-split', 'Drop the training CSV first.');
  const parsed = await readCsvFile(args.file, () => {});
  if (!parsed.ok) throw new StudioError(parsed.error.code, `"${args.file.name}": ${parsed.error.message}`);
  const { header, rows } = parsed.value;
  const mainHeader = session.table.table.header;
  const byName = header.indexOf(mainHeader[session.textColumn]);
  const textCol = byName >= 0 ? byName : session.textColumn < header.length ? session.textColumn : -1;
  if (textCol < 0) throw new StudioError('no-text-column', `"${args.file.name}" has no column "${mainHeader[session.textColumn]}" holding the texts.`);
  const trainRows = session.split.train;
  const mainRows = session.table.table.rows;
  const trainTexts = trainRows.map((r) => mainRows[r][session.textColumn] ?? '');
  const otherTexts = rows.map((r) => r[textCol] ?? '');
  const threshold = session.audit?.view.jaccardThreshold ?? DEFAULT_JACCARD_THRESHOLD;
  const report = detectTrainValLeakage(trainTexts, otherTexts, { threshold, seed: 42 });
  const view = leakageView(
    report,
    'imported',
    trainRows.length,
    rows.length,
    threshold,
    (i) => trainTexts[i],
    (i) => otherTexts[i],
  );
  // Pair train indices point into the training list: turn them into table rows for "row N" links.
  view.pairs = view.pairs.map((p) => ({ ...p, trainRow: trainRows[p.trainRow] }));
  view.note = `Checked ${rows.length} rows of "${args.file.name}" (column "${header[textCol]}") against ${trainRows.length} training rows; imported row numbers are 0-based in that file.`;
  return view;
}
