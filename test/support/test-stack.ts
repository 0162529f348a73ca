import { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { createWorkerApp } from '../../apps/worker/create-worker-app';
import { TurnkeySimulator } from '../../apps/turnkey-simulator/turnkey-simulator';
import { OwnParts, TestApi, startTestApi } from './test-api';
import { BANS, freePort, mofCsv } from '../../libs/dev/fixtures';

export interface ReceivedMail {
  to: string[];
  raw: string;
}

export interface TestStack extends TestApi {
  worker?: INestApplicationContext;
  simulator: TurnkeySimulator;
  turnkeyDir: string;
  mails: ReceivedMail[];
  admin(): { Authorization: string };
  close(): Promise<void>;
}

/** A real SMTP server in-process: the worker sends through nodemailer over TCP, the test reads what arrived. */
async function startSmtp(mails: ReceivedMail[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * API + worker + the MOF platform simulator + an SMTP server, all real, on a database and task queue of their own.
 * `withWorker: false` leaves the worker to the test (e.g. a separate process it can kill); `env` adds settings;
 * `temporalAddress` and `database` bring the test's own.
 */
export async function startTestStack(options: { withWorker?: boolean; env?: NodeJS.ProcessEnv } & OwnParts = {}): Promise<TestStack> {
  const turnkeyDir = mkdtempSync(join(tmpdir(), 'einv-turnkey-'));
  const mails: ReceivedMail[] = [];
  const smtp = await startSmtp(mails);
  const api = await startTestApi({ TURNKEY_DIR: turnkeyDir, SMTP_URL: smtp.url, ...options.env }, options);
  const worker = options.withWorker === false ? undefined : await createWorkerApp(api.config);
  const simulator = new TurnkeySimulator(turnkeyDir, api.db.dataSource, { onError: (error) => console.error('turnkey simulator:', error) });
  simulator.start(100);
  return {
    ...api,
    worker,
    simulator,
    turnkeyDir,
    mails,
    admin: () => ({ Authorization: `Bearer ${api.adminKey}` }),
    close: async () => {
      await simulator.stop();
      await worker?.close();
      await api.close();
      await smtp.close();
      rmSync(turnkeyDir, { recursive: true, force: true });
    },
  };
}

/** A seller with a web channel and 1,000 numbers (20 booklets) in the period of today. */
export async function seedSeller(stack: TestApi & { admin(): { Authorization: string } }, numbers = 1000): Promise<void> {
  const http = stack.http;
  await http().post('/api/v1/sellers').set(stack.admin()).send({ ban: BANS.seller, name: '範例股份有限公司', address: '臺北市中正區' }).expect(201);
  await http().post(`/api/v1/sellers/${BANS.seller}/channels`).set(stack.admin()).send({ code: 'web', kind: 'web', name: '官網', issueTriggers: ['payment'] }).expect(201);
  const now = new Date(Date.now() + 8 * 3600_000);
  const period = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  await http()
    .post(`/api/v1/sellers/${BANS.seller}/tracks/import`)
    .set(stack.admin())
    .attach('file', mofCsv(BANS.seller, [{ track: 'AB', start: '10000000', end: String(10000000 + numbers - 1), period }]), 'invnoapply.csv')
    .expect(201);
}
