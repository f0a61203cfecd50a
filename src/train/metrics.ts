// Classification metrics from predicted and true class ids: confusion matrix, accuracy, per-class
// precision/recall/F1 and macro-F1 (as scikit-learn, zero_division=0). Pure: no tfjs.

export type ClassMetrics = { precision: number; recall: number; f1: number; support: number };

export type ClassificationMetrics = {
  accuracy: number;
  /** Mean F1 over the classes that occur in the labels or the predictions (sklearn's default label set). */
  macroF1: number;
  /** One entry per class id 0..C-1. */
  perClass: ClassMetrics[];
  /** confusion[trueClass][predictedClass] = count. */
  confusion: number[][];
};

/** C x C counts, rows = true class, columns = predicted class. */
export function confusionMatrix(labels: ArrayLike<number>, predictions: ArrayLike<number>, numClasses: number): number[][] {
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][predictions[i]] += 1;
  return m;
}

const ratio = (num: number, den: number) => (den > 0 ? num / den : 0);

/** Every metric from a confusion matrix; empty input gives zeros. */
export function metricsFromConfusion(confusion: number[][]): ClassificationMetrics {
  const C = confusion.length;
  const total = confusion.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  let correct = 0;
  const perClass: ClassMetrics[] = [];
  let f1Sum = 0;
  let present = 0;
  for (let c = 0; c < C; c++) {
    const tp = confusion[c][c];
    const support = confusion[c].reduce((a, b) => a + b, 0); // true c
    const predicted = confusion.reduce((s, row) => s + row[c], 0); // predicted c
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    perClass.push({ precision, recall, f1, support });
    correct += tp;
    if (support > 0 || predicted > 0) {
      f1Sum += f1;
      present += 1;
    }
  }
  return { accuracy: ratio(correct, total), macroF1: ratio(f1Sum, present), perClass, confusion };
}

/** Metrics straight from label and prediction arrays. */
export function classificationMetrics(labels: ArrayLike<number>, predictions: ArrayLike<number>, numClasses: number): ClassificationMetrics {
  return metricsFromConfusion(confusionMatrix(labels, predictions, numClasses));
}
