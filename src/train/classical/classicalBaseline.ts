// The classical bar every fine-tuned classifier is held against: TF-IDF (word 1-2 + char_wb 2-5 grams) and a
// multinomial logistic regression, trained on the train split and scored on the validation split. Pure, no tfjs.
import { classificationMetrics, type ClassificationMetrics } from '../metrics';
import { DEFAULT_LOGISTIC, fitLogisticRegression, predictClasses, type LogisticOptions } from './logisticRegression';
import { DEFAULT_TFIDF, fitTfidf, type TfidfOptions } from './tfidf';

export type ClassicalResult = {
  accuracy: number;
  macroF1: number;
  metrics: ClassificationMetrics;
  numFeatures: number;
  iterations: number;
  trainMs: number;
};

/**
 * At most this many weights (features x classes): L-BFGS keeps ~2 x memory + 5 vectors of this size in float64, so 2M
 * weights stay near 400 MB even for 150 intents (then ~6,600 features per block, the most frequent).
 */
export const MAX_WEIGHTS = 2_000_000;

export type LabeledTexts = { texts: readonly string[]; labels: readonly number[] };

export function trainClassicalBaseline(
  train: LabeledTexts,
  validation: LabeledTexts,
  numClasses: number,
  opts: { tfidf?: TfidfOptions; logistic?: LogisticOptions; now?: () => number } = {},
): ClassicalResult {
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  const tfidf = opts.tfidf ?? DEFAULT_TFIDF;
  const perBlock = Math.min(tfidf.maxFeaturesPerBlock, Math.floor(MAX_WEIGHTS / Math.max(2, numClasses) / 2));
  const vec = fitTfidf(train.texts, { ...tfidf, maxFeaturesPerBlock: perBlock });
  const model = fitLogisticRegression(vec.transform(train.texts), train.labels, numClasses, opts.logistic ?? DEFAULT_LOGISTIC);
  const predictions = predictClasses(model, vec.transform(validation.texts));
  const metrics = classificationMetrics(validation.labels, predictions, numClasses);
  return { accuracy: metrics.accuracy, macroF1: metrics.macroF1, metrics, numFeatures: vec.numFeatures, iterations: model.iterations, trainMs: now() - t0 };
}
