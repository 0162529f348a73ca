import { Context } from '@temporalio/activity';

/**
 * Heartbeats while `work` waits on something outside (a void that waits for the invoice's upload): a worker that
 * dies is noticed within the heartbeat timeout, not the activity's whole start-to-close timeout.
 */
export async function heartbeating<T>(work: () => Promise<T>, everyMs = 5_000): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
