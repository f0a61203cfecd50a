// What each fine-tuning strategy is called and does, in one sentence each, and which one suits the model at hand.
import type { FineTuneStrategy } from '../../protocol/messages';

export const STRATEGY_LABELS: Record<FineTuneStrategy, string> = {
  head: 'Head only (linear probe)',
  lora: 'LoRA',
  'lora-embeddings': 'LoRA + embeddings',
  full: 'Full fine-tuning',
};

export const STRATEGY_SENTENCES: Record<FineTuneStrategy, string> = {
  head: 'Trains only the classifier on top of the frozen model (transfer learning); fast, and good when the base model already separates your classes.',
  lora: 'Adds small low-rank updates to the attention layers and trains them with the classifier; the usual choice for a pretrained model.',
  'lora-embeddings': 'LoRA plus trainable word embeddings (PEFT modules_to_save), so the model can learn what your words mean; exported as a PEFT adapter.',
  full: 'Trains every weight; best for small models and the only way a model that is not pretrained learns well; exported as a whole model folder.',
};

/** The recommendation for a model: LoRA for a pretrained one, the measured best for the offline default. */
export function recommendStrategy(
  model: { pretrained: boolean; modelType: string; parameterCount: number } | null,
  offlineDefault: FineTuneStrategy,
): { strategy: FineTuneStrategy; why: string } {
  if (!model) return { strategy: 'lora', why: 'Load a model first.' };
  const trainsBase = model.modelType === 'bert' || model.modelType === 'roberta';
  if (!model.pretrained && trainsBase) {
    return {
      strategy: offlineDefault,
      why: 'This model is not pretrained: frozen random weights know no words, so the base weights must train too (measured by npm run bench:quality).',
    };
  }
  if (!model.pretrained) return { strategy: 'lora', why: 'LoRA is what this model family supports besides head only.' };
  return { strategy: 'lora', why: 'A pretrained model already knows the language: LoRA adapts it at a fraction of the cost of full fine-tuning.' };
}
