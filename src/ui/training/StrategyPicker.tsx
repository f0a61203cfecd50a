// Which weights train: head only, LoRA, LoRA + embeddings or full fine-tuning, one sentence each, with the
// recommendation for the loaded model. Unset means the worker picks the recommended one.
import type { FineTuneStrategy } from '../../protocol/messages';
import { FULL_FINE_TUNING_MAX_PARAMETERS, OFFLINE_DEFAULT_STRATEGY } from '../../protocol/defaultModel';
import { updateTrainConfig } from '../../state/actions';
import { useStudioStore } from '../../state/studioStore';
import { recommendStrategy, STRATEGY_LABELS, STRATEGY_SENTENCES } from './strategyText';

const ORDER: FineTuneStrategy[] = ['head', 'lora', 'lora-embeddings', 'full'];

export function StrategyPicker({ disabled }: { disabled: boolean }) {
  const loaded = useStudioStore((s) => s.model);
  const embeddedChosen = useStudioStore((s) => s.modelChoice.kind === 'embedded');
  // The offline default loads when training starts; it is a small BERT that is not pretrained.
  const model = loaded ?? (embeddedChosen ? { pretrained: false, modelType: 'bert', parameterCount: 0 } : null);
  const chosen = useStudioStore((s) => s.trainConfig.strategy);
  const rec = recommendStrategy(model, OFFLINE_DEFAULT_STRATEGY);
  // Unset: what the worker trains by default (the measured strategy on the offline default, LoRA elsewhere).
  const value = chosen ?? (embeddedChosen ? OFFLINE_DEFAULT_STRATEGY : 'lora');
  const trainsBase = model === null || model.modelType === 'bert' || model.modelType === 'roberta';
  const available = (s: FineTuneStrategy) =>
    s === 'head' || s === 'lora' || (trainsBase && (s !== 'full' || (model?.parameterCount ?? 0) <= FULL_FINE_TUNING_MAX_PARAMETERS));
  return (
    <fieldset className="strategy-picker" data-testid="strategy-picker" disabled={disabled}>
      <legend>What trains</legend>
      {ORDER.map((s) => (
        <label key={s} title={STRATEGY_SENTENCES[s]} className={available(s) ? '' : 'muted'}>
          <input
            type="radio"
            name="strategy"
            value={s}
            aria-label={STRATEGY_LABELS[s]}
            checked={value === s}
            disabled={!available(s)}
            onChange={() => updateTrainConfig({ strategy: s })}
          />{' '}
          <strong>{STRATEGY_LABELS[s]}</strong>
          {s === rec.strategy && <em> (recommended)</em>}: <span className="muted">{STRATEGY_SENTENCES[s]}</span>
          {!available(s) && (
            <span className="muted"> Not available for this model{trainsBase ? ' (too large for full fine-tuning in a browser tab)' : ' family'}.</span>
          )}
        </label>
      ))}
      <p className="muted" data-testid="strategy-recommendation">
        Recommended: {STRATEGY_LABELS[rec.strategy]}. {rec.why}
      </p>
    </fieldset>
  );
}
