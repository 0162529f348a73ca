import { Client } from '@temporalio/client';
import { createMaintenanceActivities } from '../activities/maintenance.activities';
import { InvoicesService } from '../libs/modules/invoices';
import { SWEEP_SCHEDULE_ID } from '../libs/adapters/temporal/maintenance-schedule';
import { WorkflowStarter } from '../libs/adapters/temporal/workflow-starter';
import { SellersService } from '../libs/modules/sellers';
import { eventually } from './support/eventually';
import { TestStack, seedSeller, startTestStack } from './support/test-stack';
import { BANS, b2cOrder } from '../libs/dev/fixtures';

describe('an invoice committed without its lifecycle (the process died in between)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
    await seedSeller(stack);
  });
  afterAll(() => stack.close());

  it('is found by the sweep and uploaded; the sweep runs on a Schedule the worker creates', async () => {
    const app = stack.app;
    const seller = await app.get(SellersService).getSeller(BANS.seller);
    // Committed exactly as the API does, but the workflow start never happens.
    const [record] = await stack.db.dataSource.transaction((manager) =>
      app.get(InvoicesService).issueInTransaction(manager, seller.id, null, [{ input: b2cOrder('SWEEP-1') }], new Date()),
    );
    const sweep = createMaintenanceActivities({ invoices: app.get(InvoicesService), starter: app.get(WorkflowStarter) });
    expect(await sweep.startUnstartedLifecycles(60_000)).toBe(0);
    expect(await sweep.startUnstartedLifecycles(0)).toBe(1);

    const status = () => stack.db.dataSource.query(`SELECT status FROM invoices WHERE id = $1`, [record.invoiceId]).then((rows) => rows[0].status);
    await eventually(status, (s) => s === 'accepted');
    expect(await sweep.startUnstartedLifecycles(0)).toBe(0);

    const schedule = await app.get(Client).schedule.getHandle(SWEEP_SCHEDULE_ID).describe();
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'sweepUnstartedLifecycles' });
  });
});
