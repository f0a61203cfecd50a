// What every request handler gets: the worker's session and a way to post events of the request it serves.
// Its own module so handlers never import studio.worker.ts (which imports them all).
import type { WorkerEvent } from '../protocol/messages';
import type { StudioSession } from './session';

export type HandlerContext = { session: StudioSession; emit(event: WorkerEvent): void };
