// recipeData (issue 14): the exact train / validation rows of the current split, the label order the studio
// trains with, and the LoRA target modules of the loaded model, for the Python recipe. Reads the session only.
import type { RecipeData } from '../../protocol/messages';
import { sortLabelNames } from '../../data/dataset';
import { tryParseModelConfig } from '../../model/config';
import { loraTargetPresets } from '../../model/targets';
import type { HandlerContext } from '../handlerContext';
import { StudioError } from '../userError';

export async function handleRecipeData(_args: Record<string, never>, { session }: HandlerContext): Promise<RecipeData> {
  if (!session.table || !session.split) throw new StudioError('no-data', "The recipe needs the run's data: drop or reopen its labeled CSV first.");
  if (!session.baseModel) throw new StudioError('no-model', 'The recipe needs the base model: load it in the Model step first.');
  const parsed = tryParseModelConfig(session.baseModel.configJson);
  if (!parsed.ok) throw new StudioError('unsupported-model', parsed.error);
  const { rows } = session.table.table;
  const pick = (i: number): [string, string] => [rows[i][session.textColumn], rows[i][session.labelColumn]];
  const train = session.split.train.map(pick);
  const validation = session.split.validation.map(pick);
  const presets = loraTargetPresets(parsed.value.modelType);
  return {
    modelId: session.baseModel.modelId,
    modelType: parsed.value.modelType,
    labelNames: sortLabelNames([...train, ...validation].map((r) => r[1])),
    train,
    validation,
    targetModules: { default: presets[0].targetModules, attention: presets[1].targetModules, 'all-linear': presets[2].targetModules },
    fanInFanOut: parsed.value.modelType === 'gpt2',
  };
}
