// generate / stopGenerate: the playground's streamed generation with the live decoder, base (no adapter) or
// fine-tuned (the last LM run's adapter at the chosen strength, 0..1). The prompt is optionally wrapped in the
// training chat template; the decoded text so far is streamed as genText events after every token.
import type { GenerateArgs, GenerateOutcome } from '../../protocol/messages';
import { generateStream, type GenerateResult } from '../../model/generate';
import { formatGenerationPrompt } from '../../tokenize/chatFormat';
import { specialFrame } from '../../tokenize/tokenizer';
import type { HandlerContext } from '../handlerContext';
import { StudioError } from '../userError';
import { ensureLive, eosIds } from '../lmPrepare';

const running = new Map<number, AbortController>();

export async function handleGenerate(args: GenerateArgs, ctx: HandlerContext): Promise<GenerateOutcome> {
  const { session } = ctx;
  if (session.training) throw new StudioError('busy', 'Generation is paused while a training run is going.');
  const live = ensureLive(session);
  const tokenizer = session.baseModel!.tokenizer;
  const adapter = args.which === 'tuned' ? live.adapter : null;
  if (args.which === 'tuned' && !adapter)
    throw new StudioError('no-adapter', 'Fine-tune the model first (a causal-LM run): there is no adapter to compare yet.');
  const s = args.sampling;
  if (!(s.maxNewTokens >= 1 && s.maxNewTokens <= 2048)) throw new StudioError('bad-sampling', 'Max new tokens must be from 1 to 2048.');
  const text = args.useTemplate ? formatGenerationPrompt(tokenizer, [{ role: 'user', content: args.prompt }], live.template) : args.prompt;
  const withPrefix = !args.useTemplate || live.template.source === 'plain';
  const ids = [...(withPrefix ? specialFrame(tokenizer).prefix : []), ...tokenizer.encode(text, { add_special_tokens: false })];
  const abort = new AbortController();
  running.get(args.streamId)?.abort();
  running.set(args.streamId, abort);
  const strength = Math.min(1, Math.max(0, args.strength));
  try {
    const it = generateStream(live.model, ids, {
      maxNewTokens: s.maxNewTokens,
      greedy: s.greedy,
      temperature: s.temperature,
      topK: s.topK,
      topP: s.topP,
      seed: s.seed,
      eosTokenIds: eosIds(session),
      adapter,
      strength: adapter ? strength : undefined,
      signal: abort.signal,
    });
    const tokens: number[] = [];
    let result: GenerateResult;
    for (;;) {
      const r = await it.next();
      if (r.done) {
        result = r.value;
        break;
      }
      tokens.push(r.value);
      ctx.emit({ type: 'genText', streamId: args.streamId, text: tokenizer.decode(tokens, { skip_special_tokens: true }), tokens: tokens.length });
    }
    return {
      streamId: args.streamId,
      text: tokenizer.decode(tokens, { skip_special_tokens: true }),
      tokens: tokens.length,
      stopReason: result.stopReason,
      tokensPerSecond: result.tokensPerSecond,
      promptTokens: result.promptTokens,
      formattedPrompt: text,
    };
  } finally {
    if (running.get(args.streamId) === abort) running.delete(args.streamId);
  }
}

export async function handleStopGenerate(args: { streamId: number }): Promise<null> {
  running.get(args.streamId)?.abort();
  return null;
}
