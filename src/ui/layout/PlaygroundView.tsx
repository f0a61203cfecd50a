// The Playground step: the decoder playground, the classification playground (a run's or an imported adapter,
// issue 14), or what it needs when neither applies.
import { useStudioStore } from '../../state/studioStore';
import { PlaygroundPanel } from '../playground/PlaygroundPanel';
import { ClassifyPlayground, useClassifyChoices } from '../playground/ClassifyPlayground';

const DECODERS = ['gpt2', 'llama', 'qwen2'];

export function PlaygroundView() {
  const decoder = useStudioStore((s) => s.model !== null && DECODERS.includes(s.model.modelType));
  const classifiers = useClassifyChoices().length > 0;
  const lmTask = useStudioStore((s) => s.lmTask !== 'classify');
  if (decoder && (lmTask || !classifiers)) return <PlaygroundPanel />;
  if (classifiers) return <ClassifyPlayground />;
  return (
    <section className="panel" aria-labelledby="play-empty-title">
      <h2 id="play-empty-title">Playground</h2>
      <p className="muted" data-testid="playground-empty">
        The playground generates text with the base and the fine-tuned model side by side. It needs a decoder (GPT-2, Llama, SmolLM2, Qwen2): choose one in the{' '}
        <a href="#/model">Model</a> step, and instruction data or domain text in <a href="#/data">Data</a>. For a classifier it predicts labels once a run has
        trained an adapter or one is imported in <a href="#/runs">Runs</a>.
      </p>
    </section>
  );
}
