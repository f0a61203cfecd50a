// In the Train step (issue 14): when the data or the model is more than a browser tab trains in reasonable time,
// say so and offer the Python recipe for the current settings.
import { useState } from 'react';
import { recipeReason } from '../../recipe/suggest';
import { liveRecipe } from '../../state/recipeActions';
import { useStudioStore } from '../../state/studioStore';
import { saveBytes } from '../common/saveBytes';

export function RecipeSuggestion() {
  const rows = useStudioStore((s) => s.split?.train ?? 0);
  const params = useStudioStore((s) => s.model?.parameterCount ?? s.modelEstimate?.parameterCount ?? 0);
  const verdict = useStudioStore((s) => s.modelEstimate?.verdict ?? null);
  const classify = useStudioStore((s) => s.lmTask === 'classify');
  const [error, setError] = useState<string | null>(null);
  const why = classify ? recipeReason(rows, params, verdict) : null;
  if (!why) return null;
  return (
    <div className="notice notice-info" data-testid="recipe-suggestion">
      <strong>Big job for a browser ({why}).</strong> It may train slowly here. The Python recipe runs the same split and settings with transformers + PEFT on a
      GPU machine (several GPUs with <code>accelerate launch</code>).{' '}
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
