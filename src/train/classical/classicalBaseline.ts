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

export type LabeledTexts = { texts: readonly string[]; labels: readonly number[] };

export function trainClassicalBaseline(
  train: LabeledTexts,
  validation: LabeledTexts,
  numClasses: number,
  opts: { tfidf?: TfidfOptions; logistic?: LogisticOptions; now?: () => number } = {},
): ClassicalResult {
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  const vec = fitTfidf(train.texts, opts.tfidf ?? DEFAULT_TFIDF);
  const model = fitLogisticRegression(vec.transform(train.texts), train.labels, numClasses, opts.logistic ?? DEFAULT_LOGISTIC);
  const predictions = predictClasses(model, vec.transform(validation.texts));
  const metrics = classificationMetrics(validation.labels, predictions, numClasses);
  return { accuracy: metrics.accuracy, macroF1: metrics.macroF1, metrics, numFeatures: vec.numFeatures, iterations: model.iterations, trainMs: now() - t0 };
}
