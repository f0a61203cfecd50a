// fewShot: the in-context baseline before fine-tuning, on (a sample of) the validation split with the base decoder.
// Instruction data: k training conversations as earlier turns, scored as loss / perplexity / token accuracy of the
// completions (the metrics the fine-tuned run reports). Domain text: zero-shot perplexity of the validation blocks.
// Classification (text,label CSV): k examples per class, the label read from the next-token scores of the label words.
import type { FewShotView } from '../../protocol/messages';
import { sortLabelNames } from '../../data/dataset';
import { evaluateLm } from '../../train/causalLmEval';
import { fewShotClassify, fewShotInstructionEval } from '../../train/fewShotPrompting';
import { lmBatches } from '../../train/loop';
import { padId } from '../../tokenize/tokenizer';
import type { HandlerContext } from '../handlerContext';
import { StudioError } from '../userError';
import { domainBlocks, ensureLive } from '../lmPrepare';

export async function handleFewShot(args: { k: number; maxSeqLength: number; maxExamples: number }, ctx: HandlerContext): Promise<FewShotView> {
  const { session } = ctx;
  if (session.training) throw new StudioError('busy', 'Wait for the running training to finish.');
  const live = ensureLive(session);
  const tokenizer = session.baseModel!.tokenizer;
  const t0 = performance.now();
  const lm = session.lm;
  ctx.emit({ type: 'status', message: `Few-shot baseline (k = ${args.k}) on the validation split…` });
  if (lm && lm.task !== 'classify' && lm.examples.length > 0) {
    const train = lm.split.train.map((i) => lm.examples[i]);
    const validation = lm.split.validation.slice(0, args.maxExamples).map((i) => lm.examples[i]);
    if (lm.task === 'domain') {
      const blocks = domainBlocks(tokenizer, validation, args.maxSeqLength).blocks;
      const m = await evaluateLm(live.model, null, lmBatches(blocks, 8, padId(tokenizer)));
      return { task: 'domain', k: 0, metrics: { ...m, exactMatch: null }, meanShotsUsed: 0, examplePrompt: '', n: blocks.length, ms: performance.now() - t0 };
    }
    const r = await fewShotInstructionEval(live.model, tokenizer, train, validation, {
      k: args.k,
      seed: 42,
      template: live.template,
      maxLength: live.model.config.maxTokens,
    });
    return {
      task: 'instruction',
      k: args.k,
      n: validation.length,
      meanShotsUsed: r.meanShotsUsed,
      examplePrompt: r.examplePrompt.slice(0, 2000),
      ms: performance.now() - t0,
      metrics: { loss: r.loss, perplexity: r.perplexity, tokenAccuracy: r.tokenAccuracy, exactMatch: null },
    };
  }
  const table = session.table;
  if (!table || !session.split) throw new StudioError('no-data', 'Drop data and split it first.');
  const rows = table.table.rows;
  const item = (i: number) => ({ text: rows[i][session.textColumn], label: rows[i][session.labelColumn] });
  const train = session.split.train.map(item);
  const validation = session.split.validation.slice(0, args.maxExamples).map(item);
  const labels = sortLabelNames([...train, ...validation].map((t) => t.label));
  const r = await fewShotClassify(live.model, tokenizer, train, validation, labels, { k: args.k, seed: 42 });
  return {
    task: 'classify',
    k: args.k,
    accuracy: r.accuracy,
    macroF1: r.macroF1,
    n: r.n,
    scoring: r.scoring,
    examplePrompt: r.examplePrompt.slice(0, 2000),
    ms: performance.now() - t0,
  };
}
