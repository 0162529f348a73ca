import { ChildProcess } from 'node:child_process';
import { eventually } from './support/eventually';
import { TestStack, seedSeller, startTestStack } from './support/test-stack';
import { killWorkerProcess, startWorkerProcess } from './support/worker-process';
import { BANS, b2cRow, orderWorkbook } from '../libs/dev/fixtures';

const ROWS = 2000;

describe('a worker killed in the middle of a 2,000-row confirm', () => {
  let stack: TestStack;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    stack = await startTestStack({ withWorker: false });
    await seedSeller(stack, 2500);
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await stack.close();
  });

  it('ends with every row issued exactly once and no number skipped after a restart', async () => {
    const rows = Array.from({ length: ROWS }, (_, i) => b2cRow(`BULK-${String(i).padStart(5, '0')}`));
    const preview = await stack.http().post(`/api/v1/sellers/${BANS.seller}/imports`).set(stack.admin()).attach('file', await orderWorkbook(rows), 'bulk.xlsx').expect(201);
    expect(preview.body).toMatchObject({ rowsRead: ROWS, rowsImportable: ROWS, errors: [] });
    const progress = () => stack.http().get(`/api/v1/imports/${preview.body.id}`).set(stack.admin()).then((r) => r.body);

    worker = startWorkerProcess(stack);
    await stack.http().post(`/api/v1/imports/${preview.body.id}/confirm`).set(stack.admin()).expect(202);
    const midway = await eventually(progress, (body) => body.issued >= 300, 120_000);
    expect(midway.state).toBe('running');
    await killWorkerProcess(worker);
    const atKill = await progress();
    expect(atKill.issued).toBeLessThan(ROWS);

    worker = startWorkerProcess(stack);
    const done = await eventually(progress, (body) => body.state === 'done', 240_000);
    expect(done).toMatchObject({ total: ROWS, issued: ROWS, failed: 0, pending: 0 });

    const issued: { billing_no: string; invoice_number: string }[] = await stack.db.dataSource.query(
      `SELECT billing_no, invoice_number FROM invoices WHERE import_id = $1 ORDER BY invoice_number`,
      [preview.body.id],
    );
    expect(issued).toHaveLength(ROWS);
    expect(new Set(issued.map((i) => i.billing_no)).size).toBe(ROWS);
    const numbers = issued.map((i) => Number(i.invoice_number.slice(2)));
    expect(numbers[ROWS - 1] - numbers[0]).toBe(ROWS - 1);
    // Numbers follow the rows: the first row got the first number, the last row the last.
    const byRow = issued.slice().sort((a, b) => a.billing_no.localeCompare(b.billing_no));
    expect(byRow.map((i) => i.invoice_number)).toEqual(issued.map((i) => i.invoice_number));
    const [{ allocated }] = await stack.db.dataSource.query(`SELECT count(*)::int AS allocated FROM allocated_numbers`);
    expect(allocated).toBe(ROWS);
  }, 420_000);
});
