// An imported adapter's (or full model's) evaluation as a stored run entry of its own (issue 14), so the Runs
// step lists it and compares it with any run: one evaluation point at step 0, the adapter as its checkpoint.
import type { ImportedAdapter, TrainConfig } from '../protocol/messages';
import { DEFAULT_TRAIN_CONFIG } from '../protocol/defaults';
import { RunRecorder, type JsonValue } from '../storage';
import type { HandlerContext } from './handlerContext';
import { getStudioStore } from './storageHandle';

/** Records the evaluation; the run id, or null when storage is unavailable (the import still works). */
export async function recordImportedRun(
  ctx: HandlerContext,
  e: Omit<ImportedAdapter, 'runId'>,
  opts: { maxSeqLength: number; batchSize: number; adapterZip: Uint8Array | null; revision?: string | null },
): Promise<string | null> {
  const table = ctx.session.table;
  const store = await getStudioStore();
  const config: TrainConfig = {
    ...DEFAULT_TRAIN_CONFIG,
    epochs: 0,
    maxSeqLength: opts.maxSeqLength,
    batchSize: opts.batchSize,
    loraR: e.r,
    loraAlpha: e.loraAlpha,
  };
  const what = e.kind === 'full-model' ? 'imported model' : 'imported adapter';
  const started = await RunRecorder.start(store, {
    datasetId: table?.datasetId ?? null,
    datasetName: table?.fileName ?? '',
    modelId: e.modelId,
    modelRevision: opts.revision ?? null,
    backend: 'imported',
    config: config as TrainConfig & Record<string, JsonValue>,
    extra: { imported: e.fileName, kind: e.kind, targetModules: e.targetModules },
    name: `${what} ${e.fileName} on ${table?.fileName ?? 'this data'}`,
  });
  if (!(started instanceof RunRecorder)) return null;
  const point = {
    kind: 'eval' as const,
    step: 0,
    epoch: 0,
    valLoss: e.valLoss,
    valAccuracy: e.valAccuracy,
    ...(e.macroF1 === null ? {} : { macroF1: e.macroF1 }),
    ...(e.perplexity != null ? { perplexity: e.perplexity, tokenAccuracy: e.valAccuracy } : {}),
  };
  started.add(point);
  if (opts.adapterZip) {
    await started.checkpoint({
      step: 0,
      kind: 'best',
      metric: { name: 'val_loss', value: e.valLoss, goal: 'min' },
      adapter: opts.adapterZip,
      optimizer: new Uint8Array(0),
      dataOrder: { stepsDone: 0 },
      rngState: { seed: 0 },
    });
  }
  await started.setStatus('finished', `${what} ${e.fileName}, evaluated on ${e.examples} validation rows`);
  return started.problem ? null : started.runId;
}
