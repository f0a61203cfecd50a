// The studio shell (issue 14): header with the compact run status, the step navigation, and one view per step
// (all mounted, one shown, so each keeps its state), each behind an error boundary.
import { useEffect, useRef } from 'react';
import { applyUrlSettings, chooseBackend, startWorker } from '../state/actions';
import { exposeBenchmarkHook } from '../state/benchActions';
import { useStudioStore } from '../state/studioStore';
import { DatasetPanel } from '../ui/dataset/DatasetPanel';
import { ModelPanel } from '../ui/model/ModelPanel';
import { QualityPanel } from '../ui/quality/QualityPanel';
import { RunsPanel } from '../ui/runs/RunsPanel';
import { TrainPanel } from '../ui/training/TrainPanel';
import { ResultsPanel } from '../ui/training/ResultsPanel';
import { SearchPanel } from '../ui/search/SearchPanel';
import { initLmActions } from '../state/lmActions';
import { RunStatusBar } from '../ui/layout/RunStatusBar';
import { StepNav } from '../ui/layout/StepNav';
import { StepView } from '../ui/layout/StepView';
import { PlaygroundView } from '../ui/layout/PlaygroundView';
import { CheckView } from '../ui/layout/CheckView';
import { OpenRunExports } from '../ui/report/RunExports';
import { RecipeSuggestion } from '../ui/report/RecipeSuggestion';
import { AdapterImport } from '../ui/report/AdapterImport';
import { ErrorBoundary } from './ErrorBoundary';
import { startHashSync } from './hashSync';
import { applyUpdate, registerServiceWorker } from './serviceWorker';
import { UpdatePrompt } from '../ui/layout/UpdatePrompt';
import { WorkerProblemBanner } from '../ui/layout/WorkerProblemBanner';

export function App() {
  useEffect(() => {
    applyUrlSettings(window.location.search);
    startWorker();
    initLmActions();
    exposeBenchmarkHook(window.location.search);
    void chooseBackend(useStudioStore.getState().backendPreference);
  }, []);
  useEffect(() => startHashSync(), []);
  useEffect(() => registerServiceWorker(), []);
  // The sticky step navigation sits just below the sticky header, whose height changes with the run status.
  const header = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = header.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => document.documentElement.style.setProperty('--header-h', `${el.offsetHeight}px`));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  return (
    <ErrorBoundary>
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to the current step
      </a>
      <header className="app-header" ref={header}>
        <div>
          <h1>Fine-tuning Studio</h1>
          <p>Train a LoRA adapter on your labeled text, in this browser tab. Your data never leaves this machine.</p>
        </div>
        <RunStatusBar />
      </header>
      <WorkerProblemBanner />
      <UpdatePrompt onReload={applyUpdate} />
      <div className="layout">
        <StepNav />
        <main id="main" tabIndex={-1}>
          <StepView id="data">
            <ErrorBoundary>
              <DatasetPanel />
            </ErrorBoundary>
          </StepView>
          <StepView id="check">
            <ErrorBoundary>
              <CheckView>
                <QualityPanel />
              </CheckView>
            </ErrorBoundary>
          </StepView>
          <StepView id="model">
            <ErrorBoundary>
              <ModelPanel />
            </ErrorBoundary>
          </StepView>
          <StepView id="train">
            <ErrorBoundary>
              <RecipeSuggestion />
              <TrainPanel />
              <SearchPanel />
            </ErrorBoundary>
          </StepView>
          <StepView id="results">
            <ErrorBoundary>
              <ResultsPanel />
            </ErrorBoundary>
          </StepView>
          <StepView id="playground">
            <ErrorBoundary>
              <PlaygroundView />
            </ErrorBoundary>
          </StepView>
          <StepView id="runs">
            <ErrorBoundary>
              <RunsPanel />
              <OpenRunExports />
              <AdapterImport />
            </ErrorBoundary>
          </StepView>
        </main>
      </div>
    </ErrorBoundary>
  );
}
