// estimateModel: the memory estimate for a model before its weights are downloaded (the math lives in modelFit.ts).
import type { ModelEstimate, ModelPlan, ModelSource } from '../../protocol/messages';
import { weightsProblem } from '../../hub/hubErrors';
import type { HandlerContext } from '../handlerContext';
import { estimateFor, readModelConfig } from '../modelFit';
import { modelFiles } from '../modelSources';
import { StudioError } from '../userError';

export async function handleEstimateModel(args: { source: ModelSource; plan: ModelPlan }, ctx: HandlerContext): Promise<ModelEstimate> {
  const files = modelFiles(args.source, ctx);
  const { config } = await readModelConfig(files);
  const estimate = await estimateFor(files, config, args.plan, true);
  if (estimate.verdict === 'wont-fit') return estimate; // the page refuses it with the reasons
  const snapshot = await files.snapshot();
  const noWeights = snapshot ? weightsProblem(files.modelId, snapshot.files) : null;
  if (noWeights) throw new StudioError('missing-weights', noWeights);
  return estimate;
}
