// Step 4 for decoders: a prompt, sampling controls and the adapter-strength slider; the base model and the
// fine-tuned model answer the same prompt side by side, streamed token by token from the worker.
import { generateBoth, stopGeneration } from '../../state/lmActions';
import { useStudioStore } from '../../state/studioStore';
import { GenerationOutput } from './GenerationOutput';
import { SamplingControls } from './SamplingControls';

export function PlaygroundPanel() {
  const decoder = useStudioStore((s) => s.model?.tasks.includes('CAUSAL_LM') === true);
  const prompt = useStudioStore((s) => s.playPrompt);
  const strength = useStudioStore((s) => s.strength);
  const useTemplate = useStudioStore((s) => s.useTemplate);
  const genBase = useStudioStore((s) => s.genBase);
  const genTuned = useStudioStore((s) => s.genTuned);
  // The fine-tuned side: the last LM run's adapter, or an imported causal-LM adapter (issue 14) until a run replaces it.
  const imported = useStudioStore((s) => (s.lmPlaygroundImport && s.importedAdapter?.modelId === s.model?.modelId ? s.lmPlaygroundImport : null));
  const tuned = useStudioStore((s) => s.outcome?.lm != null) || imported !== null;
  const training = useStudioStore((s) => s.trainStatus === 'running' || s.trainStatus === 'stopping');
  const generating = genBase.status === 'running' || genTuned.status === 'running';
  if (!decoder) return null;
  return (
    <section className="panel" aria-labelledby="play-title" data-testid="playground">
      <h2 id="play-title">Playground: base vs fine-tuned</h2>
      <label className="block">
        Prompt
        <textarea aria-label="Prompt" rows={3} value={prompt} onChange={(e) => useStudioStore.setState({ playPrompt: e.target.value })} />
      </label>
      <div className="row">
        <label title="Wrap the prompt in the chat template used for training (one user turn).">
          <input
            type="checkbox"
            aria-label="Use the training template"
            checked={useTemplate}
            onChange={(e) => useStudioStore.setState({ useTemplate: e.target.checked })}
          />{' '}
          Use the training template
        </label>
        <label title="0 = base model, 1 = the adapter as trained: the LoRA update is scaled by this factor.">
          Adapter strength{' '}
          <input
            type="range"
            aria-label="Adapter strength"
            min={0}
            max={1}
            step={0.05}
            value={strength}
            disabled={!tuned}
            onChange={(e) => useStudioStore.setState({ strength: Number(e.target.value) })}
          />{' '}
          <output data-testid="strength-value">{strength.toFixed(2)}</output>
        </label>
      </div>
      <SamplingControls disabled={generating} />
      <div className="row">
        <button type="button" className="primary" disabled={training || generating || prompt.trim() === ''} onClick={() => void generateBoth()}>
          Generate
        </button>
        <button type="button" disabled={!generating} onClick={() => void stopGeneration()}>
          Stop generating
        </button>
        {!tuned && <span className="muted">Fine-tune on instruction data or domain text to compare with a tuned model.</span>}
      </div>
      <div className="gen-columns">
        <GenerationOutput title="Base model" gen={genBase} testId="gen-base" />
        {tuned && (
          <GenerationOutput
            title={`${imported ? `Imported adapter ${imported}` : 'Fine-tuned'} (strength ${strength.toFixed(2)})`}
            gen={genTuned}
            testId="gen-tuned"
          />
        )}
      </div>
    </section>
  );
}
