import { proxyActivities } from '@temporalio/workflow';
import type { MaintenanceActivities } from '../activities/maintenance.activities';

const io = proxyActivities<MaintenanceActivities>({ startToCloseTimeout: '5 minutes' });

/** Older than this, an issued invoice without an upload has lost its workflow start rather than waiting for it. */
export const UNSTARTED_AFTER_MS = 60_000;

/** Run by a Schedule every few minutes: no committed invoice stays without its lifecycle. */
export async function sweepUnstartedLifecycles(): Promise<number> {
  return io.startUnstartedLifecycles(UNSTARTED_AFTER_MS);
}
