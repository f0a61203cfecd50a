// The search space (comma-separated value lists), the strategy and the budget.
import type { SearchSettings } from '../../state/slices/trainingSlice';
import { gridSize, searchSpaceFrom, updateSearchSettings } from '../../state/trainingActions';
import { useStudioStore } from '../../state/studioStore';

type ListKey = 'learningRate' | 'batchSize' | 'epochs' | 'loraR' | 'loraAlpha' | 'strategies';
const LISTS: { key: ListKey; label: string; hint: string }[] = [
  { key: 'learningRate', label: 'Learning rates', hint: 'e.g. 1e-3, 5e-3, 2e-2. The most important knob: try values a factor 3-10 apart.' },
  { key: 'batchSize', label: 'Batch sizes', hint: 'Whole numbers, e.g. 8, 16.' },
  { key: 'epochs', label: 'Epochs to try', hint: 'Whole numbers; early stopping still applies within each trial.' },
  { key: 'loraR', label: 'LoRA ranks', hint: 'Whole numbers, e.g. 4, 8, 16.' },
  { key: 'loraAlpha', label: 'LoRA alphas', hint: 'The update is scaled by alpha / r.' },
  { key: 'strategies', label: 'Fine-tuning strategies', hint: 'Empty = the one chosen above; or e.g. lora, lora-embeddings, full (also head).' },
];

export function SearchForm({ disabled }: { disabled: boolean }) {
  const f = useStudioStore((s) => s.searchSettings);
  const space = searchSpaceFrom(f);
  const set = (patch: Partial<SearchSettings>) => updateSearchSettings(patch);
  return (
    <>
      <div className="grid-form">
        {LISTS.map((l) => (
          <label key={l.key} title={l.hint}>
            {l.label}
            <input type="text" aria-label={`Search ${l.label}`} value={f[l.key]} disabled={disabled} onChange={(e) => set({ [l.key]: e.target.value })} />
          </label>
        ))}
        <label title="Grid: every combination, in order, until the budget runs out. Random: combinations drawn at random (with the seed).">
          Strategy
          <select
            aria-label="Search strategy"
            value={f.strategy}
            disabled={disabled}
            onChange={(e) => set({ strategy: e.target.value as SearchSettings['strategy'] })}
          >
            <option value="grid">Grid</option>
            <option value="random">Random</option>
          </select>
        </label>
        <label title="No more trials than this.">
          Max trials
          <input
            type="number"
            aria-label="Max trials"
            min={1}
            max={200}
            value={f.maxTrials}
            disabled={disabled}
            onChange={(e) => set({ maxTrials: Math.max(1, Number(e.target.value) || 1) })}
          />
        </label>
        <label title="No trial starts after this many minutes.">
          Max minutes
          <input
            type="number"
            aria-label="Max minutes"
            min={1}
            max={600}
            value={f.maxMinutes}
            disabled={disabled}
            onChange={(e) => set({ maxMinutes: Math.max(1, Number(e.target.value) || 1) })}
          />
        </label>
        <label title="Seed of the random strategy (each trial trains with the form's seed).">
          Search seed
          <input
            type="number"
            aria-label="Search seed"
            min={0}
            value={f.seed}
            disabled={disabled}
            onChange={(e) => set({ seed: Math.max(0, Math.floor(Number(e.target.value) || 0)) })}
          />
        </label>
      </div>
      <p className="muted" data-testid="search-size">
        {typeof space === 'string'
          ? space
          : `${gridSize(space)} combinations; up to ${Math.min(f.maxTrials, f.strategy === 'grid' ? gridSize(space) : f.maxTrials)} trials within ${f.maxMinutes} min. Other settings come from the form above.`}
      </p>
    </>
  );
}
