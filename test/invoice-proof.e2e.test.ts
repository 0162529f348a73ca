import { openQrVerification } from '../libs/adapters/crypto/qr-verification';
import { BANS, b2cOrder } from '../libs/dev/fixtures';
import { eventually } from './support/eventually';
import { proofDecoder } from './support/proof-decoder';
import { TestStack, seedSeller, startTestStack } from './support/test-stack';

const KEY = '0123456789ABCDEF0123456789ABCDEF';

describe('the invoice proof (電子發票證明聯) through HTTP: the original once, reprints marked 補印, every print recorded', () => {
  let stack: TestStack;
  let viewer: { Authorization: string };
  let finance: { Authorization: string };
  const decoder = proofDecoder();
  const base = `/api/v1/sellers/${BANS.seller}`;
  const print = (number: string, auth: { Authorization: string }, layout = 'thermal') =>
    stack.http().post(`${base}/invoices/${number}/prints`).set(auth).send({ layout }).buffer(true)
      // A PDF answer as bytes: supertest parses only text and JSON by itself.
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const issue = async (order: object) => (await stack.http().post(`${base}/invoices`).set(stack.admin()).send(order).expect(201)).body.number as string;

  beforeAll(async () => {
    await decoder.open();
    stack = await startTestStack();
    await seedSeller(stack);
    const key = async (role: string) => ({ Authorization: `Bearer ${(await stack.http().post('/api/v1/api-keys').set(stack.admin()).send({ role, name: role }).expect(201)).body.key}` });
    viewer = await key('viewer');
    finance = await key('finance');
  });
  afterAll(async () => {
    await stack.close();
    decoder.close();
  });

  it('prints the B2B proof with codes the MOF app reads, once as the original and then as reprints', async () => {
    const number = await issue({ billingNo: 'P-B2B', taxType: '1', buyer: { ban: BANS.buyer, name: '買方公司' }, lines: [{ description: '顧問', quantity: 1, unitPrice: 1000, amount: 1000 }] });
    const noKey = await stack.http().post(`${base}/invoices/${number}/prints`).set(stack.admin()).send({}).expect(409);
    expect(noKey.body).toMatchObject({ code: 'PROOF.NO_QR_KEY' });
    expect(noKey.body.message).toContain('qr-key');
    await stack.http().put(`${base}/qr-key`).set(stack.admin()).send({ key: KEY }).expect(200);

    const first = await print(number, finance).expect(201);
    expect(first.headers['content-type']).toBe('application/pdf');
    expect(first.headers['x-proof-copy']).toBe('original');
    const original = await decoder.decode(first.body, 600);
    const detail = (await stack.http().get(`${base}/invoices/${number}`).set(stack.admin()).expect(200)).body;
    const left = original.qr.find((text) => !text.startsWith('**'))!;
    expect(left.slice(0, 10)).toBe(number);
    expect(left.slice(37, 45)).toBe(BANS.buyer);
    expect(left.slice(45, 53)).toBe(BANS.seller);
    expect(openQrVerification(KEY, left.slice(53, 77))).toBe(`${number}${detail.randomNumber}`);
    expect(original.code39).toEqual([expect.stringContaining(`${number}${detail.randomNumber}`)]);
    expect(original.text).toContain('電子發票證明聯');
    expect(original.text).not.toContain('補印');

    const again = await print(number, stack.admin(), 'a4').expect(201);
    expect(again.headers['x-proof-copy']).toBe('reprint');
    expect((await decoder.decode(again.body, 300)).text).toContain('電子發票證明聯補印');

    const prints = await stack.db.dataSource.query(`SELECT layout, reprint, printed_by FROM invoice_prints p JOIN invoices i ON i.id = p.invoice_id WHERE i.invoice_number = $1 ORDER BY printed_at`, [number]);
    expect(prints).toEqual([
      { layout: 'thermal', reprint: false, printed_by: 'finance' },
      { layout: 'a4', reprint: true, printed_by: expect.any(String) },
    ]);
    const timeline = (await stack.http().get(`${base}/invoices/${number}`).set(stack.admin()).expect(200)).body.timeline.map((e: { kind: string }) => e.kind);
    expect(timeline).toEqual(expect.arrayContaining(['proof printed', 'proof reprinted']));
  });

  it('e-mails the proof to the buyer of a printed invoice as the original; a later print is the reprint', async () => {
    const number = await issue({ billingNo: 'P-MAIL', taxType: '1', buyer: { ban: BANS.buyer, name: '買方公司', email: 'buyer@example.com' }, lines: [{ description: '顧問', quantity: 1, unitPrice: 500, amount: 500 }] });
    const mail = await eventually(async () => stack.mails.find((m) => m.raw.includes(number)), (m) => m !== undefined);
    expect(mail!.raw).toContain('Content-Type: application/pdf');
    expect(mail!.raw).toContain(`${number}.pdf`);
    const prints = await stack.db.dataSource.query(`SELECT via, reprint FROM invoice_prints p JOIN invoices i ON i.id = p.invoice_id WHERE i.invoice_number = $1`, [number]);
    expect(prints).toEqual([{ via: 'email', reprint: false }]);
    expect((await print(number, stack.admin()).expect(201)).headers['x-proof-copy']).toBe('reprint');
    expect(stack.mails.filter((m) => m.raw.includes(number))).toHaveLength(1);
  });

  it('refuses what has no proof and who may not print: carrier, voided, unknown, viewer, another seller', async () => {
    const carrier = await issue(b2cOrder('P-CARRIER'));
    expect((await stack.http().post(`${base}/invoices/${carrier}/prints`).set(stack.admin()).send({}).expect(409)).body.code).toBe('PROOF.NOT_PRINTED');
    const printed = await issue(b2cOrder('P-VOID', { carrier: undefined, print: true }));
    await eventually(() => stack.http().get(`${base}/invoices/${printed}`).set(stack.admin()).then((r) => r.body), (d) => d.status === 'accepted');
    await stack.http().post(`${base}/invoices/${printed}/void`).set(stack.admin()).send({ reason: '取消' }).expect(200);
    expect((await stack.http().post(`${base}/invoices/${printed}/prints`).set(stack.admin()).send({}).expect(409)).body.code).toBe('PROOF.INVOICE_VOIDED');
    expect((await stack.http().post(`${base}/invoices/AB99999999/prints`).set(stack.admin()).send({}).expect(404)).body.code).toBe('INVOICE.NOT_FOUND');
    expect((await stack.http().post(`${base}/invoices/${carrier}/prints`).set(viewer).send({}).expect(403)).body.code).toBe('AUTH.READ_ONLY');
    const bad = await stack.http().post(`${base}/invoices/${carrier}/prints`).set(stack.admin()).send({ layout: 'a5' }).expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'layout' })]);

    await stack.http().post('/api/v1/sellers').set(stack.admin()).send({ ban: BANS.other, name: '另一家' }).expect(201);
    await stack.http().post(`/api/v1/sellers/${BANS.other}/channels`).set(stack.admin()).send({ code: 'web', kind: 'web', name: '官網', issueTriggers: ['payment'] }).expect(201);
    const otherKey = (await stack.http().post(`/api/v1/sellers/${BANS.other}/channels/web/api-keys`).set(stack.admin()).send({ name: 'x' }).expect(201)).body.key;
    expect((await stack.http().post(`${base}/invoices/${carrier}/prints`).set({ Authorization: `Bearer ${otherKey}` }).send({}).expect(403)).body.code).toBe('AUTH.OTHER_SELLER');
  });
});
