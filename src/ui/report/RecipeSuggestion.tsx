// In the Train step (issue 14): when the data or the model is more than a browser tab trains in reasonable time,
// say so and offer the Python recipe for the current settings.
import { useState } from 'react';
import { liveRecipe } from '../../state/recipeActions';
import { useStudioStore } from '../../state/studioStore';
import { saveBytes } from '../common/saveBytes';

/** Above these the studio suggests the recipe: a tab trains about 10k short rows per epoch in minutes, and models
 * past ~150M parameters (or a tight memory estimate) train slowly or not at all. */
export const RECIPE_ROWS = 20_000;
export const RECIPE_PARAMS = 150e6;

export function RecipeSuggestion() {
  const rows = useStudioStore((s) => s.split?.train ?? 0);
  const params = useStudioStore((s) => s.model?.parameterCount ?? s.modelEstimate?.parameterCount ?? 0);
  const tight = useStudioStore((s) => s.modelEstimate?.verdict === 'tight' || s.modelEstimate?.verdict === 'wont-fit');
  const classify = useStudioStore((s) => s.lmTask === 'classify');
  const [error, setError] = useState<string | null>(null);
  if (!classify || !(rows > RECIPE_ROWS || params > RECIPE_PARAMS || tight)) return null;
  const why = rows > RECIPE_ROWS ? `${rows.toLocaleString()} training rows` : tight ? 'a tight memory estimate for this device' : `${(params / 1e6).toFixed(0)}M parameters`;
  return (
    <div className="notice notice-info" data-testid="recipe-suggestion">
      <strong>Big job for a browser ({why}).</strong> It may train slowly here. The Python recipe runs the same split and
      settings with transformers + PEFT on a GPU machine (several GPUs with <code>accelerate launch</code>).{' '}
      <button
        type="button"
        onClick={async () => {
          const res = await liveRecipe();
          if ('error' in res) setError(res.error);
          else saveBytes(res.bytes, res.fileName);
        }}
      >
        Download the Python recipe
      </button>
      {error && <span className="muted"> {error}</span>}
    </div>
  );
}
