// The studio shell: header, the three steps, and the error boundary around them.
import { useEffect } from 'react';
import { applyUrlSettings, chooseBackend } from '../state/actions';
import { exposeBenchmarkHook } from '../state/benchActions';
import { useStudioStore } from '../state/studioStore';
import { DatasetPanel } from '../ui/dataset/DatasetPanel';
import { ModelPanel } from '../ui/model/ModelPanel';
import { QualityPanel } from '../ui/quality/QualityPanel';
import { RunsPanel } from '../ui/runs/RunsPanel';
import { TrainPanel } from '../ui/training/TrainPanel';
import { PlaygroundPanel } from '../ui/playground/PlaygroundPanel';
import { SearchPanel } from '../ui/search/SearchPanel';
import { initLmActions } from '../state/lmActions';
import { ErrorBoundary } from './ErrorBoundary';

export function App() {
  useEffect(() => {
    applyUrlSettings(window.location.search);
    initLmActions();
    exposeBenchmarkHook(window.location.search);
    void chooseBackend(useStudioStore.getState().backendPreference);
  }, []);

  return (
    <ErrorBoundary>
      <header className="app-header">
        <h1>Fine-tuning Studio</h1>
        <p>Train a LoRA adapter on your labeled text, in this browser tab. Your data never leaves this machine.</p>
      </header>
      <main>
        <DatasetPanel />
        <QualityPanel />
        <ModelPanel />
        <TrainPanel />
        <PlaygroundPanel />
        <SearchPanel />
        <RunsPanel />
      </main>
    </ErrorBoundary>
  );
}
