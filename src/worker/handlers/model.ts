// loadModel: the base model for training, the playground and the estimate (the loader lives in modelLoader.ts).
import type { ModelPlan, ModelSource, ModelSummary } from '../../protocol/messages';
import type { HandlerContext } from '../handlerContext';
import { loadBaseModel } from '../modelLoader';

export const handleLoadModel = (args: { source: ModelSource; plan?: ModelPlan }, ctx: HandlerContext): Promise<ModelSummary> => loadBaseModel(args, ctx);
