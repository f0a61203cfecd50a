import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../protocol/defaults';
import type { DatasetSummary, SplitSummary, TrainOutcome } from '../protocol/messages';
import { buildReport, type ReportSource } from './buildReport';
import { renderReportHtml } from './reportHtml';
import { lineChartSvg } from './svgChart';

const source = (over: Partial<ReportSource> = {}): ReportSource => ({
  now: new Date('2026-12-01T10:00:00Z'),
  run: null,
  outcome: {
    status: 'early-stopped',
    steps: 30,
    finalTrainLoss: 0.3,
    bestValLoss: 0.41,
    meanStepMs: 52,
    tokensPerSec: 9000,
    backend: 'wasm',
    runId: 'run-1',
    storageProblem: null,
    bestStep: 20,
    restoredBest: true,
    acknowledgedLeakage: { share: 0.1, pairs: 2 },
    diagnostics: [{ id: 'overfitting', severity: 'warning', startedAtStep: 22, title: 'Overfitting', message: 'Validation loss rose 3 times.' }],
    test: null,
    fewShot: null,
  } as TrainOutcome,
  trainConfig: { ...DEFAULT_TRAIN_CONFIG, learningRate: 0.02, loraR: 4 },
  trainPoints: Array.from({ length: 30 }, (_, i) => ({ step: i + 1, epoch: 1, loss: 0.7 - i * 0.01, learningRate: 0.02 })),
  evalPoints: [0, 10, 20, 30].map((step, i) => ({ step, epoch: 1, valLoss: 0.7 - i * 0.1, valAccuracy: 0.5 + i * 0.1, macroF1: 0.45 + i * 0.1 })),
  evalDetail: {
    labels: ['neg', 'pos'],
    confusion: [
      [8, 2],
      [1, 9],
    ],
    perClass: [
      { label: 'neg', precision: 0.89, recall: 0.8, f1: 0.84, support: 10 },
      { label: 'pos', precision: 0.82, recall: 0.9, f1: 0.86, support: 10 },
    ],
  },
  dataset: {
    fileName: '<b>reviews</b>.csv',
    rowCount: 200,
    labels: [
      { label: 'neg', count: 100 },
      { label: 'pos', count: 100 },
    ],
    droppedRows: 1,
    quality: { findings: [{ checkId: 'exact_duplicates', severity: 'warning', count: 3, rows: [], reason: '3 exact duplicates' }] },
  } as unknown as DatasetSummary,
  split: {
    seed: 42,
    validationFraction: 0.1,
    train: 180,
    validation: 20,
    mode: 'group',
    leakage: { rowsWithTwin: 2, shareWithTwin: 0.1, findings: [{ checkId: 'leak_exact', severity: 'warning', count: 2, rows: [], reason: 'twins' }] },
  } as unknown as SplitSummary,
  lastApplied: { before: 203, after: 200, dropped: 3, trimmed: 0, relabeled: 0 },
  leakageAcknowledged: true,
  task: 'classify',
  model: {
    modelId: 'studio-test/micro-bert',
    modelType: 'bert',
    hiddenSize: 32,
    numLayers: 1,
    numHeads: 2,
    vocabSize: 100,
    maxPositions: 64,
    parameterCount: 12345,
    tasks: ['SEQ_CLS'],
    pretrained: false,
    note: null,
  },
  modelId: 'studio-test/micro-bert',
  revision: 'main',
  backend: { backend: 'wasm', reason: 'no WebGPU', adapterDescription: null, isFallbackAdapter: null },
  fewShotBaseline: { k: 4, accuracy: 0.55, macroF1: 0.5 },
  userAgent: 'test',
  ...over,
});

describe('training report', () => {
  it('the JSON twin carries every section and every hyperparameter', () => {
    const r = buildReport(source());
    expect(Object.keys(r.hyperparameters).sort()).toEqual(Object.keys(DEFAULT_TRAIN_CONFIG).sort());
    expect(r.hyperparameters.learningRate).toBe(0.02);
    expect(r.split).toMatchObject({ train: 180, validation: 20, leakageAcknowledged: true, leakage: { rowsWithTwin: 2 } });
    expect(r.dataset?.fixesApplied).toEqual({ before: 203, after: 200, dropped: 3, trimmed: 0, relabeled: 0 });
    expect(r.curves.map((c) => c.name)).toEqual(['training loss', 'validation loss', 'validation accuracy', 'macro-F1', 'learning rate']);
    expect(r.curves[0].points).toHaveLength(30);
    expect(r.evaluation.confusion?.matrix).toEqual([
      [8, 2],
      [1, 9],
    ]);
    expect(r.baselines.map((b) => b.name)).toEqual([expect.stringContaining('few-shot'), 'fine-tuned (this run)']);
    expect(r.diagnostics[0].id).toBe('overfitting');
    expect(r.hardware.backend).toBe('wasm');
    expect(r.model).toMatchObject({ id: 'studio-test/micro-bert', revision: 'main' });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('the HTML is self-contained: inline SVG curves and tables, no script, no external reference', () => {
    const html = renderReportHtml(buildReport(source()));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)?.length).toBe(3);
    expect(html.match(/<polyline class="curve"/g)?.length).toBe(5);
    for (const t of ['confusion', 'per-class', 'hyperparameters', 'baselines', 'diagnostics', 'curves', 'findings'])
      expect(html).toContain(`data-table="${t}"`);
    expect(html).not.toMatch(/\s(src|href)=|url\(|@import|<link|<img|<iframe/i);
    expect(html).not.toMatch(/<script(?![^>]*type="application\/json")/);
    expect(html).toContain('&lt;b&gt;reviews&lt;/b&gt;.csv');
    expect(html).not.toContain('<b>reviews</b>');
    expect(html).toContain('acknowledged before training');
    const json = /<script type="application\/json" id="report-data">(.*)<\/script>/s.exec(html)?.[1];
    expect(JSON.parse(json!)).toEqual(buildReport(source()));
  });

  it('a stored run without live detail still reports its curves and settings', () => {
    const run = {
      id: 'r9',
      name: 'stored',
      status: 'finished',
      statusMessage: null,
      modelId: 'm',
      datasetId: 'd',
      datasetName: 'x.csv',
      backend: 'webgpu',
      createdAt: 0,
      steps: 30,
      bestValLoss: 0.4,
      bestValAccuracy: 0.8,
      config: DEFAULT_TRAIN_CONFIG,
    } as const;
    const r = buildReport(source({ run, outcome: null, evalDetail: null, fewShotBaseline: null }));
    expect(r.run).toMatchObject({ id: 'r9', status: 'finished', steps: 30 });
    expect(r.hardware.backend).toBe('webgpu');
    expect(r.evaluation.confusion).toBeNull();
    expect(renderReportHtml(r)).toContain('data-table="curves"');
  });

  it('svg charts skip non-finite points and say when there is no data', () => {
    const svg = lineChartSvg(
      [
        {
          name: 'l',
          points: [
            { step: 1, value: 1 },
            { step: 2, value: NaN },
            { step: 3, value: 0.5 },
          ],
        },
      ],
      { title: 't' },
    );
    expect(svg).toContain('data-points="2"');
    expect(lineChartSvg([], { title: 'empty' })).toContain('no data');
  });
});
