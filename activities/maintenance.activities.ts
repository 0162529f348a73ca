import { InvoicesService } from '../libs/modules/invoices';
import { WorkflowStarter } from '../libs/adapters/temporal/workflow-starter';

export interface MaintenanceActivityDeps {
  invoices: InvoicesService;
  starter: WorkflowStarter;
}

export const createMaintenanceActivities = ({ invoices, starter }: MaintenanceActivityDeps) => ({
  /** Starts the lifecycle of every invoice committed without one; starting is idempotent, so a repeat is harmless. */
  async startUnstartedLifecycles(olderThanMs: number): Promise<number> {
    const unstarted = await invoices.unstartedLifecycles(olderThanMs);
    for (const { sellerBan, ...record } of unstarted) await starter.startLifecycle(sellerBan, record);
    return unstarted.length;
  },
});

export type MaintenanceActivities = ReturnType<typeof createMaintenanceActivities>;
