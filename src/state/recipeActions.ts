// The Python recipe zip (issue 14) of a run, or of the current settings: asks the worker for the split's exact rows
// and the model's LoRA targets, and zips what the pure recipe builder writes.
import { strToU8, zipSync } from 'fflate';
import { getStudioBridge, WorkerRequestError } from '../bridge/workerBridge';
import type { TrainConfig } from '../protocol/messages';
import { buildRecipeFiles } from '../recipe/pythonRecipe';
import { useStudioStore as store } from './studioStore';

/** HF's warmup share the studio's schedule uses (src/train/lrSchedule.ts DEFAULT_WARMUP_SHARE). */
const WARMUP_RATIO = 0.06;

export type RecipeZip = { fileName: string; bytes: Uint8Array } | { error: string };

/** Builds the recipe for `config` (a run's settings, or the form's) on the data and model loaded now. */
export async function buildRecipeZip(config: TrainConfig, runName: string, expect?: { modelId: string; datasetId: string }): Promise<RecipeZip> {
  const s = store.getState();
  if (s.lmTask !== 'classify') return { error: 'The Python recipe covers classification runs; instruction and domain-text recipes are not written yet.' };
  if (expect && s.dataset?.datasetId !== expect.datasetId)
    return { error: "Open this run's dataset first (Open in the dataset list above): the recipe carries its exact split." };
  try {
    const data = await getStudioBridge().call('recipeData', {});
    if (expect && data.modelId !== expect.modelId) return { error: `Load ${expect.modelId} in the Model step first: the recipe carries the run's base model.` };
    const model = s.model as (typeof s.model & { revision?: string }) | null;
    const files = buildRecipeFiles({
      runName,
      modelId: data.modelId,
      revision: model?.revision ?? 'main',
      modelType: data.modelType,
      config,
      targetModules: data.targetModules[config.loraTargets],
      fanInFanOut: data.fanInFanOut,
      labelNames: data.labelNames,
      train: data.train,
      validation: data.validation,
      warmupRatio: WARMUP_RATIO,
    });
    const zip = zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [`recipe/${name}`, strToU8(text)])));
    return { fileName: `${runName.replace(/[^\w.-]+/g, '_')}-python-recipe.zip`, bytes: zip };
  } catch (e) {
    return { error: e instanceof WorkerRequestError ? e.userError.message : String(e) };
  }
}

/** The recipe of the live run (its recorded config when the run is saved) or of the form's settings. */
export function liveRecipe(): Promise<RecipeZip> {
  const s = store.getState();
  const run = s.runs.find((r) => r.id === s.outcome?.runId);
  return buildRecipeZip(run?.config ?? s.trainConfig, run?.name ?? `${s.model?.modelId ?? 'model'}-${s.dataset?.fileName ?? 'data'}`);
}
