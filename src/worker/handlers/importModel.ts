// importModel (issue 14): a full model folder, zipped — the studio's own full fine-tuning export (save_pretrained:
// config.json, model.safetensors, tokenizer files, label_map.json) or any fine-tuned *ForSequenceClassification
// folder — is loaded as the model (as a local folder would be), then evaluated with its own classifier head on the
// current validation split and stored as an "imported" run entry.
import type { ImportedModel } from '../../protocol/messages';
import { tryParseModelConfig, withLabels } from '../../model/config';
import { tryLoadModel } from '../../model/loadModel';
import { evaluateSplit } from '../../train/evaluate';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/defaults';
import { prepareClassifierData } from '../classifierParts';
import type { HandlerContext } from '../handlerContext';
import { recordImportedRun } from '../importedRun';
import { entryNamed, labelOrder, matchLabels, readZip, textOf } from '../importFiles';
import { loadBaseModel } from '../modelLoader';
import { sharedWeights } from '../modelFit';
import { StudioError } from '../userError';

/** Head tensor names of the classifier families (BERT/DistilBERT classifier, RoBERTa out_proj, decoders' score). */
const HEAD_KEYS = /(^|\.)(classifier|classifier\.out_proj|score)\.weight$/;

export async function handleImportModel(args: { file: File; maxSeqLength: number; batchSize: number }, ctx: HandlerContext): Promise<ImportedModel> {
  const { session } = ctx;
  if (session.training) throw new StudioError('busy', 'A run is training: import the model when it has finished.');
  if (!session.table || !session.split) throw new StudioError('no-data', 'Load the labeled data to evaluate on (the Data step), then import again.');
  const zip = await readZip(args.file, 'a model folder zip');
  if (entryNamed(zip, 'adapter_config.json')) {
    throw new StudioError('bad-model', `${args.file.name} is a LoRA adapter (adapter_config.json), not a full model folder: use "Import adapter zip".`);
  }
  const configText = textOf(zip, 'config.json');
  if (!configText || !(entryNamed(zip, 'model.safetensors') || entryNamed(zip, 'model.safetensors.index.json'))) {
    throw new StudioError(
      'bad-model',
      `${args.file.name} has no ${configText ? 'model.safetensors' : 'config.json'}: choose a zipped save_pretrained folder (config.json, model.safetensors, tokenizer.json).`,
    );
  }
  // The folder's files by base name, as a picked local folder gives them to the loader.
  const name = args.file.name.replace(/\.zip$/i, '');
  const files = Object.entries(zip)
    .filter(([k]) => !k.endsWith('/'))
    .map(([k, v]) => new File([v as Uint8Array<ArrayBuffer>], k.split('/').pop() ?? k));
  const checkpointLabels = labelOrder(textOf(zip, 'label_map.json')) ?? labelOrder(configText);
  const summary = await loadBaseModel({ source: { kind: 'local', name, files } }, ctx);
  const base = session.baseModel!;
  if (![...base.tensors.keys()].some((k) => HEAD_KEYS.test(k))) {
    throw new StudioError(
      'bad-model',
      `${name} is loaded as the model, but it has no classification head (classifier/score weights), so there is nothing to evaluate yet: train on it as on any base model.`,
    );
  }
  const parsed = tryParseModelConfig(base.configJson);
  if (!parsed.ok) throw new StudioError('unsupported-model', parsed.error);
  const trainConfig = { ...DEFAULT_TRAIN_CONFIG, maxSeqLength: args.maxSeqLength };
  const sorted = prepareClassifierData(session, base, trainConfig, []).labelNames;
  let matched: ReturnType<typeof matchLabels>;
  try {
    matched = matchLabels(checkpointLabels, sorted);
  } catch (e) {
    if (e instanceof StudioError) throw new StudioError(e.code, `${name} is loaded as the model but does not fit this data. ${e.message}`);
    throw e;
  }
  const { labelNames } = matched;
  session.importedModelLabels = { modelId: base.modelId, labelNames };
  const data = prepareClassifierData(session, base, trainConfig, [], labelNames);
  const built = tryLoadModel(base.tensors, withLabels(parsed.value, labelNames), { task: 'SEQ_CLS', seed: 0, bank: sharedWeights(base) });
  if (!built.ok) throw new StudioError('bad-weights', `${name}: ${built.error}`);
  const model = built.value;
  try {
    ctx.emit({ type: 'status', message: `Evaluating ${name} on ${data.validation.length} validation rows…` });
    const r = await evaluateSplit(model, null, data.validation, { batchSize: args.batchSize, padTokenId: data.padTokenId, numClasses: labelNames.length });
    const evaluation = {
      kind: 'full-model' as const,
      fileName: args.file.name,
      adapterBase: name,
      modelId: name,
      r: 0,
      loraAlpha: 0,
      targetModules: [],
      labelNames,
      examples: data.validation.length,
      valLoss: r.loss,
      valAccuracy: r.metrics.accuracy,
      macroF1: r.metrics.macroF1,
      confusion: r.metrics.confusion,
      task: 'SEQ_CLS' as const,
      labelNote: matched.note,
    };
    const runId = await recordImportedRun(ctx, evaluation, { ...args, adapterZip: null });
    return { summary, files, evaluation: { ...evaluation, runId } };
  } finally {
    model.dispose();
  }
}
