// importAdapter (issue 14, adapters come back in): a PEFT LoRA adapter zip — the studio's own download or one PEFT
// wrote — goes onto the loaded base model and is evaluated on the current validation split; mismatches (another
// base model, other labels, another rank or targets) get a message. The imported adapter becomes the session's
// trained adapter, so it downloads again like a trained one.
import { strFromU8, unzipSync } from 'fflate';
import type { ImportedAdapter } from '../../protocol/messages';
import { withLabels } from '../../model/config';
import { tryLoadModel } from '../../model/loadModel';
import { ADAPTER_CONFIG_NAME, ADAPTER_WEIGHTS_NAME, tryImportPeftAdapter } from '../../model/peftAdapter';
import { evaluateSplit } from '../../train/evaluate';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/defaults';
import { prepareClassifierData } from '../classifierParts';
import type { HandlerContext } from '../handlerContext';
import { StudioError } from '../userError';
import { sharedWeights } from '../modelFit';

const MAX_ZIP_BYTES = 2 ** 31;

/** The adapter's files wherever they sit in the zip (PEFT users often zip the folder itself). */
function findFiles(zip: Record<string, Uint8Array>) {
  const byBase = (name: string) =>
    Object.keys(zip)
      .filter((k) => k === name || k.endsWith(`/${name}`))
      .sort((a, b) => a.length - b.length)[0];
  const config = byBase(ADAPTER_CONFIG_NAME);
  const weights = byBase(ADAPTER_WEIGHTS_NAME);
  const labels = byBase('label_map.json');
  if (!config || !weights) {
    throw new StudioError(
      'bad-adapter',
      `The zip has no ${!config ? ADAPTER_CONFIG_NAME : ADAPTER_WEIGHTS_NAME}: choose a PEFT adapter zip (adapter_config.json and adapter_model.safetensors; .bin adapters must be converted to safetensors).`,
    );
  }
  return { config: strFromU8(zip[config]), weights: zip[weights], labels: labels ? strFromU8(zip[labels]) : null };
}

function labelOrder(labelMapJson: string | null): string[] | null {
  if (!labelMapJson) return null;
  try {
    const m = JSON.parse(labelMapJson) as { id2label?: Record<string, string> };
    if (!m.id2label) return null;
    return Object.keys(m.id2label)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => m.id2label![k]);
  } catch {
    return null;
  }
}

export async function handleImportAdapter(args: { file: File; maxSeqLength: number; batchSize: number }, ctx: HandlerContext): Promise<ImportedAdapter> {
  const { session } = ctx;
  if (session.training) throw new StudioError('busy', 'A run is training: import the adapter when it has finished.');
  if (args.file.size > MAX_ZIP_BYTES) throw new StudioError('bad-adapter', 'That file is too large to be a LoRA adapter zip.');
  let zip: Record<string, Uint8Array>;
  try {
    zip = unzipSync(new Uint8Array(await args.file.arrayBuffer()));
  } catch (e) {
    throw new StudioError('bad-adapter', `${args.file.name} is not a readable zip (${(e as Error).message}): choose the adapter zip the studio or PEFT wrote.`);
  }
  const files = findFiles(zip);
  let config: { base_model_name_or_path?: string; task_type?: string; r?: number; lora_alpha?: number; target_modules?: string[] | string };
  try {
    config = JSON.parse(files.config) as typeof config;
  } catch (e) {
    throw new StudioError('bad-adapter', `adapter_config.json is not valid JSON (${(e as Error).message}).`);
  }
  const base = session.baseModel;
  const adapterBase = config.base_model_name_or_path ?? '(not named)';
  if (!base) throw new StudioError('no-model', `Load the adapter's base model first (${adapterBase}) in the Model step, then import again.`);
  if (config.task_type !== 'SEQ_CLS') {
    throw new StudioError(
      'bad-adapter',
      `This is a ${config.task_type ?? 'untyped'} adapter; importing works for classification (SEQ_CLS) adapters so far. Causal-LM adapters load in Python with PeftModel.from_pretrained.`,
    );
  }
  if (!session.table || !session.split) throw new StudioError('no-data', 'Load the labeled data to evaluate on (the Data step), then import again.');

  const data = prepareClassifierData(session, base, { ...DEFAULT_TRAIN_CONFIG, maxSeqLength: args.maxSeqLength }, []);
  const adapterLabels = labelOrder(files.labels);
  let labelNames = data.labelNames;
  let validation = data.validation;
  if (adapterLabels) {
    const missing = data.labelNames.filter((l) => !adapterLabels.includes(l));
    const extra = adapterLabels.filter((l) => !data.labelNames.includes(l));
    if (missing.length > 0 || extra.length > 0) {
      throw new StudioError(
        'label-mismatch',
        `The adapter was trained for other labels: it knows ${adapterLabels.join(', ')}; this data has ${data.labelNames.join(', ')}${missing.length ? ` (new: ${missing.join(', ')})` : ''}. Import it with the data it was trained on.`,
      );
    }
    // The classifier's rows follow the adapter's label order: renumber the validation labels to match.
    const toAdapter = data.labelNames.map((l) => adapterLabels.indexOf(l));
    validation = data.validation.map((e) => ({ ...e, label: toAdapter[e.label] }));
    labelNames = adapterLabels;
  }
  const built = tryLoadModel(base.tensors, withLabels(data.config, labelNames), { task: 'SEQ_CLS', seed: 0, bank: sharedWeights(base) });
  if (!built.ok) throw new StudioError('bad-weights', `${base.modelId}: ${built.error}`);
  const model = built.value;
  const imported = tryImportPeftAdapter(model, { [ADAPTER_CONFIG_NAME]: files.config, [ADAPTER_WEIGHTS_NAME]: files.weights });
  if (!imported.ok) {
    model.dispose();
    const other = adapterBase !== base.modelId ? ` The adapter names ${adapterBase} as its base; the loaded model is ${base.modelId}.` : '';
    throw new StudioError('adapter-mismatch', `The adapter does not fit ${base.modelId}: ${imported.error}${other}`);
  }
  const adapter = imported.value;
  try {
    ctx.emit({ type: 'status', message: `Evaluating the imported adapter on ${validation.length} validation rows…` });
    const r = await evaluateSplit(model, adapter, validation, { batchSize: args.batchSize, padTokenId: data.padTokenId, numClasses: labelNames.length });
    session.trained = { modelId: base.modelId, labelNames, adapterConfigJson: files.config, adapterSafetensors: files.weights };
    return {
      fileName: args.file.name,
      adapterBase,
      modelId: base.modelId,
      r: config.r ?? 0,
      loraAlpha: config.lora_alpha ?? 0,
      targetModules: Array.isArray(config.target_modules) ? config.target_modules : [String(config.target_modules)],
      labelNames,
      examples: validation.length,
      valLoss: r.loss,
      valAccuracy: r.metrics.accuracy,
      macroF1: r.metrics.macroF1,
      confusion: r.metrics.confusion,
    };
  } finally {
    adapter.dispose();
    model.dispose();
  }
}
