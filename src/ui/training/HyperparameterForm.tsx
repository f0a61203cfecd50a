// Hyperparameters with sensible defaults; each field says what it does in its tooltip.
import type { TrainConfig } from '../../protocol/messages';
import { updateTrainConfig } from '../../state/actions';
import { useStudioStore } from '../../state/studioStore';

type NumericKey = { [K in keyof TrainConfig]: TrainConfig[K] extends number ? K : never }[keyof TrainConfig];
type Field = { key: NumericKey; label: string; step: number; min: number; max: number; hint: string };

const FIELDS: Field[] = [
  { key: 'learningRate', label: 'Learning rate', step: 1e-4, min: 1e-7, max: 1, hint: 'Too high: loss jumps or NaN. Too low: loss barely moves.' },
  { key: 'batchSize', label: 'Batch size', step: 1, min: 1, max: 256, hint: 'Examples per optimizer step.' },
  { key: 'epochs', label: 'Epochs', step: 1, min: 1, max: 100, hint: 'Passes over the training split. More epochs risk overfitting.' },
  { key: 'maxSeqLength', label: 'Max tokens', step: 8, min: 8, max: 512, hint: 'Longer texts are truncated to this many tokens.' },
  { key: 'loraR', label: 'LoRA rank r', step: 1, min: 1, max: 256, hint: 'Size of the adapter update.' },
  { key: 'loraAlpha', label: 'LoRA alpha', step: 1, min: 1, max: 512, hint: 'The update is scaled by alpha / r.' },
  { key: 'loraDropout', label: 'LoRA dropout', step: 0.05, min: 0, max: 0.9, hint: 'Dropout on the adapter input while training.' },
  { key: 'weightDecay', label: 'Weight decay', step: 0.01, min: 0, max: 1, hint: 'Decoupled (AdamW) decay of the trainable weights.' },
  { key: 'seed', label: 'Seed', step: 1, min: 0, max: 2 ** 31 - 1, hint: 'Same seed, same data order and adapter init.' },
  { key: 'evalEverySteps', label: 'Validate every N steps', step: 1, min: 0, max: 100000, hint: '0 = once per epoch.' },
];

export function HyperparameterForm({ disabled }: { disabled: boolean }) {
  const config = useStudioStore((s) => s.trainConfig);
  return (
    <div className="grid-form">
      {FIELDS.map((f) => (
        <label key={f.key} title={f.hint}>
          {f.label}
          <input
            type="number"
            aria-label={f.label}
            value={config[f.key]}
            step={f.step}
            min={f.min}
            max={f.max}
            disabled={disabled}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (Number.isFinite(v)) updateTrainConfig({ [f.key]: v });
            }}
          />
        </label>
      ))}
      <label title="Which layers get a LoRA adapter. More layers: more capacity, slower steps.">
        LoRA layers
        <select
          aria-label="LoRA layers"
          value={config.loraTargets}
          disabled={disabled}
          onChange={(e) => updateTrainConfig({ loraTargets: e.target.value as TrainConfig['loraTargets'] })}
        >
          <option value="default">PEFT default (e.g. query, value)</option>
          <option value="attention">All attention projections</option>
          <option value="all-linear">All linear layers</option>
        </select>
      </label>
    </div>
  );
}
