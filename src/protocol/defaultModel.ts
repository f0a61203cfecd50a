// The offline default model (public/models/studio-mini-bert, made by scripts/makeDefaultModel.ts) and the training
// settings measured for it by `npm run bench:quality`. One place for the numbers; the defaults module plugs them in.

export const OFFLINE_DEFAULT_MODEL_ID = 'studio-mini-bert';

/**
 * Shape and init of the offline default (random init, seed fixed; not pretrained). 4 layers x hidden 128: the
 * embeddings (30,522 x 128 F32, 15.6 MB) dominate and the download stays under 20 MB; hidden 256 would need F16
 * and has ~4x the encoder FLOPs per token (measured below in README), beyond bench:quality's 45 minutes. HF's initializer_range
 * 0.02: the default trains its embeddings (or everything), so it needs no large init.
 */
export const OFFLINE_DEFAULT_DIMS = { hidden: 128, layers: 4, heads: 4, intermediate: 512, maxPositions: 128, seed: 20261201, initStd: 0.02, dropout: 0.1 } as const;

/**
 * What trains by default on a model that is not pretrained: frozen random weights know no words. Measured with
 * `npm run bench:quality-candidates` (the studio's training code on tfjs wasm): on 1,500 sentiment rows, 2 epochs,
 * LoRA + embeddings at 3e-3 reached macro-F1 0.813, full fine-tuning 0.751 at 1e-3 (0.738 at 3e-4; at 3e-3 it
 * collapsed to the majority class). See README, Benchmarks.
 */
export const OFFLINE_DEFAULT_STRATEGY = 'lora-embeddings' as const;

/**
 * Training defaults for the offline default. 3e-3: on clinc150 (2,374 rows, 6 epochs) LoRA + embeddings reached 0.557
 * at 3e-3 and diverged at 1e-2. A random net needs epochs: clinc150's loss was still falling after 6.
 */
export const OFFLINE_DEFAULT_TRAINING = { learningRate: 3e-3, epochs: 5, maxEpochs: 20, targetSteps: 1000, maxSeqLength: 64, batchSize: 16 } as const;

/** Peak AdamW learning rate per strategy on the offline default (bench:quality uses these). */
export const OFFLINE_STRATEGY_LEARNING_RATES = { head: 1e-2, lora: 5e-3, 'lora-embeddings': 3e-3, full: 1e-3 } as const;

/** Full fine-tuning keeps weights, gradients and two AdamW moments: ~16 bytes per parameter; allowed up to this many. */
export const FULL_FINE_TUNING_MAX_PARAMETERS = 125_000_000;
