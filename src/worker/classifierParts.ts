// Builds what a classification run needs from the loaded base model: tokenized splits, the model with a
// head for the user's labels, the LoRA adapter and AdamW, plus the forgetting probe and few-shot baseline.
import type { TrainConfig } from '../protocol/messages';
import { sortLabelNames } from '../data/dataset';
import { tryParseModelConfig, withLabels, type ModelConfig } from '../model/config';
import { tryLoadModel } from '../model/loadModel';
import { tryCreateLoraAdapter } from '../model/lora';
import { tryImportPeftAdapter, type PeftAdapterFiles } from '../model/peftAdapter';
import { findMlmHead, type MlmHead } from '../model/mlmHead';
import { OFFLINE_DEFAULT_MODEL_ID, OFFLINE_DEFAULT_STRATEGY } from '../protocol/defaultModel';
import { strategySupported, tryApplyStrategy, type StrategyState } from '../model/strategy';
import { loraTargetPresets } from '../model/targets';
import type { SequenceModel } from '../model/types';
import { createAdamW } from '../train/adamw';
import type { TokenizedExample } from '../train/batches';
import { createForgettingProbe, type ForgettingProbe } from '../train/forgettingProbe';
import { PROBE_SENTENCES } from '../train/probeSentences';
import type { TrainerParts } from '../train/loop';
import { encodeOne, padId } from '../tokenize/tokenizer';
import type { LoadedBaseModel, StudioSession } from './session';
import { StudioError } from './userError';
import { backwardCopiesPay, sharedWeights, transientPackingPays } from './modelFit';

export type ClassifierData = {
  labelNames: string[];
  train: TokenizedExample[];
  validation: TokenizedExample[];
  test: TokenizedExample[];
  padTokenId: number;
  config: ModelConfig;
};

/** Decoder classifiers pool the token before the first pad_token_id (HF), so pad with the config's id. */
const batchPadId = (configPad: number | null, tokenizerPad: number) => (typeof configPad === 'number' ? configPad : tokenizerPad);

/** labelOrder: the head's label order (an imported adapter's); default the data's labels sorted. */
export function prepareClassifierData(
  session: StudioSession,
  base: LoadedBaseModel,
  trainConfig: TrainConfig,
  test: readonly number[],
  labelOrder?: readonly string[],
): ClassifierData {
  const parsed = tryParseModelConfig(base.configJson);
  if (!parsed.ok) throw new StudioError('unsupported-model', parsed.error);
  if (!session.table || !session.split) throw new StudioError('no-data', 'Drop a labeled CSV first.');
  const { rows } = session.table.table;
  const labelOf = (i: number) => rows[i][session.labelColumn];
  const all = [...session.split.train, ...session.split.validation, ...test];
  const labelNames = labelOrder ? [...labelOrder] : sortLabelNames(all.map(labelOf));
  const labelId = new Map(labelNames.map((l, i) => [l, i]));
  const tokenize = (i: number): TokenizedExample => ({
    ids: encodeOne(base.tokenizer, rows[i][session.textColumn], trainConfig.maxSeqLength),
    label: labelId.get(labelOf(i))!,
  });
  return {
    labelNames,
    train: session.split.train.map(tokenize),
    validation: session.split.validation.map(tokenize),
    test: test.map(tokenize),
    padTokenId: batchPadId(parsed.value.padTokenId, padId(base.tokenizer)),
    config: parsed.value,
  };
}

/** init: an imported PEFT adapter to start from (its rank, targets, LoRA and head weights); the strategy is then LoRA. */
export function buildClassifierParts(
  base: LoadedBaseModel,
  data: ClassifierData,
  c: TrainConfig,
  init?: PeftAdapterFiles,
): TrainerParts & { strategy: StrategyState } {
  // Without a choice: the measured default for the offline default model (src/model/defaultModel.ts), else LoRA.
  const offline = base.modelId === OFFLINE_DEFAULT_MODEL_ID && !base.pretrained && strategySupported(data.config.modelType, OFFLINE_DEFAULT_STRATEGY);
  const strategy = init ? 'lora' : (c.strategy ?? (offline ? OFFLINE_DEFAULT_STRATEGY : 'lora'));
  const built = tryLoadModel(base.tensors, withLabels(data.config, data.labelNames), {
    bank: sharedWeights(base),
    task: 'SEQ_CLS',
    seed: c.seed,
    // WASM/CPU: the backward pass then avoids slow transposed matmuls (perf-baseline.md); full fine-tuning needs weight gradients instead.
    keepBackwardWeights: strategy !== 'full' && backwardCopiesPay({ config: data.config, train: c, task: 'SEQ_CLS', numLabels: data.labelNames.length }),
    transientPacking: transientPackingPays(data.config), // too large for packed copies on WASM (memoryEstimate.ts)
  });
  if (!built.ok) throw new StudioError('bad-weights', `${base.modelId}: ${built.error}`);
  const model = built.value;
  const presets = loraTargetPresets(model.family);
  const lora = init
    ? tryImportPeftAdapter(model, init, { seed: c.seed })
    : tryCreateLoraAdapter(model, {
        r: c.loraR,
        loraAlpha: c.loraAlpha,
        loraDropout: c.loraDropout,
        targetModules: (presets.find((p) => p.id === c.loraTargets) ?? presets[0]).targetModules,
        seed: c.seed,
      });
  if (!lora.ok) {
    model.dispose();
    throw new StudioError(init ? 'adapter-mismatch' : 'bad-lora', init ? `The imported adapter does not fit ${base.modelId}: ${lora.error}` : lora.error);
  }
  const adapter = lora.value;
  const applied = tryApplyStrategy(model, adapter, strategy);
  if (!applied.ok) {
    adapter.dispose();
    model.dispose();
    throw new StudioError('bad-strategy', applied.error);
  }
  const trainable = new Set(adapter.trainableVariables);
  const optimizer = createAdamW(
    adapter.peftTensors.filter((t) => trainable.has(t.variable)).map((t) => ({ name: t.key, variable: t.variable })),
    { weightDecay: c.weightDecay, noDecay: adapter.noDecayVariables },
  );
  return { model, adapter, optimizer, strategy: applied.value };
}

/**
 * The forgetting probe on the shipped general-English sentences: masked-LM pseudo-perplexity when the
 * checkpoint has an MLM head, otherwise embedding drift of the base representation (decoder classifiers too).
 */
export async function buildProbe(
  base: LoadedBaseModel,
  model: SequenceModel,
  data: ClassifierData,
  maxLen: number,
): Promise<{ probe: ForgettingProbe; head: MlmHead | null }> {
  const c = data.config;
  const eps = 'layerNormEps' in c ? (c as { layerNormEps: number }).layerNormEps : 1e-12;
  const head = ['bert', 'roberta', 'distilbert'].includes(model.family) ? findMlmHead(base.tensors, { C: c.hiddenSize, V: c.vocabSize, eps }) : null;
  const maskId = base.tokenizer.mask_token_id as number | null | undefined;
  const probe = await createForgettingProbe({
    model,
    sentences: PROBE_SENTENCES.map((s) => encodeOne(base.tokenizer, s, Math.min(maxLen, 64))),
    padTokenId: data.padTokenId,
    mlm: head && typeof maskId === 'number' ? { head, maskTokenId: maskId } : null,
  });
  return { probe, head };
}
