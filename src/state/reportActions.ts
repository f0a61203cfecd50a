// The training report of the live run or of a run opened in the runs view (issue 14): gathers what the store holds
// and hands it to the pure report builder; the UI saves the HTML and JSON files.
import type { RunDetail } from '../protocol/messages';
import { buildReport, type ReportSource } from '../report/buildReport';
import { renderReportHtml } from '../report/reportHtml';
import type { TrainingReport } from '../report/reportTypes';
import { useStudioStore as store } from './studioStore';
import type { StudioState } from './studioStore';

export type ReportFiles = { baseName: string; html: string; json: string; report: TrainingReport };

function modelIdOf(s: StudioState): string {
  if (s.model) return s.model.modelId;
  return s.modelChoice.kind === 'hub' ? s.modelChoice.modelId : s.modelChoice.kind === 'local' ? s.modelChoice.name : 'studio-mini-bert';
}

function common(s: StudioState): Omit<ReportSource, 'run' | 'outcome' | 'trainConfig' | 'trainPoints' | 'evalPoints' | 'evalDetail' | 'fewShotBaseline'> {
  // Hub loads record the commit every file came from; that is what reproduces the run.
  const revision = s.model?.revision ?? null;
  return {
    now: new Date(),
    dataset: s.dataset,
    split: s.split,
    lastApplied: s.lastApplied,
    leakageAcknowledged: s.leakageAcknowledged,
    task: s.lmTask,
    model: s.model,
    modelId: modelIdOf(s),
    revision: revision ? revision.commit || revision.requested : s.modelChoice.kind === 'hub' ? 'main' : null,
    backend: s.backend,
    userAgent: globalThis.navigator?.userAgent ?? null,
  };
}

function files(report: TrainingReport): ReportFiles {
  const stem = `training-report-${(report.run.id ?? 'run').replace(/[^\w.-]+/g, '_')}`;
  return { baseName: stem, html: renderReportHtml(report), json: JSON.stringify(report, null, 2), report };
}

/** The run that just trained (or is shown in the Train and Results steps). */
export function liveRunReport(): ReportFiles {
  const s = store.getState();
  const run = s.runs.find((r) => r.id === s.outcome?.runId) ?? null;
  return files(
    buildReport({
      ...common(s),
      run,
      outcome: s.outcome,
      trainConfig: run?.config ?? s.trainConfig,
      trainPoints: s.trainPoints,
      evalPoints: s.evalPoints,
      evalDetail: s.evalDetail,
      fewShotBaseline: s.fewShotBaseline,
    }),
  );
}

/** A stored run from the runs view: its config, curves and status; data and model as currently loaded when they match. */
export function storedRunReport(detail: RunDetail): ReportFiles {
  const s = store.getState();
  const sameData = s.dataset?.datasetId != null && s.dataset.datasetId === detail.run.datasetId;
  const base = common(s);
  return files(
    buildReport({
      ...base,
      dataset: sameData ? s.dataset : null,
      split: sameData ? s.split : null,
      lastApplied: sameData ? s.lastApplied : null,
      model: s.model?.modelId === detail.run.modelId ? s.model : null,
      modelId: detail.run.modelId,
      run: detail.run,
      outcome: s.outcome?.runId === detail.run.id ? s.outcome : null,
      trainConfig: detail.run.config,
      trainPoints: detail.trainPoints,
      evalPoints: detail.evalPoints,
      evalDetail: s.outcome?.runId === detail.run.id ? s.evalDetail : null,
      fewShotBaseline: s.outcome?.runId === detail.run.id ? s.fewShotBaseline : null,
    }),
  );
}
