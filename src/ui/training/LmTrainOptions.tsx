// Causal-LM options beside the hyperparameters: train on the prompt too, exact-match sample size, few-shot k.
import { runFewShot, setLmOptions } from '../../state/lmActions';
import { useStudioStore } from '../../state/studioStore';

export function LmTrainOptions({ disabled }: { disabled: boolean }) {
  const task = useStudioStore((s) => s.lmTask);
  const trainOnPrompt = useStudioStore((s) => s.trainOnPrompt);
  const exact = useStudioStore((s) => s.exactMatchSamples);
  const k = useStudioStore((s) => s.fewShotK);
  const fewShotRunning = useStudioStore((s) => s.fewShotStatus === 'running');
  const decoder = useStudioStore((s) => s.model?.tasks.includes('CAUSAL_LM') === true);
  return (
    <div className="grid-form" data-testid="lm-options">
      {task === 'instruction' && (
        <>
          <label title="Also compute the loss on the prompt tokens (default: only the completion and its EOS).">
            <input
              type="checkbox"
              aria-label="Train on the prompt too"
              checked={trainOnPrompt}
              disabled={disabled}
              onChange={(e) => setLmOptions({ trainOnPrompt: e.target.checked })}
            />{' '}
            Train on the prompt too
          </label>
          <label title="Validation examples completed greedily at each validation to measure exact match (0 = off).">
            Exact-match samples
            <input
              type="number"
              aria-label="Exact-match samples"
              min={0}
              max={64}
              value={exact}
              disabled={disabled}
              onChange={(e) => setLmOptions({ exactMatchSamples: Math.max(0, Math.floor(Number(e.target.value) || 0)) })}
            />
          </label>
        </>
      )}
      <label title="Training examples put in the prompt for the in-context baseline.">
        Few-shot k
        <input
          type="number"
          aria-label="Few-shot k"
          min={0}
          max={16}
          value={k}
          disabled={disabled}
          onChange={(e) => setLmOptions({ fewShotK: Math.max(0, Math.floor(Number(e.target.value) || 0)) })}
        />
      </label>
      <button
        type="button"
        disabled={disabled || fewShotRunning || !decoder}
        onClick={() => void runFewShot()}
        title={decoder ? 'Evaluate k-shot prompting of the base model on the validation split' : 'Load a decoder model (GPT-2, Llama, Qwen2) first'}
      >
        {fewShotRunning ? 'Few-shot baseline…' : 'Run few-shot baseline'}
      </button>
    </div>
  );
}
