// The Playground step: the decoder playground, or what it needs when the model is not a decoder.
import { useStudioStore } from '../../state/studioStore';
import { PlaygroundPanel } from '../playground/PlaygroundPanel';

const DECODERS = ['gpt2', 'llama', 'qwen2'];

export function PlaygroundView() {
  const decoder = useStudioStore((s) => s.model !== null && DECODERS.includes(s.model.modelType));
  if (decoder) return <PlaygroundPanel />;
  return (
    <section className="panel" aria-labelledby="play-empty-title">
      <h2 id="play-empty-title">Playground</h2>
      <p className="muted" data-testid="playground-empty">
        The playground generates text with the base and the fine-tuned model side by side. It needs a decoder (GPT-2, Llama, SmolLM2, Qwen2): choose one in the{' '}
        <a href="#/model">Model</a> step, and instruction data or domain text in <a href="#/data">Data</a>.
      </p>
    </section>
  );
}
