// Hyperparameters with sensible defaults; each field says what it does in its tooltip. Every setting means the
// same for every task; one that a task does not use is not shown, and the worker's validator checks them here too.
// The simple view shows the few settings that matter; the advanced view every one.
import type { TrainConfig } from '../../protocol/messages';
import { settingApplies, trainConfigProblem } from '../../protocol/trainConfig';
import { updateTrainConfig } from '../../state/actions';
import { useStudioStore } from '../../state/studioStore';

type NumericKey = { [K in keyof TrainConfig]-?: TrainConfig[K] extends number ? K : never }[keyof TrainConfig];
type Field = { key: NumericKey; label: string; step: number; min: number; max: number; hint: string };

const FIELDS: Field[] = [
  { key: 'learningRate', label: 'Learning rate', step: 1e-4, min: 1e-7, max: 1, hint: 'Too high: loss jumps or NaN. Too low: loss barely moves.' },
  { key: 'batchSize', label: 'Batch size', step: 1, min: 1, max: 256, hint: 'Examples per optimizer step.' },
  { key: 'epochs', label: 'Epochs', step: 1, min: 1, max: 100, hint: 'Passes over the training split. More epochs risk overfitting.' },
  {
    key: 'maxSeqLength',
    label: 'Max tokens',
    step: 8,
    min: 8,
    max: 8192,
    hint: "Longer texts are truncated to this many tokens (at most the model's max_position_embeddings).",
  },
  { key: 'loraR', label: 'LoRA rank r', step: 1, min: 1, max: 256, hint: 'Size of the adapter update.' },
  { key: 'loraAlpha', label: 'LoRA alpha', step: 1, min: 1, max: 512, hint: 'The update is scaled by alpha / r.' },
  { key: 'loraDropout', label: 'LoRA dropout', step: 0.05, min: 0, max: 0.9, hint: 'Dropout on the adapter input while training.' },
  { key: 'weightDecay', label: 'Weight decay', step: 0.01, min: 0, max: 1, hint: 'Decoupled (AdamW) decay of the trainable weights.' },
  { key: 'seed', label: 'Seed', step: 1, min: 0, max: 2 ** 31 - 1, hint: 'Same seed, same data order and adapter init.' },
  {
    key: 'evalEverySteps',
    label: 'Validate every N steps (0 = 4x per epoch)',
    step: 1,
    min: 0,
    max: 100000,
    hint: 'Evaluate on the validation split every N optimizer steps; 0 = four times per epoch. Always also at step 0 and at the end.',
  },
  {
    key: 'gradAccumSteps',
    label: 'Gradient accumulation',
    step: 1,
    min: 1,
    max: 64,
    hint: 'Micro-batches summed per optimizer step: effective batch = batch size x this. Same memory as one micro-batch.',
  },
  {
    key: 'checkpointEverySteps',
    label: 'Checkpoint every N steps (0 = at each validation)',
    step: 1,
    min: 0,
    max: 100000,
    hint: 'Save a resumable checkpoint (adapter, optimizer state, data position) every N steps; 0 = at every validation. The best validation is always saved. A reload then resumes from the latest.',
  },
  {
    key: 'fewShotK',
    label: 'Few-shot k',
    step: 1,
    min: 0,
    max: 64,
    hint: 'Examples per class for the few-shot baseline measured before training (nearest class centroid of the base model). 0 = skip.',
  },
];

const EARLY_FIELDS: Field[] = [
  {
    key: 'patience',
    label: 'Patience',
    step: 1,
    min: 1,
    max: 100,
    hint: 'Evaluations without improvement before stopping (4 = one epoch at the default cadence).',
  },
  {
    key: 'minDelta',
    label: 'Min delta',
    step: 1e-3,
    min: 0,
    max: 1,
    hint: 'A validation-loss improvement smaller than this does not count (nats of cross-entropy).',
  },
];

function NumberField({ f, value, disabled }: { f: Field; value: number; disabled: boolean }) {
  return (
    <label title={f.hint}>
      {f.label}
      <input
        type="number"
        aria-label={f.label}
        value={value}
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
  );
}

/** The settings of the simple view; the rest keep their model-aware defaults. */
const SIMPLE_KEYS: ReadonlySet<NumericKey> = new Set<NumericKey>(['learningRate', 'epochs', 'batchSize', 'maxSeqLength', 'loraR']);

function FormModeSwitch() {
  const mode = useStudioStore((s) => s.trainFormMode);
  return (
    <fieldset className="form-mode" data-testid="form-mode">
      <legend className="visually-hidden">Training settings shown</legend>
      {(['simple', 'advanced'] as const).map((m) => (
        <label key={m}>
          <input type="radio" name="train-form-mode" value={m} checked={mode === m} onChange={() => useStudioStore.setState({ trainFormMode: m })} />{' '}
          {m === 'simple' ? 'Simple settings' : 'All settings (advanced)'}
        </label>
      ))}
      {mode === 'simple' && <span className="muted">The other settings keep the defaults for this model and task.</span>}
    </fieldset>
  );
}

export function HyperparameterForm({ disabled }: { disabled: boolean }) {
  const config = useStudioStore((s) => s.trainConfig);
  const task = useStudioStore((s) => s.lmTask);
  const maxPositions = useStudioStore((s) => s.model?.maxPositions ?? null);
  const problem = trainConfigProblem(config, { maxPositions: maxPositions ?? 1_000_000 });
  const simple = useStudioStore((s) => s.trainFormMode === 'simple');
  return (
    <>
      <FormModeSwitch />
      <div className="grid-form">
        {problem && (
          <p className="muted" role="alert" data-testid="config-problem">
            {problem}
          </p>
        )}
        {FIELDS.filter((f) => settingApplies(f.key, task) && (!simple || SIMPLE_KEYS.has(f.key))).map((f) => (
          <NumberField key={f.key} f={f.key === 'maxSeqLength' && maxPositions ? { ...f, max: maxPositions } : f} value={config[f.key]} disabled={disabled} />
        ))}
        {!simple && (
          <>
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
            <label title="How the learning rate falls after the warmup: linearly to 0, or along a half cosine (gentler at the start and the end).">
              LR decay
              <select
                aria-label="LR decay"
                value={config.lrDecay}
                disabled={disabled}
                onChange={(e) => updateTrainConfig({ lrDecay: e.target.value as TrainConfig['lrDecay'] })}
              >
                <option value="linear">Linear</option>
                <option value="cosine">Cosine</option>
              </select>
            </label>
            <label title="Stop when validation loss has not improved by min delta for `patience` evaluations, and restore the best adapter.">
              Early stopping
              <span>
                <input
                  type="checkbox"
                  aria-label="Early stopping"
                  checked={config.earlyStopping}
                  disabled={disabled}
                  onChange={(e) => updateTrainConfig({ earlyStopping: e.target.checked })}
                />{' '}
                {config.earlyStopping ? 'on' : 'off'}
              </span>
            </label>
            {EARLY_FIELDS.map((f) => (
              <NumberField key={f.key} f={f} value={config[f.key]} disabled={disabled || !config.earlyStopping} />
            ))}
          </>
        )}
      </div>
    </>
  );
}
