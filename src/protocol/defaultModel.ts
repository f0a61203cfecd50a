// The offline default model (public/models/studio-mini-bert, made by scripts/makeDefaultModel.ts) and the training
// settings measured for it by `npm run bench:quality`. One place for the numbers; the defaults module plugs them in.

export const OFFLINE_DEFAULT_MODEL_ID = 'studio-mini-bert';

/** Shape and init of the offline default (random init, seed fixed; not pretrained). */
/**
 * 4 layers x hidden 128: the embeddings (30,522 x 128 F32, 15.6 MB) dominate; the whole download stays under 20 MB.
 * HF's initializer_range 0.02: the offline default trains all its weights, so it needs no large init.
 */
export const OFFLINE_DEFAULT_DIMS = { hidden: 128, layers: 4, heads: 4, intermediate: 512, maxPositions: 128, seed: 20261201, initStd: 0.02 } as const;

/**
 * What trains by default on a model that is not pretrained: frozen random weights know no words. Measured by
 * bench:quality (400-row subsamples, 3 epochs): LoRA + embeddings 1.000 / 0.625 macro-F1 on sms_spam / sentiment
 * (classical 0.953 / 0.650), while head only and LoRA collapse to the majority class and full fine-tuning at lr 1e-3
 * did too within 69 steps.
 */
export const OFFLINE_DEFAULT_STRATEGY = 'lora-embeddings' as const;

/** Training defaults for the offline default, from bench:quality (see README, Benchmarks). */
export const OFFLINE_DEFAULT_TRAINING = { learningRate: 3e-3, epochs: 3, maxSeqLength: 64, batchSize: 16 } as const;

/** Peak AdamW learning rate per strategy on the offline default (bench:quality uses these). */
export const OFFLINE_STRATEGY_LEARNING_RATES = { head: 1e-2, lora: 5e-3, 'lora-embeddings': 3e-3, full: 1e-3 } as const;

/** Full fine-tuning keeps weights, gradients and two AdamW moments: ~16 bytes per parameter; allowed up to this many. */
export const FULL_FINE_TUNING_MAX_PARAMETERS = 125_000_000;
