// Loads a base model into the session (the loadModel request and a resumed run use it): fetch config.json, the tokenizer and the weights (model.safetensors or shards; embedded, hub or a local
// folder), refuse a model that won't fit before the download, and move the weights onto the device once (the JS copy is released; every run shares them).
import type { ModelPlan, ModelSource, ModelSummary } from '../protocol/messages';
import { loadCheckpointWeights } from '../model/checkpoint';
import { SUPPORTED_TASKS } from '../model/loadModel';
import { modelSanityProblem } from '../model/sanity';
import { bankWeights } from '../model/weightBank';
import { weightsProblem } from '../hub/hubErrors';
import { HubError } from '../hub/hubFiles';
import type { TokenizerWithNotes } from '../tokenize/tokenizerFallbacks';
import type { HandlerContext } from './handlerContext';
import { StudioError } from './userError';
import { estimateFor, hubFailure, readModelConfig, tooLargeError } from './modelFit';
import { modelFiles } from './modelSources';

export async function loadBaseModel(args: { source: ModelSource; plan?: ModelPlan }, ctx: HandlerContext): Promise<ModelSummary> {
  const { source } = args;
  if (ctx.session.training) throw new StudioError('busy', 'Stop the running training before loading another model.');
  const modelId = source.kind === 'hub' ? source.modelId : source.name;
  if (source.kind === 'hub' && !/^[\w.-]+(\/[\w.-]+)?$/.test(modelId)) {
    throw new StudioError('bad-model-id', `"${modelId}" is not a Hugging Face model id; it looks like "organisation/model-name".`);
  }
  const files = modelFiles(source, ctx);
  const snapshot = await files.snapshot().catch(hubFailure);
  const { configJson, config: c } = await readModelConfig(files);

  // Refuse a model that cannot fit before the big download (config math only; the page shows the full estimate).
  if (args.plan) {
    const estimate = await estimateFor(files, c, args.plan, false);
    if (estimate.verdict === 'wont-fit') throw tooLargeError(estimate);
  }
  const noWeights = snapshot ? weightsProblem(modelId, snapshot.files) : null;
  if (noWeights) throw new StudioError('missing-weights', noWeights);

  let loaded: TokenizerWithNotes;
  try {
    loaded = await files.loadTokenizer(configJson);
  } catch (e) {
    if (e instanceof HubError) hubFailure(e);
    const missing = await files.missingTokenizerFiles().catch(() => []);
    if (missing.length > 0) {
      throw new StudioError(
        'missing-tokenizer',
        `${modelId} has no ${missing.join(' and no ')}: the studio needs the fast tokenizer file tokenizer.json next to config.json (tokenizer_config.json is optional). Pick a checkpoint that publishes it, or add it to the folder.`,
      );
    }
    throw new StudioError(
      'missing-tokenizer',
      `Could not load the tokenizer of ${modelId} (${e instanceof Error ? e.message : String(e)}). ` +
        'The studio needs tokenizer.json next to config.json; pick a checkpoint that publishes it.',
    );
  }
  const { tokenizer, notes: tokenizerNotes } = loaded;

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
  const insane = modelSanityProblem(tensors, c); // NaN weights, config/weights mismatch: refused now, not at training
  if (insane) throw new StudioError('bad-weights', `${modelId}: ${insane}`);

  let parameterCount = 0;
  for (const t of tensors.values()) parameterCount += t.data.length;
  ctx.session.disposeLmLive(); // the playground's decoder belonged to the previous model
  ctx.session.releaseBaseModel(); // its device weights go before this model's arrive
  const banked = bankWeights(tensors, c); // onto the device once; the JS copy is released
  if (!banked.ok) throw new StudioError('bad-weights', `${modelId}: ${banked.error}`);
  ctx.session.baseModel = {
    modelId,
    configJson,
    tensors,
    weights: banked.value,
    tokenizer,
    pretrained: source.kind !== 'embedded' && configJson._studio_note === undefined,
    revision: snapshot?.commit ?? null,
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
    tasks: [...SUPPORTED_TASKS[c.modelType]],
    pretrained: ctx.session.baseModel.pretrained,
    note: typeof configJson._studio_note === 'string' ? configJson._studio_note : null,
    checkpoint: { files: layout.files, storedDtypes, tiedHead },
    revision: snapshot ? { requested: snapshot.revision, commit: snapshot.commit } : null,
    tokenizerNotes,
  };
}
