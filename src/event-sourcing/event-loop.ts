import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long synchronous work may hold the event loop before it lets other requests in. */
export const EVENT_LOOP_BUDGET_MS = 20;

/**
 * A yield point for long loops: call `await pause()` often; it gives the event loop a turn only once
 * the budget is spent, so other requests are served while a large file or stream is worked through.
 */
export function eventLoopPauser(budgetMs = EVENT_LOOP_BUDGET_MS): () => Promise<void> {
  let since = Date.now();
  return async () => {
    if (Date.now() - since < budgetMs) return;
    await nextTurn();
    since = Date.now();
  };
}
