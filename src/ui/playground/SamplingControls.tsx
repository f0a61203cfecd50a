// Sampling settings of the playground: greedy or sampled (temperature, top-k, top-p), max new tokens, seed.
import type { SamplingView } from '../../protocol/messages';
import { useStudioStore } from '../../state/studioStore';

type NumKey = Exclude<keyof SamplingView, 'greedy'>;
const FIELDS: { key: NumKey; label: string; step: number; min: number; max: number; sampledOnly: boolean }[] = [
  { key: 'maxNewTokens', label: 'Max new tokens', step: 1, min: 1, max: 512, sampledOnly: false },
  { key: 'temperature', label: 'Temperature', step: 0.05, min: 0.05, max: 5, sampledOnly: true },
  { key: 'topK', label: 'Top-k', step: 1, min: 0, max: 1000, sampledOnly: true },
  { key: 'topP', label: 'Top-p', step: 0.01, min: 0.01, max: 1, sampledOnly: true },
  { key: 'seed', label: 'Sampling seed', step: 1, min: 0, max: 2 ** 31 - 1, sampledOnly: true },
];

const setSampling = (patch: Partial<SamplingView>) => useStudioStore.setState((s) => ({ sampling: { ...s.sampling, ...patch } }));

export function SamplingControls({ disabled }: { disabled: boolean }) {
  const sampling = useStudioStore((s) => s.sampling);
  return (
    <div className="grid-form">
      <label title="Always pick the most likely next token (deterministic).">
        <input type="checkbox" aria-label="Greedy" checked={sampling.greedy} disabled={disabled} onChange={(e) => setSampling({ greedy: e.target.checked })} />{' '}
        Greedy
      </label>
      {FIELDS.map((f) => (
        <label key={f.key}>
          {f.label}
          <input
            type="number"
            aria-label={f.label}
            value={sampling[f.key]}
            step={f.step}
            min={f.min}
            max={f.max}
            disabled={disabled || (f.sampledOnly && sampling.greedy)}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (Number.isFinite(v)) setSampling({ [f.key]: v });
            }}
          />
        </label>
      ))}
    </div>
  );
}
