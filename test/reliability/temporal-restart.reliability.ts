import { Client } from '@temporalio/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TemporalDevServer, startTemporalDevServer } from '../../libs/dev/temporal-dev-server';
import { TemporalLifecycleLookup } from '../../libs/adapters/temporal/lifecycle-lookup';
import { InvoicesService } from '../../libs/modules/invoices';
import { InvariantsChecker } from '../../libs/modules/invariants';
import { SellersService } from '../../libs/modules/sellers';
import { eventually } from '../support/eventually';
import { TestStack, seedSeller, startTestStack } from '../support/test-stack';
import { BANS, b2cOrder, freePort } from '../../libs/dev/fixtures';

const HOUR = 3600_000;
/** How far the backdated invoice's due time is from now when it is issued. */
const DUE_IN_MS = 30_000;

/**
 * The Temporal server (a dev server of this test's own, history in a SQLite file) stopped while a lifecycle's
 * deadline timer is pending, kept down past the due time, and started again on the same file: the timer fires.
 */
describe('the Temporal server restarted with timers pending', () => {
  let stack: TestStack;
  let server: TemporalDevServer | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'einv-temporal-restart-'));
  let ports: { port: number; uiPort: number };
  const start = () => startTemporalDevServer(dataDir, ports, () => undefined);
  const invoice = (number: string) => stack.http().get(`/api/v1/sellers/${BANS.seller}/invoices/${number}`).set(stack.admin()).then((r) => r.body);

  beforeAll(async () => {
    ports = { port: await freePort(), uiPort: await freePort() };
    server = await start();
    stack = await startTestStack({ temporalAddress: server.address });
    await seedSeller(stack, 100);
  });
  afterAll(async () => {
    await stack?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('still raises the deadline states once the server is back, and the invoice then uploads', async () => {
    // The platform is out, so the invoice stays unaccepted and its deadline timers stay armed.
    stack.simulator.settings.outage = true;
    const seller = await stack.app.get(SellersService).getSeller(BANS.seller);
    const issuedAt = new Date(Date.now() - (48 * HOUR - DUE_IN_MS));
    const { invoice: issued } = await stack.app.get(InvoicesService).issue(seller, null, b2cOrder('RESTART-1'), issuedAt);
    const number = issued.invoiceNumber;
    const dueSoon = await eventually(() => invoice(number), (body) => body.deadline?.state === 'due_soon', 120_000);
    const dueAt = Date.parse(dueSoon.deadline.dueAt);

    await server!.stop();
    // Down past the due time, so the overdue timer comes due while nothing runs.
    await eventually(async () => Date.now(), (now) => now > dueAt + 5_000, DUE_IN_MS + 60_000);
    server = await start();

    const overdue = await eventually(() => invoice(number), (body) => body.deadline.state === 'overdue', 180_000);
    expect(overdue.status).not.toBe('accepted');
    expect(overdue.timeline.filter((e: { kind: string }) => e.kind === 'deadline').map((e: { detail: { state: string } }) => e.detail.state)).toEqual([
      'due_soon',
      'overdue',
    ]);

    stack.simulator.settings.outage = false;
    await eventually(() => invoice(number), (body) => body.status === 'accepted', 180_000);
    const report = await new InvariantsChecker(stack.db.dataSource).check(new TemporalLifecycleLookup(stack.app.get(Client)));
    expect(report.skipped).toEqual([]);
    expect(report.violations).toEqual([]);
  });
});
