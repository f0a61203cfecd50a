// A CAUSAL_LM PEFT adapter imported onto the loaded decoder (issue 14): evaluated on the current instruction /
// domain-text validation split (loss, perplexity, next-token accuracy), made the playground's fine-tuned decoder,
// kept as the session's trained adapter and as the starting point a causal-LM run can continue from.
import type { ImportedAdapter } from '../protocol/messages';
import { DEFAULT_TRAIN_CONFIG } from '../protocol/defaults';
import { ADAPTER_CONFIG_NAME, ADAPTER_WEIGHTS_NAME, tryImportPeftAdapter } from '../model/peftAdapter';
import { evaluateLm } from '../train/causalLmEval';
import { lmBatches } from '../train/loop';
import { padId } from '../tokenize/tokenizer';
import type { HandlerContext } from './handlerContext';
import { recordImportedRun } from './importedRun';
import { ensureLive, requireLmData } from './lmPrepare';
import { prepareRows } from './lmRun';
import { StudioError } from './userError';

export type LmImportInput = {
  fileName: string;
  zipBytes: Uint8Array;
  configText: string;
  weights: Uint8Array;
  adapterBase: string;
  r: number;
  loraAlpha: number;
  targetModules: string[];
};

export async function importLmAdapter(ctx: HandlerContext, a: LmImportInput, opts: { maxSeqLength: number; batchSize: number }): Promise<ImportedAdapter> {
  const { session } = ctx;
  const base = session.baseModel;
  if (!base) throw new StudioError('no-model', `Load the adapter's base model first (${a.adapterBase}) in the Model step, then import again.`);
  let live;
  try {
    live = ensureLive(session);
  } catch (e) {
    if (e instanceof StudioError) throw new StudioError(e.code, `This is a causal-LM (CAUSAL_LM) adapter for ${a.adapterBase}. ${e.message}`);
    throw e;
  }
  try {
    requireLmData(session);
  } catch {
    throw new StudioError(
      'no-data',
      'This is a causal-LM (CAUSAL_LM) adapter: it is evaluated on instruction data or domain text. Drop such data in the Data step (and pick its task), then import again.',
    );
  }
  const imported = tryImportPeftAdapter(live.model, { [ADAPTER_CONFIG_NAME]: a.configText, [ADAPTER_WEIGHTS_NAME]: a.weights });
  if (!imported.ok) {
    const other = a.adapterBase !== base.modelId ? ` The adapter names ${a.adapterBase} as its base; the loaded model is ${base.modelId}.` : '';
    throw new StudioError('adapter-mismatch', `The adapter does not fit ${base.modelId}: ${imported.error}${other}`);
  }
  const adapter = imported.value;
  let kept = false;
  try {
    const rows = prepareRows(session, { ...DEFAULT_TRAIN_CONFIG, maxSeqLength: opts.maxSeqLength }, { trainOnPrompt: false, exactMatchSamples: 0 });
    if (rows.validation.length === 0)
      throw new StudioError('no-data', 'The validation split has no rows with a completion to score: raise Max tokens or check the data.');
    ctx.emit({ type: 'status', message: `Evaluating the imported adapter on ${rows.validation.length} validation rows…` });
    const m = await evaluateLm(live.model, adapter, lmBatches(rows.validation, opts.batchSize, padId(base.tokenizer)));
    // The playground's fine-tuned decoder is now the imported adapter (a new LM run replaces it again).
    live.adapter?.dispose();
    live.adapter = adapter;
    adapter.strength = 1;
    kept = true;
    session.trained = { modelId: base.modelId, labelNames: [], adapterConfigJson: a.configText, adapterSafetensors: a.weights, lmZip: a.zipBytes };
    session.imported = {
      fileName: a.fileName,
      modelId: base.modelId,
      configJson: a.configText,
      weights: a.weights,
      labelNames: [],
      r: a.r,
      loraAlpha: a.loraAlpha,
      targetModules: a.targetModules,
      task: 'CAUSAL_LM',
    };
    const evaluation: Omit<ImportedAdapter, 'runId'> = {
      kind: 'adapter',
      task: 'CAUSAL_LM',
      fileName: a.fileName,
      adapterBase: a.adapterBase,
      modelId: base.modelId,
      r: a.r,
      loraAlpha: a.loraAlpha,
      targetModules: a.targetModules,
      labelNames: [],
      examples: rows.validation.length,
      valLoss: m.loss,
      valAccuracy: m.tokenAccuracy,
      macroF1: null,
      perplexity: m.perplexity,
      confusion: [],
    };
    const runId = await recordImportedRun(ctx, evaluation, { ...opts, adapterZip: a.zipBytes, revision: base.revision });
    return { ...evaluation, runId };
  } finally {
    if (!kept) adapter.dispose();
  }
}
