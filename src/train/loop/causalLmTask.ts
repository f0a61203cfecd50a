// The causal-LM task of the training loop: right-padded rows (prompt-masked instruction rows or packed domain
// blocks), next-token loss weighted by target tokens, validation loss / perplexity / token accuracy and, for
// instruction data, exact match of greedy completions on a sample.
import { collateLmRows } from '../../tokenize/lmTokenize';
import { chunk } from '../batches';
import { evaluateLm, exactMatchEval, type ExactMatchSample } from '../causalLmEval';
import { shiftLabels } from '../causalLmLoss';
import { computeCausalLmLossAndGrads, type CausalLmBatch } from '../causalLmStep';
import type { TrainerParts, TrainTask } from './types';

export type LmTrainRow = { inputIds: readonly number[]; labels: readonly number[] };
export type LmMetrics = { perplexity: number; tokenAccuracy: number; exactMatch: number | null };

export type LmTaskData = {
  train: readonly LmTrainRow[];
  validation: readonly LmTrainRow[];
  padId: number;
  /** Validation prompts decoded greedily at each evaluation (instruction data); none = no exact match. */
  exactMatch?: { samples: readonly ExactMatchSample[]; eosTokenIds: readonly number[] };
};

/** Right-padded batches of `rows`, shortest first (little padding; the token-weighted metrics do not depend on order). */
export function lmBatches(rows: readonly LmTrainRow[], batchSize: number, padId: number): CausalLmBatch[] {
  const order = rows.map((_, i) => i).sort((a, b) => rows[a].inputIds.length - rows[b].inputIds.length || a - b);
  return chunk(order, batchSize).map((idx) =>
    collateLmRows(
      idx.map((i) => rows[i]),
      padId,
    ),
  );
}

export function causalLmTask(parts: TrainerParts, data: LmTaskData, evalBatchSize: number): TrainTask<CausalLmBatch, LmMetrics> {
  const valBatches = lmBatches(data.validation, evalBatchSize, data.padId);
  const samples = data.exactMatch?.samples ?? [];
  return {
    parts,
    trainLengths: data.train.map((r) => r.inputIds.length),
    // An LM has no class-frequency guess to compare with; the underfitting check then looks at the loss trend only.
    chanceLoss: 0,
    collate(indices) {
      const batch = collateLmRows(
        indices.map((i) => data.train[i]),
        data.padId,
      );
      const realTokens = batch.attentionMask.reduce((s, v) => s + v, 0);
      // The step's loss is the mean over all its target tokens, as if the micro-batches were one batch.
      return { batch, weight: shiftLabels(batch.labels, batch.B, batch.T).count, realTokens, slots: batch.B * batch.T };
    },
    lossAndGrads: (batch, seed) => computeCausalLmLossAndGrads(parts.model, parts.adapter, batch, { training: true, seed }),
    hasValidation: valBatches.length > 0,
    async evaluate() {
      const m = await evaluateLm(parts.model, parts.adapter, valBatches);
      const exactMatch =
        samples.length > 0 && data.exactMatch
          ? (await exactMatchEval(parts.model, parts.adapter, samples, { eosTokenIds: data.exactMatch.eosTokenIds })).exactMatch
          : null;
      return { loss: m.loss, metrics: { perplexity: m.perplexity, tokenAccuracy: m.tokenAccuracy, exactMatch } };
    },
  };
}
