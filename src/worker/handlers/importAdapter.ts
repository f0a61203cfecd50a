// importAdapter (issue 14, adapters come back in): a PEFT LoRA adapter zip — the studio's own download or one PEFT
// wrote — goes onto the loaded base model and is evaluated on the current validation split; mismatches (another
// base model, other labels, another rank or targets) get a message. The imported adapter becomes the session's
// trained adapter (it downloads again like a trained one), the playground's "imported" choice and a run's possible
// starting point; its evaluation is stored as an "imported" run entry so the Runs step compares it with any run.
import type { ImportedAdapter } from '../../protocol/messages';
import { withLabels } from '../../model/config';
import { tryLoadModel } from '../../model/loadModel';
import { buildAdapterZip } from '../../model/peft/adapterZip';
import { ADAPTER_CONFIG_NAME, ADAPTER_WEIGHTS_NAME, tryImportPeftAdapter } from '../../model/peftAdapter';
import { evaluateSplit } from '../../train/evaluate';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/defaults';
import { prepareClassifierData } from '../classifierParts';
import type { HandlerContext } from '../handlerContext';
import { recordImportedRun } from '../importedRun';
import { importLmAdapter } from '../lmImport';
import { entryNamed, labelOrder, matchLabels, readZip, textOf } from '../importFiles';
import { StudioError } from '../userError';
import { sharedWeights } from '../modelFit';

type AdapterConfig = { base_model_name_or_path?: string; task_type?: string; r?: number; lora_alpha?: number; target_modules?: string[] | string };

export async function handleImportAdapter(args: { file: File; maxSeqLength: number; batchSize: number }, ctx: HandlerContext): Promise<ImportedAdapter> {
  const { session } = ctx;
  if (session.training) throw new StudioError('busy', 'A run is training: import the adapter when it has finished.');
  const zip = await readZip(args.file, 'a LoRA adapter zip');
  const configText = textOf(zip, ADAPTER_CONFIG_NAME);
  const weightsKey = entryNamed(zip, ADAPTER_WEIGHTS_NAME);
  if (!configText || !weightsKey) {
    const folder = entryNamed(zip, 'config.json') && entryNamed(zip, 'model.safetensors');
    throw new StudioError(
      'bad-adapter',
      folder
        ? `${args.file.name} is a full model folder (config.json and model.safetensors), not a LoRA adapter: use "Import model folder".`
        : `The zip has no ${!configText ? ADAPTER_CONFIG_NAME : ADAPTER_WEIGHTS_NAME}: choose a PEFT adapter zip (adapter_config.json and adapter_model.safetensors; .bin adapters must be converted to safetensors).`,
    );
  }
  const weights = zip[weightsKey];
  let config: AdapterConfig;
  try {
    config = JSON.parse(configText) as AdapterConfig;
  } catch (e) {
    throw new StudioError('bad-adapter', `adapter_config.json is not valid JSON (${(e as Error).message}).`);
  }
  const base = session.baseModel;
  const adapterBase = config.base_model_name_or_path ?? '(not named)';
  if (!base) throw new StudioError('no-model', `Load the adapter's base model first (${adapterBase}) in the Model step, then import again.`);
  const r0 = config.r ?? 0;
  const alpha0 = config.lora_alpha ?? 0;
  const targetModules = Array.isArray(config.target_modules) ? config.target_modules : [String(config.target_modules)];
  if (config.task_type === 'CAUSAL_LM') {
    const input = {
      fileName: args.file.name,
      zipBytes: new Uint8Array(await args.file.arrayBuffer()),
      configText,
      weights,
      adapterBase,
      r: r0,
      loraAlpha: alpha0,
      targetModules,
    };
    return importLmAdapter(ctx, input, args);
  }
  if (config.task_type !== 'SEQ_CLS') {
    throw new StudioError(
      'bad-adapter',
      `This is a ${config.task_type ?? 'untyped'} adapter; the studio imports classification (SEQ_CLS) and causal-LM (CAUSAL_LM) LoRA adapters.`,
    );
  }
  if (!session.table || !session.split) throw new StudioError('no-data', 'Load the labeled data to evaluate on (the Data step), then import again.');

  const sorted = prepareClassifierData(session, base, { ...DEFAULT_TRAIN_CONFIG, maxSeqLength: args.maxSeqLength }, []).labelNames;
  let labelNames: string[];
  try {
    labelNames = matchLabels(labelOrder(textOf(zip, 'label_map.json')), sorted).labelNames;
  } catch (e) {
    if (e instanceof StudioError) throw new StudioError(e.code, `The adapter does not fit this data. ${e.message}`);
    throw e;
  }
  // The classifier's rows follow the adapter's label order: tokenize with that order.
  const data = prepareClassifierData(session, base, { ...DEFAULT_TRAIN_CONFIG, maxSeqLength: args.maxSeqLength }, [], labelNames);
  const { validation } = data;
  const built = tryLoadModel(base.tensors, withLabels(data.config, labelNames), { task: 'SEQ_CLS', seed: 0, bank: sharedWeights(base) });
  if (!built.ok) throw new StudioError('bad-weights', `${base.modelId}: ${built.error}`);
  const model = built.value;
  const imported = tryImportPeftAdapter(model, { [ADAPTER_CONFIG_NAME]: configText, [ADAPTER_WEIGHTS_NAME]: weights });
  if (!imported.ok) {
    model.dispose();
    const other = adapterBase !== base.modelId ? ` The adapter names ${adapterBase} as its base; the loaded model is ${base.modelId}.` : '';
    throw new StudioError('adapter-mismatch', `The adapter does not fit ${base.modelId}: ${imported.error}${other}`);
  }
  const adapter = imported.value;
  try {
    ctx.emit({ type: 'status', message: `Evaluating the imported adapter on ${validation.length} validation rows…` });
    const r = await evaluateSplit(model, adapter, validation, { batchSize: args.batchSize, padTokenId: data.padTokenId, numClasses: labelNames.length });
    session.trained = { modelId: base.modelId, labelNames, adapterConfigJson: configText, adapterSafetensors: weights };
    session.imported = {
      fileName: args.file.name,
      modelId: base.modelId,
      configJson: configText,
      weights,
      labelNames,
      r: config.r ?? 0,
      loraAlpha: config.lora_alpha ?? 0,
      targetModules,
      task: 'SEQ_CLS',
    };
    const evaluation: Omit<ImportedAdapter, 'runId'> = {
      kind: 'adapter',
      fileName: args.file.name,
      adapterBase,
      modelId: base.modelId,
      r: config.r ?? 0,
      loraAlpha: config.lora_alpha ?? 0,
      targetModules,
      labelNames,
      examples: validation.length,
      valLoss: r.loss,
      valAccuracy: r.metrics.accuracy,
      macroF1: r.metrics.macroF1,
      confusion: r.metrics.confusion,
      task: 'SEQ_CLS' as const,
    };
    const runId = await recordImportedRun(ctx, evaluation, { ...args, adapterZip: buildAdapterZip(session.trained), revision: base.revision });
    return { ...evaluation, runId };
  } finally {
    adapter.dispose();
    model.dispose();
  }
}
