// The worker's sign of life for the page (bridge/workerLiveness.ts): a Web Lock held for as long as this worker
// lives, named in an 'alive' message once it is held. The browser releases it when the worker is gone.
import type { Post } from './dispatch';

type Locks = { request(name: string, callback: () => Promise<void>): Promise<unknown> };

export function holdLivenessLock(post: Post): void {
  const locks = (globalThis.navigator as { locks?: Locks } | undefined)?.locks;
  if (!locks) return;
  const name = `finetune-studio:worker:${crypto.randomUUID()}`;
  // Never resolves: the lock lives with the worker.
  locks
    .request(name, () => {
      post({ type: 'alive', lock: name });
      return new Promise<void>(() => undefined);
    })
    .catch((e: unknown) => console.warn('no liveness lock; a crash of this worker is seen only by its error event', e));
}
