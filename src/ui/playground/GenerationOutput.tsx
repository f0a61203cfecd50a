// One side of the playground: the streamed text of the base or the fine-tuned model, with its speed.
import type { GenView } from '../../state/slices/lmSlice';

export function GenerationOutput({ title, gen, testId }: { title: string; gen: GenView; testId: string }) {
  return (
    <div className="gen-output" data-testid={testId} data-status={gen.status} data-tokens={gen.tokens}>
      <h3>{title}</h3>
      <pre className="gen-text" data-testid={`${testId}-text`}>
        {gen.text || (gen.status === 'running' ? '…' : '')}
      </pre>
      <p className="muted">
        {gen.status === 'running' && `${gen.tokens} tokens…`}
        {gen.status === 'done' && `${gen.tokens} tokens, ${gen.tokensPerSecond?.toFixed(1)} tokens/s, stopped: ${gen.stopReason}`}
        {gen.status === 'error' && gen.error}
      </p>
    </div>
  );
}
