// The one-sentence verdict on a classification run: did fine-tuning beat the classical baseline (TF-IDF + LR),
// is it better than always guessing the majority class, and what to try next. Pure: no tfjs, no protocol I/O.
import type { ClassificationMetrics } from './metrics';

export type VerdictInput = {
  fineTuned: ClassificationMetrics;
  classical: { macroF1: number } | null;
  majority: { macroF1: number; accuracy: number };
  labelNames: readonly string[];
  strategy: 'head' | 'lora' | 'lora-embeddings' | 'full';
  pretrained: boolean;
};

export type Verdict = { delta: number; beatClassical: boolean; noBetterThanMajority: boolean; sentence: string; warnBeforeDownload: boolean };

/** Differences below this are noise on a validation split of a few hundred rows. */
export const VERDICT_TIE_MARGIN = 0.005;
/** A classifier that puts this share of rows in one class is "predicting mostly" that class. */
export const MOSTLY_ONE_CLASS_SHARE = 0.9;

const signed = (x: number) => `${x >= 0 ? '+' : '\u2212'}${Math.abs(x).toFixed(2)}`;

/** The majority-class baseline's metrics on the validation labels (always predicting the most frequent training label). */
export function majorityClassMetrics(
  trainLabels: readonly number[],
  validationLabels: readonly number[],
  numClasses: number,
): { label: number; accuracy: number; macroF1: number } {
  const counts = new Array<number>(numClasses).fill(0);
  for (const l of trainLabels) counts[l]++;
  const label = counts.indexOf(Math.max(...counts));
  const hits = validationLabels.filter((l) => l === label).length;
  const n = validationLabels.length;
  const accuracy = n ? hits / n : 0;
  // Only the majority class is ever predicted: its F1 = 2p r / (p + r) with p = accuracy, r = 1 (others 0).
  const f1 = hits > 0 ? (2 * accuracy) / (accuracy + 1) : 0;
  const present = new Set([...validationLabels, label]).size;
  return { label, accuracy, macroF1: f1 / present };
}

function advice(input: VerdictInput): string {
  if (!input.pretrained && (input.strategy === 'lora' || input.strategy === 'head')) {
    return 'try "LoRA + embeddings" or "Full fine-tuning": this model is not pretrained, so frozen weights know no words, or load a pretrained Hub model';
  }
  if (!input.pretrained) return 'try more epochs or a higher learning rate, or load a pretrained Hub model (it starts out knowing English)';
  if (input.strategy === 'head') return 'try LoRA, which adapts the encoder too, or more epochs';
  return 'try a higher learning rate or more epochs, or use the classical model itself if it is good enough';
}

export function runVerdict(input: VerdictInput): Verdict {
  const ft = input.fineTuned;
  const predicted = ft.confusion.reduce((acc, row) => acc.map((v, j) => v + row[j]), new Array<number>(ft.confusion.length).fill(0));
  const total = predicted.reduce((a, b) => a + b, 0);
  const top = predicted.indexOf(Math.max(...predicted));
  const mostlyOne = total > 0 && predicted[top] / total >= MOSTLY_ONE_CLASS_SHARE && input.labelNames.length > 1;
  const noBetterThanMajority = mostlyOne || ft.macroF1 <= input.majority.macroF1 + 0.01;
  const mostly = mostlyOne
    ? `this adapter predicts mostly '${input.labelNames[top]}' (${Math.round((100 * predicted[top]) / total)}% of validation rows)`
    : null;
  if (!input.classical) {
    const sentence = noBetterThanMajority
      ? `Fine-tuning is no better than always guessing the majority class${mostly ? `: ${mostly}` : ''}; ${advice(input)}.`
      : `Fine-tuning reached macro-F1 ${ft.macroF1.toFixed(2)} (majority class: ${input.majority.macroF1.toFixed(2)}).`;
    return { delta: 0, beatClassical: false, noBetterThanMajority, sentence, warnBeforeDownload: noBetterThanMajority };
  }
  const delta = ft.macroF1 - input.classical.macroF1;
  const beat = delta > VERDICT_TIE_MARGIN && !noBetterThanMajority;
  let sentence: string;
  if (beat)
    sentence = `Fine-tuning beat the classical baseline by ${signed(delta)} macro-F1 (${ft.macroF1.toFixed(2)} vs ${input.classical.macroF1.toFixed(2)}).`;
  else if (Math.abs(delta) <= VERDICT_TIE_MARGIN && !noBetterThanMajority)
    sentence = `Fine-tuning matched the classical baseline (${signed(delta)} macro-F1, ${ft.macroF1.toFixed(2)}).`;
  else {
    const why =
      mostly ??
      (noBetterThanMajority
        ? 'it is no better than always guessing the majority class'
        : `macro-F1 ${ft.macroF1.toFixed(2)} vs ${input.classical.macroF1.toFixed(2)}`);
    sentence = `Fine-tuning did not beat the classical baseline (${signed(delta)}): ${why}; ${advice(input)}.`;
  }
  return { delta, beatClassical: beat, noBetterThanMajority, sentence, warnBeforeDownload: noBetterThanMajority || delta < -VERDICT_TIE_MARGIN };
}
