import { describe, expect, it } from 'vitest';
import { nextStep, pickStepInput, stepInfos, type StepInput } from './steps';
import { useStudioStore } from './studioStore';
import type { DatasetSummary, SplitSummary, TrainOutcome } from '../protocol/messages';

const fresh = (): StepInput => pickStepInput(useStudioStore.getInitialState());
const dataset = {
  fileName: 'a.csv',
  rowCount: 200,
  labels: [
    { label: 'a', count: 100 },
    { label: 'b', count: 100 },
  ],
  blocking: null,
  quality: null,
} as unknown as DatasetSummary;
const split = { train: 180, validation: 20, leakage: { rowsWithTwin: 0, shareWithTwin: 0 } } as unknown as SplitSummary;
const leaky = { ...split, leakage: { rowsWithTwin: 3, shareWithTwin: 0.15 } } as unknown as SplitSummary;
const outcome = { status: 'finished', steps: 12, bestValLoss: 0.5 } as unknown as TrainOutcome;
const status = (s: StepInput) => Object.fromEntries(stepInfos(s).map((st) => [st.id, st.status]));

describe('step statuses', () => {
  it('a fresh studio: data to do, later steps blocked, next is Data', () => {
    const s = fresh();
    expect(status(s)).toMatchObject({
      data: 'todo',
      check: 'blocked',
      model: 'done',
      train: 'blocked',
      results: 'blocked',
      playground: 'blocked',
      runs: 'todo',
    });
    expect(nextStep(stepInfos(s)).id).toBe('data');
  });

  it('a usable dataset: data done, train ready, next is Train', () => {
    const s = { ...fresh(), dataset, datasetStatus: 'ready', split } as StepInput;
    expect(status(s)).toMatchObject({ data: 'done', check: 'done', train: 'todo' });
    expect(stepInfos(s)[0].reason).toContain('180 train / 20 validation');
    expect(nextStep(stepInfos(s)).id).toBe('train');
  });

  it('a blocking dataset needs attention and says why', () => {
    const s = { ...fresh(), dataset: { ...dataset, blocking: { code: 'x', message: 'Every row has the same label.' } }, split } as StepInput;
    const data = stepInfos(s)[0];
    expect(data.status).toBe('attention');
    expect(data.reason).toContain('same label');
    expect(status(s).train).toBe('blocked');
  });

  it('unacknowledged leakage: Check needs attention and Train is blocked until acknowledged', () => {
    const s = { ...fresh(), dataset, split: leaky } as StepInput;
    expect(status(s)).toMatchObject({ check: 'attention', train: 'blocked' });
    expect(nextStep(stepInfos(s)).id).toBe('check');
    expect(status({ ...s, leakageAcknowledged: true })).toMatchObject({ check: 'done', train: 'todo' });
  });

  it('running, then finished: Train running is next; then Results', () => {
    const base = { ...fresh(), dataset, split } as StepInput;
    const running = { ...base, trainStatus: 'running', progress: { step: 3, totalSteps: 12 } } as StepInput;
    expect(status(running).train).toBe('running');
    expect(nextStep(stepInfos(running)).id).toBe('train');
    const done = { ...base, trainStatus: 'finished', outcome } as StepInput;
    expect(status(done)).toMatchObject({ train: 'done', results: 'done' });
    expect(nextStep(stepInfos(done)).id).toBe('results');
  });

  it('a model error needs attention; a decoder opens the playground', () => {
    const s = { ...fresh(), modelError: { code: 'x', message: 'not found' } } as StepInput;
    expect(status(s).model).toBe('attention');
    const dec = { ...fresh(), model: { modelId: 'fixtures/gpt2', modelType: 'gpt2' }, modelStatus: 'ready' } as unknown as StepInput;
    expect(status(dec)).toMatchObject({ model: 'done', playground: 'todo' });
  });
});
