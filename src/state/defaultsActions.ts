// Keeps the model- and task-aware defaults (protocol/trainDefaults) current: whenever the model, its estimate, the
// task or the data's token lengths change, recompute them, show their reasons, and apply them to the fields the user
// has not set (learning rate, max tokens, batch size, the search's learning rates). Anything typed wins.
import type { TrainConfig } from '../protocol/messages';
import { memoryFromEstimate, SPECIAL_TOKEN_OVERHEAD, suggestDefaults, type DefaultsInput, type SuggestedDefaults } from '../protocol/trainDefaults';
import { useStudioStore as store, type StudioState } from './studioStore';

export type DefaultKey = 'learningRate' | 'epochs' | 'maxSeqLength' | 'batchSize';
export const DEFAULT_KEYS: readonly DefaultKey[] = ['learningRate', 'epochs', 'maxSeqLength', 'batchSize'];

/** Chat-template tokens per row when lengths were estimated without the tokenizer (measured rows include them). */
const ESTIMATED_TEMPLATE_OVERHEAD = 12;

export function defaultsInput(s: StudioState): DefaultsInput {
  const task = s.lmTask;
  const offlineDefault = s.modelChoice.kind === 'embedded';
  const family = s.model?.modelType ?? s.modelEstimate?.modelType ?? (offlineDefault ? 'bert' : null);
  let lengths: DefaultsInput['lengths'] = null;
  let templateOverhead = 0;
  if (task === 'classify') {
    const l = s.dataset?.quality?.lengths;
    if (l && l.maxTokens > 0) {
      lengths = { p95: l.p95Tokens ?? l.maxTokens, max: l.maxTokens, measured: !l.estimated };
      templateOverhead = l.estimated ? SPECIAL_TOKEN_OVERHEAD : 0;
    }
  } else {
    const l = s.lmData?.tokenLengths;
    if (l && l.max > 0) {
      lengths = l;
      templateOverhead = l.measured ? 0 : ESTIMATED_TEMPLATE_OVERHEAD;
    }
  }
  const e = s.modelEstimate;
  const plan = s.estimatePlan;
  return {
    family,
    task,
    strategy: task === 'classify' ? s.trainConfig.strategy : undefined,
    offlineDefault,
    trainRows: task === 'classify' ? (s.split?.train ?? null) : null,
    maxPositions: s.model?.maxPositions ?? null,
    lengths,
    templateOverhead,
    memory: e && plan ? memoryFromEstimate(e, plan.batchSize, plan.maxSeqLength) : null,
  };
}

/** Recomputes the suggestions and applies them to the untouched fields. */
export function refreshDefaults(): void {
  const s = store.getState();
  const d = suggestDefaults(defaultsInput(s));
  const patch: Partial<TrainConfig> = {};
  for (const k of DEFAULT_KEYS) if (!s.touchedConfig.includes(k) && s.trainConfig[k] !== d[k].value) patch[k] = d[k].value;
  const searchLr = d.searchLearningRates.join(', ');
  const searchPatch =
    !s.searchLrTouched && s.searchSettings.learningRate !== searchLr ? { searchSettings: { ...s.searchSettings, learningRate: searchLr } } : {};
  if (Object.keys(patch).length > 0 || Object.keys(searchPatch).length > 0 || !sameDefaults(s.trainDefaults, d)) {
    store.setState({ trainDefaults: d, trainConfig: { ...s.trainConfig, ...patch }, ...searchPatch });
  }
}

const sameDefaults = (a: SuggestedDefaults | null, b: SuggestedDefaults) =>
  !!a && DEFAULT_KEYS.every((k) => a[k].value === b[k].value && a[k].reason === b[k].reason) && a.searchLearningRates.join() === b.searchLearningRates.join();

let installed = false;
/** Recompute whenever an input of the defaults changes (called once, from actions.ts). */
export function installDefaultsWatcher(): void {
  if (installed) return;
  installed = true;
  store.subscribe((s, prev) => {
    if (
      s.model !== prev.model ||
      s.modelEstimate !== prev.modelEstimate ||
      s.modelChoice !== prev.modelChoice ||
      s.lmTask !== prev.lmTask ||
      s.lmData !== prev.lmData ||
      s.trainConfig.strategy !== prev.trainConfig.strategy ||
      s.dataset?.quality !== prev.dataset?.quality ||
      s.split?.train !== prev.split?.train
    )
      refreshDefaults();
  });
  refreshDefaults();
}
