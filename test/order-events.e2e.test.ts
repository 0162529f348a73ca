import { fc } from '@fast-check/jest';
import { Client } from '@temporalio/client';
import request from 'supertest';
import { orderWorkflowId } from '../libs/contracts/order-workflow';
import { OrderEvent } from '../libs/domain/order/order-event';
import { eventually } from './support/eventually';
import { TestStack, seedSeller, startTestStack } from './support/test-stack';
import { BANS, mofCsv } from '../libs/dev/fixtures';

type Auth = { Authorization: string };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const content = (price = 150) => ({
  taxType: '1',
  buyer: { name: '王小明' },
  carrier: { type: '3J0002', id: '/ABC+123' },
  lines: [
    { description: '咖啡豆', quantity: 2, unitPrice: price, amount: 2 * price },
    { description: '濾紙', quantity: 1, unitPrice: 60, amount: 60 },
  ],
});
let clock = Date.parse('2026-01-01T00:00:00Z');
/** Events in the order they happened, a minute apart; tests send them in whatever order they choose. */
const happened = (eventId: string, type: OrderEvent['type'], extra: Json = {}) => ({
  eventId,
  type,
  occurredAt: new Date(Math.min((clock += 60_000), Date.now())).toISOString(),
  ...extra,
});

describe('order events: one order workflow per channel and order number (HTTP, PostgreSQL, Temporal, simulator)', () => {
  let stack: TestStack;
  let keys: Record<string, Auth>;
  const channels = `/api/v1/sellers/${BANS.seller}/channels`;
  const send = (channel: string, orderNo: string, event: object, auth?: Auth) =>
    stack.http().post(`${channels}/${channel}/orders/${orderNo}/events`).set(auth ?? stack.admin()).send(event);
  const order = (channel: string, orderNo: string, ban: string = BANS.seller): Promise<Json> =>
    stack.http().get(`/api/v1/sellers/${ban}/channels/${channel}/orders/${orderNo}`).set(stack.admin()).expect(200).then((r) => r.body);
  /** The order's workflow has done all it can with what it was sent: its latest run has ended. */
  const quiet = (channel: string, orderNo: string, ban: string = BANS.seller) =>
    stack.app.get(Client).workflow.getHandle(orderWorkflowId(ban, channel, orderNo)).result();
  const sendAll = async (channel: string, orderNo: string, events: object[], auth?: Auth) => {
    for (const event of events) await send(channel, orderNo, event, auth).expect(202);
    await quiet(channel, orderNo);
    return order(channel, orderNo);
  };
  const invoicesOf = async (billingNo: string): Promise<number> =>
    (await stack.db.dataSource.query(`SELECT count(*)::int AS n FROM invoices WHERE billing_no = $1`, [billingNo]))[0].n;
  const messagesAccepted = (channel: string, orderNo: string, types: string[]) =>
    eventually(
      () => order(channel, orderNo),
      (o) => o.invoices.flatMap((i: Json) => i.messages.filter((m: Json) => m.status === 'accepted').map((m: Json) => m.messageType)).join() === types.join(),
    );

  beforeAll(async () => {
    stack = await startTestStack();
    await seedSeller(stack);
    keys = {};
    for (const [code, issueTriggers] of [['shop', ['shipment']], ['pos', ['payment']]] as const) {
      await stack.http().post(channels).set(stack.admin()).send({ code, kind: 'web', name: code, issueTriggers }).expect(201);
      const key = await stack.http().post(`${channels}/${code}/api-keys`).set(stack.admin()).send({ name: `${code} backend` }).expect(201);
      keys[code] = { Authorization: `Bearer ${key.body.key}` };
    }
  });
  afterAll(() => stack.close());

  it('with trigger shipment: paid alone issues nothing, shipped issues once, a repeated shipped nothing more', async () => {
    const events = [happened('c-1', 'created', { content: content() }), happened('p-1', 'paid')];
    const shipped = happened('s-1', 'shipped');
    const first = await send('shop', 'S-1', events[0], keys.shop).expect(202);
    expect(first.body).toEqual({ workflowId: `order:${BANS.seller}:shop:S-1`, state: 'pending', repeat: false });
    const paid = await sendAll('shop', 'S-1', events.slice(1), keys.shop);
    expect(paid).toMatchObject({ state: 'pending', waitingFor: ['shipment'], invoices: [] });
    expect(paid.events.received.map((e: Json) => `${e.eventId}:${e.status}`)).toEqual(['c-1:waiting', 'p-1:waiting']);
    expect(await invoicesOf('S-1')).toBe(0);

    const issued = await sendAll('shop', 'S-1', [shipped], keys.shop);
    expect(issued).toMatchObject({ state: 'issued', invoices: [{ billingNo: 'S-1', channel: 'shop', contentEventId: 'c-1' }] });
    expect(issued.events.applied.map((e: Json) => [e.eventId, e.effect])).toEqual([
      ['c-1', `issued ${issued.invoices[0].number}`],
      ['p-1', 'noted'],
      ['s-1', `issued ${issued.invoices[0].number} (shipment reached)`],
    ]);

    const repeat = await send('shop', 'S-1', shipped, keys.shop).expect(202);
    expect(repeat.body).toMatchObject({ state: 'issued', repeat: true });
    const after = await sendAll('shop', 'S-1', [happened('s-2', 'shipped')], keys.shop);
    expect(after.invoices.map((i: Json) => i.number)).toEqual([issued.invoices[0].number]);
    expect(after.events.received.find((e: Json) => e.eventId === 's-1').repeats).toBe(1);
    expect(after.events.applied.at(-1)).toMatchObject({ eventId: 's-2', effect: `noted (${issued.invoices[0].number} already issued)` });
    expect(await invoicesOf('S-1')).toBe(1);
  });

  it('refuses an event id sent again with other content (409 naming the id and the first kind), leaves the order unchanged and shows the refusal on it', async () => {
    const created = happened('c-r', 'created', { content: content() });
    const before = await sendAll('pos', 'R-1', [created, happened('p-r', 'paid')]);
    expect(before).toMatchObject({ state: 'issued' });
    const reused = await send('pos', 'R-1', { ...happened('c-r', 'cancelled') }).expect(409);
    expect(reused.body).toMatchObject({ code: 'ORDER_EVENT.ID_REUSED', details: [expect.objectContaining({ field: 'eventId' })] });
    expect(reused.body.message).toContain('c-r');
    expect(reused.body.message).toContain('"created"');
    const otherContent = await send('pos', 'R-1', { ...created, content: content(999) }).expect(409);
    expect(otherContent.body.code).toBe('ORDER_EVENT.ID_REUSED');
    // The same event again is still a repeat, not a refusal.
    expect((await send('pos', 'R-1', created).expect(202)).body).toMatchObject({ repeat: true });
    await quiet('pos', 'R-1');
    const after = await order('pos', 'R-1');
    expect(after).toMatchObject({ state: 'issued', invoices: before.invoices.map((i: Json) => expect.objectContaining({ number: i.number })) });
    expect(after.events.received.map((e: Json) => e.eventId)).toEqual(['c-r', 'p-r']);
    expect(after.events.refused).toEqual([
      expect.objectContaining({ eventId: 'c-r', firstType: 'created', times: 2, lastType: 'created', lastAt: expect.any(String) }),
    ]);
    expect(await invoicesOf('R-1')).toBe(1);
  });

  it("takes a channel's events only with that channel's key (or an admin key)", async () => {
    const refused = await send('shop', 'K-1', happened('k-1', 'paid'), keys.pos).expect(403);
    expect(refused.body.code).toBe('AUTH.OTHER_CHANNEL');
    await stack.http().get(`${channels}/shop/orders/S-1`).set(keys.pos).expect(403);
    await stack.http().get(`${channels}/shop/orders/S-1`).set(keys.shop).expect(200);
    await send('pos', 'K-1', happened('k-1', 'paid'), keys.pos).expect(202);
    await send('pos', 'K-1', happened('k-2', 'shipped')).expect(202);
    await quiet('pos', 'K-1');
    await stack.http().get(`${channels}/pos/orders/NONE`).set(keys.pos).expect(404);
  });

  it('voids the invoice (F0501 accepted) when an issued order is cancelled', async () => {
    const issued = await sendAll('pos', 'C-1', [happened('c', 'created', { content: content() }), happened('p', 'paid')], keys.pos);
    expect(issued.state).toBe('issued');
    const voided = await sendAll('pos', 'C-1', [happened('x', 'cancelled', { reason: '客戶取消' })], keys.pos);
    expect(voided).toMatchObject({ state: 'voided', invoices: [{ status: 'voided', void: { reason: '客戶取消' } }] });
    expect(voided.events.applied.at(-1)).toMatchObject({ eventId: 'x', effect: `voided ${issued.invoices[0].number}` });
    const settled = await messagesAccepted('pos', 'C-1', ['F0501']);
    expect(settled.invoices[0].messages).toEqual([expect.objectContaining({ messageType: 'F0501', status: 'accepted' })]);
  });

  it('ends an order cancelled before issue with nothing issued, whatever comes later', async () => {
    const cancelled = await sendAll('shop', 'C-2', [happened('c', 'created', { content: content() }), happened('x', 'cancelled')]);
    expect(cancelled).toMatchObject({ state: 'cancelled', invoices: [] });
    const ended = await sendAll('shop', 'C-2', [happened('s', 'shipped')]);
    expect(ended).toMatchObject({ state: 'cancelled', invoices: [] });
    expect(ended.events.applied.map((e: Json) => e.effect)).toEqual(['cancelled before issue: nothing issued', 'ignored: the order was cancelled', 'ignored: the order is cancelled']);
    expect(await invoicesOf('C-2')).toBe(0);
  });

  it('enters a partial allowance (G0401 accepted) for a return of one line', async () => {
    await sendAll('pos', 'R-1', [happened('c', 'created', { content: content() }), happened('p', 'paid')], keys.pos);
    const returned = await sendAll('pos', 'R-1', [happened('r', 'returned', { lines: [{ line: 2, quantity: 1 }], reason: '瑕疵' })], keys.pos);
    expect(returned.state).toBe('issued');
    expect(returned.invoices[0]).toMatchObject({ status: 'accepted', allowances: [{ status: 'live', lines: [{ lineIndex: 1, quantity: 1, amount: 60 }], reason: '瑕疵' }] });
    await messagesAccepted('pos', 'R-1', ['G0401']);
  });

  it('voids and re-issues under the same BillingNo with a new number when the content changes after issue', async () => {
    const first = await sendAll('pos', 'U-1', [happened('c', 'created', { content: content() }), happened('p', 'paid')], keys.pos);
    const changed = await sendAll('pos', 'U-1', [happened('u', 'updated', { content: content(140) })], keys.pos);
    expect(changed.state).toBe('issued');
    expect(changed.invoices.map((i: Json) => [i.billingNo, i.status === 'voided', i.contentEventId])).toEqual([
      ['U-1', true, 'c'],
      ['U-1', false, 'u'],
    ]);
    expect(changed.invoices[1].number).not.toBe(first.invoices[0].number);
    expect(changed.invoices[1].amounts.total).toBe(340);
    expect(changed.events.applied.at(-1)).toMatchObject({ eventId: 'u', effect: `re-issued as ${changed.invoices[1].number}` });
    await eventually(() => order('pos', 'U-1'), (o) => o.invoices[0].messages[0]?.status === 'accepted');
  });

  it('holds an order it cannot issue for staff (state attention, an order.attention alert) and issues once a later event comes', async () => {
    await stack.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(stack.admin()).send({ billingNo: 'A-1', ...content(100) }).expect(201);
    const held = await sendAll('pos', 'A-1', [happened('c', 'created', { content: content() }), happened('p', 'paid')], keys.pos);
    expect(held).toMatchObject({ state: 'attention', attention: expect.stringContaining('INVOICE.BILLING_NO_CONFLICT'), invoices: [] });
    const alerts = await stack.http().get(`/api/v1/alerts?kind=order.attention`).set(stack.admin()).expect(200);
    expect(alerts.body.alerts).toEqual([expect.objectContaining({ kind: 'order.attention', state: 'open', message: expect.stringContaining('order A-1 of channel pos') })]);
    // The shop corrects the order to what was issued: the same BillingNo and content is the invoice already issued.
    const fixed = await sendAll('pos', 'A-1', [happened('u', 'updated', { content: content(100) })], keys.pos);
    expect(fixed).toMatchObject({ state: 'issued', attention: null, invoices: [{ billingNo: 'A-1', contentEventId: 'u' }] });
    const after = await stack.http().get(`/api/v1/alerts?kind=order.attention&state=resolved`).set(stack.admin()).expect(200);
    expect(after.body.alerts).toHaveLength(1);
  });

  it('ends in the same state whatever the order the same events arrive in', async () => {
    const events = [
      happened('c', 'created', { content: content() }),
      happened('p', 'paid'),
      happened('s', 'shipped'),
      happened('d', 'delivered'),
      happened('r', 'returned', { lines: [{ line: 1, quantity: 1 }] }),
    ];
    const sent = [...events, events[2]];
    let run = 0;
    const finals: Json[] = [];
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(sent, { minLength: sent.length, maxLength: sent.length }), async (arrival) => {
        const orderNo = `P-${++run}`;
        await sendAll('shop', orderNo, arrival, keys.shop);
        const o = await messagesAccepted('shop', orderNo, ['G0401']);
        const final = {
          state: o.state,
          invoices: o.invoices.map((i: Json) => ({ status: i.status, amounts: i.amounts, lines: i.lines, allowances: i.allowances.map((a: Json) => [a.status, a.lines, a.taxableAmount, a.taxAmount]) })),
          applied: o.events.applied.map((e: Json) => e.eventId).sort(),
          repeats: o.events.received.map((e: Json) => [e.eventId, e.repeats]).sort(),
        };
        finals.push(final);
        expect(final).toEqual(finals[0]);
      }),
      { numRuns: 4 },
    );
    expect(finals[0]).toMatchObject({ state: 'issued', invoices: [{ status: 'accepted', allowances: [['live', [{ lineIndex: 0, quantity: 1, amount: 150 }], 143, 7]] }] });
  });

  it('refuses a malformed event naming the field (400) and an unknown channel (404), storing nothing', async () => {
    const count = async () => (await stack.db.dataSource.query(`SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_events) AS n`))[0].n;
    const before = await count();
    const bad = { ...content(), lines: [{ description: '咖啡豆', quantity: 2, unitPrice: 150, amount: 299 }] };
    const cases: [object, string][] = [
      [happened('b1', 'created', { content: bad }), 'content.lines[0].amount'],
      [{ type: 'paid', occurredAt: new Date().toISOString() }, 'eventId'],
      [happened('b3', 'paid', { content: content() }), 'content'],
      [{ ...happened('b4', 'paid'), type: 'refunded' }, 'type'],
      [happened('b5', 'returned'), 'lines'],
      [{ ...happened('b6', 'paid'), occurredAt: '2026-01-01 10:00' }, 'occurredAt'],
    ];
    for (const [event, field] of cases) {
      const response = await send('shop', 'B-1', event, keys.shop).expect(400);
      expect(response.body.details.map((d: Json) => d.field)).toContain(field);
    }
    const unknown = await send('nope', 'B-1', happened('b7', 'paid')).expect(404);
    expect(unknown.body.code).toBe('CHANNEL.NOT_FOUND');
    expect(await count()).toBe(before);
    await stack.http().get(`${channels}/shop/orders/B-1`).set(stack.admin()).expect(404);
  });

  it('changes triggers and logistics, warning when delivery is the only trigger of a self-shipping channel', async () => {
    const patch = (body: object, auth: Auth = stack.admin()) => stack.http().patch(`${channels}/pos`).set(auth).send(body);
    const risky = await patch({ issueTriggers: ['delivery'], selfManagedLogistics: true }).expect(200);
    expect(risky.body).toMatchObject({ code: 'pos', issueTriggers: ['delivery'], selfManagedLogistics: true, warnings: [expect.stringContaining('delivery')] });
    const seller = await stack.http().get(`/api/v1/sellers/${BANS.seller}`).set(stack.admin()).expect(200);
    expect(seller.body.channels.find((c: Json) => c.code === 'pos').warnings).toHaveLength(1);
    await patch({ issueTriggers: ['payment'] }, keys.pos).expect(403);
    expect((await patch({ issueTriggers: ['never'] }).expect(400)).body.details[0].field).toBe('issueTriggers');
    const fixed = await patch({ issueTriggers: ['payment', 'delivery'] }).expect(200);
    expect(fixed.body.warnings).toEqual([]);
    // An order already issued is not affected; one pending now waits for payment or delivery.
    const pending = await sendAll('pos', 'T-1', [happened('c', 'created', { content: content() }), happened('s', 'shipped')], keys.pos);
    expect(pending).toMatchObject({ state: 'pending', waitingFor: ['payment', 'delivery'] });
    await patch({ issueTriggers: ['payment'], selfManagedLogistics: false }).expect(200);
  });

  it('issues exactly 200 invoices with 200 consecutive numbers for 200 orders × 4 events sent at once', async () => {
    const ban = BANS.other;
    await stack.http().post('/api/v1/sellers').set(stack.admin()).send({ ban, name: '批次股份有限公司' }).expect(201);
    await stack.http().post(`/api/v1/sellers/${ban}/channels`).set(stack.admin()).send({ code: 'bulk', kind: 'marketplace', name: '市集', issueTriggers: ['shipment'] }).expect(201);
    const now = new Date(Date.now() + 8 * 3600_000);
    const period = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    await stack.http().post(`/api/v1/sellers/${ban}/tracks/import`).set(stack.admin())
      .attach('file', mofCsv(ban, [{ track: 'CD', start: '20000000', end: '20000499', period }]), 'invnoapply.csv').expect(201);
    const requests = Array.from({ length: 200 }, (_, i) => {
      const orderNo = `L-${i}`;
      return [happened('c', 'created', { content: content() }), happened('p', 'paid'), happened('s', 'shipped'), happened('d', 'delivered')].map((event) => ({ orderNo, event }));
    }).flat();
    const shuffled = fc.sample(fc.shuffledSubarray(requests, { minLength: requests.length, maxLength: requests.length }), { numRuns: 1, seed: 42 })[0];
    // One listening server and 50 requests in flight at a time: 800 sockets at once would overflow the listen backlog.
    const server = stack.app.getHttpServer().listen(0);
    const url = `http://127.0.0.1:${server.address().port}`;
    const queue = [...shuffled];
    const answers: { status: number; body: unknown }[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const { orderNo, event } = next;
          answers.push(await request(url).post(`/api/v1/sellers/${ban}/channels/bulk/orders/${orderNo}/events`).set(stack.admin()).send(event));
        }
      }),
    );
    await new Promise((resolve) => server.close(resolve));
    expect(answers.filter((a) => a.status !== 202).map((a) => a.body)).toEqual([]);
    const sellerId = (await stack.db.dataSource.query(`SELECT id FROM sellers WHERE ban = $1`, [ban]))[0].id;
    await eventually(
      () => stack.db.dataSource.query(`SELECT count(*)::int AS n FROM orders WHERE seller_id = $1 AND state = 'issued'`, [sellerId]),
      ([{ n }]) => n === 200,
      480_000,
    );
    await Promise.all(Array.from({ length: 200 }, (_, i) => quiet('bulk', `L-${i}`, ban)));
    const numbers: string[] = (await stack.db.dataSource.query(`SELECT invoice_number FROM invoices WHERE seller_id = $1 ORDER BY invoice_number`, [sellerId])).map(
      (r: { invoice_number: string }) => r.invoice_number,
    );
    expect(numbers).toHaveLength(200);
    expect(new Set(numbers).size).toBe(200);
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => `CD${20000000 + i}`));
    const [{ orders, links }] = await stack.db.dataSource.query(
      `SELECT count(DISTINCT o.id)::int AS orders, count(l.invoice_id)::int AS links FROM orders o JOIN order_invoices l ON l.order_id = o.id WHERE o.seller_id = $1`,
      [sellerId],
    );
    expect([orders, links]).toEqual([200, 200]);
  }, 600_000);
});
