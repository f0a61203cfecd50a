// Routes each typed request of the page to its handler and posts its result or failure; every event a handler
// emits carries the request's id. Knows no handler itself (studio.worker.ts passes the table), so it is testable.
import type { FromWorker, RequestKind, Requests, ToWorker } from '../protocol/messages';
import type { HandlerContext } from './handlerContext';
import type { StudioSession } from './session';
import { StudioError, toUserError } from './userError';
import { isDebugWorker } from './debugWorker';

export type Handlers = { [K in RequestKind]: (args: Requests[K]['args'], ctx: HandlerContext) => Promise<Requests[K]['result']> };
export type Post = (msg: FromWorker, transfer?: Transferable[]) => void;

/** The message handler of the worker: one context per request, so events are tagged with their request's id. */
export function createDispatcher(handlers: Partial<Handlers>, session: StudioSession, post: Post): (msg: ToWorker) => Promise<void> {
  return async (msg) => {
    if (msg?.type !== 'request') return;
    const ctx: HandlerContext = { session, emit: (event) => post({ type: 'event', event, requestId: msg.requestId }) };
    const handler = handlers[msg.kind] as ((args: unknown, ctx: HandlerContext) => Promise<unknown>) | undefined;
    try {
      if (!handler) throw new Error(`unknown request "${String(msg.kind)}": the page and the worker are different versions; reload the page`);
      const result = await handler(msg.args, ctx);
      // Downloads move their bytes instead of copying them.
      const transfer =
        result && typeof result === 'object' && 'bytes' in result && result.bytes instanceof Uint8Array ? [result.bytes.buffer as ArrayBuffer] : [];
      post({ type: 'result', requestId: msg.requestId, result }, transfer);
    } catch (err) {
      // The page shows the message; stack traces only with ?debug=1 (the worker is then named studio-debug), and
      // refusals of bad input (StudioError) never.
      if (isDebugWorker()) console.error(err);
      else if (!(err instanceof StudioError)) console.error(`studio worker: ${err instanceof Error ? err.message : String(err)}`);
      post({ type: 'failure', requestId: msg.requestId, error: toUserError(err) });
    }
  };
}
