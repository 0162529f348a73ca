import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { WORKFLOW_TYPES } from '../../contracts/workflows';

export const SWEEP_SCHEDULE_ID = 'sweep-unstarted-lifecycles';

/** Creates the sweep Schedule once per namespace; every worker calls this at start, the first one wins. */
export async function ensureMaintenanceSchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: SWEEP_SCHEDULE_ID,
      spec: { intervals: [{ every: '5 minutes' }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      action: { type: 'startWorkflow', workflowType: WORKFLOW_TYPES.sweepUnstartedLifecycles, taskQueue, args: [] },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
