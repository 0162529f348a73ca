import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { RECONCILIATION_WORKFLOW_TYPES } from '../../contracts/reconciliation';

export const RECONCILIATION_SCHEDULE_ID = 'blank-number-reconciliation';

/**
 * The monthly blank-number run, on the 5th at 00:00 Asia/Taipei: each seller's run for the period just closed (odd
 * months; it uploads on the 6th at 06:00 by its own timer) or a mid-period check (even months). Created once per
 * namespace; every worker calls this at start and the first one wins.
 */
export async function ensureReconciliationSchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: RECONCILIATION_SCHEDULE_ID,
      spec: { calendars: [{ dayOfMonth: 5, hour: 0, minute: 0 }], timezone: 'Asia/Taipei' },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      action: { type: 'startWorkflow', workflowType: RECONCILIATION_WORKFLOW_TYPES.scheduledReconciliations, taskQueue, args: [] },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
