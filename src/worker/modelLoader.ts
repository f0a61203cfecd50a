// Loads a base model into the session (the loadModel request and a resumed run use it): fetch config.json, the tokenizer and the weights (model.safetensors or shards; embedded, hub or a local
// folder), refuse a model that won't fit before the download, and keep the raw F32 weights for training runs.
import type { ModelPlan, ModelSource, ModelSummary } from '../protocol/messages';
import { loadCheckpointWeights } from '../model/checkpoint';
import type { PreTrainedTokenizer } from '../tokenize/tokenizer';
import type { HandlerContext } from './handlerContext';
import { StudioError } from './userError';
import { estimateFor, hubFailure, readModelConfig, tooLargeError } from './handlers/modelEstimate';
import { modelFiles } from './handlers/modelSources';

export async function loadBaseModel(args: { source: ModelSource; plan?: ModelPlan }, ctx: HandlerContext): Promise<ModelSummary> {
  const { source } = args;
  if (ctx.session.training) throw new StudioError('busy', 'Stop the running training before loading another model.');
  const modelId = source.kind === 'hub' ? source.modelId : source.name;
  if (source.kind === 'hub' && !/^[\w.-]+(\/[\w.-]+)?$/.test(modelId)) {
    throw new StudioError('bad-model-id', `"${modelId}" is not a Hugging Face model id; it looks like "organisation/model-name".`);
  }
  const files = modelFiles(source, ctx);
  const { configJson, config: c } = await readModelConfig(files);

  // Refuse a model that cannot fit before the big download (config math only; the page shows the full estimate).
  if (args.plan) {
    const estimate = await estimateFor(files, c, args.plan, false);
    if (estimate.verdict === 'wont-fit') throw tooLargeError(estimate);
  }

  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = await files.loadTokenizer();
  } catch (e) {
    const missing = await files.missingTokenizerFiles().catch(() => []);
    if (missing.length > 0) {
      throw new StudioError(
        'missing-tokenizer',
        `${modelId} has no ${missing.join(' and no ')}: the studio needs the fast tokenizer files (tokenizer.json and tokenizer_config.json) next to config.json. Pick a checkpoint that publishes them, or add them to the folder.`,
      );
    }
    throw new StudioError(
      'missing-tokenizer',
      `Could not load the tokenizer of ${modelId} (${e instanceof Error ? e.message : String(e)}). ` +
        'The studio needs tokenizer.json and tokenizer_config.json next to config.json; pick a checkpoint that publishes them.',
    );
  }

  let weights;
  try {
    weights = await loadCheckpointWeights(files, modelId, c);
  } catch (e) {
    if (files.isNotFound(e) && source.kind === 'local') {
      throw new StudioError(
        'missing-weights',
        `${modelId}: ${(e as Error).message}. The folder needs model.safetensors, or model.safetensors.index.json with every shard it names (PyTorch .bin files must be converted to safetensors first).`,
      );
    }
    hubFailure(e);
  }
  if (!weights.ok) throw new StudioError('bad-weights', weights.error);
  const { tensors, layout, storedDtypes, tiedHead } = weights.value;

  let parameterCount = 0;
  for (const t of tensors.values()) parameterCount += t.data.length;
  ctx.session.disposeLmLive(); // the playground's decoder belonged to the previous model
  ctx.session.baseModel = {
    modelId,
    configJson,
    tensors,
    tokenizer,
    pretrained: source.kind !== 'embedded' && configJson._studio_note === undefined,
  };
  return {
    modelId,
    modelType: String(configJson.model_type),
    hiddenSize: c.hiddenSize,
    numLayers: c.numHiddenLayers,
    numHeads: c.numAttentionHeads,
    vocabSize: c.vocabSize,
    maxPositions: c.maxPositionEmbeddings,
    parameterCount,
    pretrained: ctx.session.baseModel.pretrained,
    note: typeof configJson._studio_note === 'string' ? configJson._studio_note : null,
    checkpoint: { files: layout.files, storedDtypes, tiedHead },
  };
}
