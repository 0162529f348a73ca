import { proxyLocalActivities } from '@temporalio/workflow';
import type { BareActivities } from './bare-worker';

const { noop } = proxyLocalActivities<BareActivities>({ startToCloseTimeout: '10 seconds' });

/** What an accepted lifecycle minimally is: one workflow task that runs one local activity and completes. */
export async function benchBareLifecycle(): Promise<void> {
  await noop();
}
