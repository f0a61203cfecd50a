// setBackend: start the requested tfjs backend and report which one runs and why.
import type { BackendInfo, BackendPreference } from '../../protocol/messages';
import { selectBackend } from '../../model/backend';
import type { HandlerContext } from '../handlerContext';
import { StudioError } from '../userError';

export async function handleSetBackend(args: { preference: BackendPreference }, ctx: HandlerContext): Promise<BackendInfo> {
  if (ctx.session.training) throw new StudioError('busy', 'Stop the running training before switching the backend.');
  return selectBackend(args.preference);
}
