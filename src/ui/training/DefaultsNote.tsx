// One line per model/task-aware default (learning rate, epochs, max tokens, batch size): the suggested value and why, and
// whether the form uses it or the user's own value (with a button to go back to the suggestion).
import { DEFAULT_KEYS, type DefaultKey } from '../../state/defaultsActions';
import { useStudioStore } from '../../state/studioStore';
import { updateTrainConfig } from '../../state/actions';

const LABELS: Record<DefaultKey, string> = { learningRate: 'Learning rate', epochs: 'Epochs', maxSeqLength: 'Max tokens', batchSize: 'Batch size' };

export function DefaultsNote({ disabled }: { disabled: boolean }) {
  const d = useStudioStore((s) => s.trainDefaults);
  const config = useStudioStore((s) => s.trainConfig);
  if (!d) return null;
  return (
    <ul className="muted defaults-note" data-testid="train-defaults">
      {DEFAULT_KEYS.map((k) => {
        const own = config[k] !== d[k].value;
        return (
          <li key={k} data-testid={`default-${k}`} data-value={d[k].value} data-overridden={own ? 'true' : 'false'}>
            Suggested {LABELS[k].toLowerCase()} {d[k].reason}
            {own && (
              <>
                {' '}
                You use {config[k]}.{' '}
                <button type="button" className="link" disabled={disabled} onClick={() => updateTrainConfig({ [k]: d[k].value })}>
                  Use {d[k].value}
                </button>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
