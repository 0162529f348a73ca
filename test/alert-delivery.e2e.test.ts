import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../libs/adapters/webhook/webhook-sender';
import { AlertsService } from '../libs/modules/alerts';
import { eventually } from './support/eventually';
import { TestStack, startTestStack } from './support/test-stack';

const SECRET = 'test-webhook-secret-0123456789';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A real HTTP receiver: answers 500 to the first request and 200 to the rest, and keeps what arrived. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answered = received.length === 0 ? 500 : 200;
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      response.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/einvoice`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const payloadOf = (r: Received) => JSON.parse(r.body) as { delivery: string; kind: string; count: number; summary: boolean; alerts: { id: string }[] };

describe('alert delivery: signed webhook with retries, staff e-mail, a burst as one summary', () => {
  let stack: TestStack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let alerts: AlertsService;

  beforeAll(async () => {
    receiver = await startReceiver();
    stack = await startTestStack({
      env: { ALERT_WEBHOOK_URL: receiver.url, ALERT_WEBHOOK_SECRET: SECRET, ALERT_EMAILS: 'ops@example.com, duty@example.com', ALERT_BURST_SECONDS: '2', ALERT_RETRY_BASE_MS: '200' },
    });
    alerts = stack.app.get(AlertsService);
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('signs the webhook with HMAC-SHA256, retries after a 500, e-mails staff, and shows the last delivery state', async () => {
    const { alert } = await alerts.raise({
      kind: 'turnkey.silent', severity: 'warning', sellerId: null, subject: { type: 'message', id: 'F0401:AB10000000' },
      causeKey: 'silent:AB10000000', message: 'sent to Turnkey 2 hours ago, no confirmation since',
    });
    const [first, retry] = await eventually(async () => receiver.received, (r) => r.length >= 2);
    expect([first.answered, retry.answered]).toEqual([500, 200]);
    // The same delivery again: only its send time differs.
    expect({ ...JSON.parse(retry.body), sentAt: null }).toEqual({ ...JSON.parse(first.body), sentAt: null });
    expect(retry.headers['x-einvoice-delivery']).toBe(first.headers['x-einvoice-delivery']);
    for (const request of [first, retry]) {
      const timestamp = String(request.headers['x-einvoice-timestamp']);
      const signature = String(request.headers['x-einvoice-signature']);
      expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(SECRET, timestamp, request.body, signature)).toBe(true);
      expect(verifyWebhookSignature('another-secret-of-16+', timestamp, request.body, signature)).toBe(false);
      expect(verifyWebhookSignature(SECRET, timestamp, request.body.replace('turnkey.silent', 'turnkey.silenT'), signature)).toBe(false);
    }
    expect(payloadOf(retry)).toMatchObject({ kind: 'turnkey.silent', count: 1, summary: false, alerts: [{ id: alert.id, message: alert.message }] });

    const mail = await eventually(async () => stack.mails.find((m) => m.raw.includes('turnkey.silent')), (m) => m !== undefined);
    expect(mail!.to.sort()).toEqual(['duty@example.com', 'ops@example.com']);

    const state = await eventually(
      async () => (await stack.http().get('/api/v1/alert-deliveries').set(stack.admin()).expect(200)).body,
      (body) => body.last.some((d: { target: string; state: string }) => d.target === 'webhook' && d.state === 'delivered'),
    );
    expect(state.targets.sort()).toEqual(['email', 'webhook']);
    expect(state.last.find((d: { target: string }) => d.target === 'webhook')).toMatchObject({ attempts: 2, lastResult: 'HTTP 200', kind: 'turnkey.silent' });
  });

  it('sends a burst of one kind as one summary, and a later alert of that kind after the window on its own', async () => {
    const raised = await stack.db.dataSource.transaction(async (manager) => {
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) {
        const { alert } = await alerts.raise(
          {
            kind: 'upload.rejected', severity: 'critical', sellerId: null, subject: { type: 'invoice', id: `AB1000${String(i).padStart(4, '0')}` },
            causeKey: `burst:${i}`, message: `rejected by the platform: S099 (${i})`,
          },
          manager,
        );
        ids.push(alert.id);
      }
      return ids;
    });
    const ofKind = () => receiver.received.filter((r) => r.answered === 200 && payloadOf(r).kind === 'upload.rejected').map(payloadOf);
    const [summary] = await eventually(async () => ofKind(), (list) => list.length >= 1);
    expect(summary).toMatchObject({ count: 10, summary: true });
    expect(summary.alerts.map((a) => a.id).sort()).toEqual([...raised].sort());
    const summaryMail = await eventually(async () => stack.mails.filter((m) => m.raw.includes('upload.rejected')), (m) => m.length >= 1);
    expect(summaryMail).toHaveLength(1);

    const { alert: later } = await alerts.raise({
      kind: 'upload.rejected', severity: 'critical', sellerId: null, subject: { type: 'invoice', id: 'AB10000099' }, causeKey: 'burst:later', message: 'rejected again',
    });
    const list = await eventually(async () => ofKind(), (l) => l.length >= 2);
    expect(list).toHaveLength(2);
    expect(list[1]).toMatchObject({ count: 1, summary: false, alerts: [{ id: later.id }] });
  });
});
