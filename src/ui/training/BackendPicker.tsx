// Which tfjs backend trains, why it was chosen, and a way to override the choice.
import type { BackendPreference } from '../../protocol/messages';
import { chooseBackend } from '../../state/actions';
import { useStudioStore } from '../../state/studioStore';

const CHOICES: { value: BackendPreference; label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'wasm', label: 'WebAssembly (CPU, SIMD)' },
  { value: 'cpu', label: 'Plain JavaScript CPU (slowest)' },
];

export function BackendPicker({ disabled }: { disabled: boolean }) {
  const preference = useStudioStore((s) => s.backendPreference);
  const backend = useStudioStore((s) => s.backend);
  return (
    <div className="row">
      <label>
        Compute backend{' '}
        <select value={preference} disabled={disabled} onChange={(e) => void chooseBackend(e.target.value as BackendPreference)}>
          {CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      {backend && (
        <span data-testid="backend-info">
          Running on <strong data-testid="backend-name">{backend.backend}</strong>: {backend.reason}
        </span>
      )}
    </div>
  );
}
