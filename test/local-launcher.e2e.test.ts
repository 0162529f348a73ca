import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from './support/eventually';
import { freePort, mofCsv } from '../libs/dev/fixtures';

const ROOT = join(__dirname, '..');
const LAUNCHER = join(ROOT, 'dist/apps/local/main.js');
const CLI = join(ROOT, 'dist/apps/cli/main.js');

/** README command 1, as a user runs it (compiled by `npm test`'s build step): embedded PostgreSQL and Temporal. */
describe('the local launcher (README command 1)', () => {
  let dataDir: string;
  let child: ChildProcess;
  let output = '';
  let env: NodeJS.ProcessEnv;
  let port: number;
  let key: string | undefined;

  beforeAll(async () => {
    if (!existsSync(LAUNCHER)) throw new Error(`${LAUNCHER} is missing: run npm run build (npm test does)`);
    dataDir = mkdtempSync(join(tmpdir(), 'einv-local-'));
    port = await freePort();
    env = {
      ...process.env,
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      CREDENTIALS_KEY: '',
      ADMIN_API_KEY: '',
      DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
    };
    // A process group of its own, so the test can press Ctrl-C as a terminal does: SIGINT to the whole group.
    child = spawn(process.execPath, [LAUNCHER], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ctrl-C stops everything')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`launcher exited with ${code} before it was ready:\n${output}`)));
    });
    await ready;
  });

  afterAll(async () => {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints where the API, the docs and the Temporal UI are, and is healthy', async () => {
    expect(output).toContain(`http://localhost:${port}/docs`);
    expect(output).toMatch(/Temporal UI\s+http:\/\/127\.0\.0\.1:\d+/);
    const health = await fetch(`http://localhost:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: { status: 'up' }, temporal: { status: 'up' } });
  });

  it('creates a first admin key from the command line while the service runs', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'create-admin-key', '--name', 'ops'], { env });
    key = /^(einv_\S+)$/m.exec(stdout)?.[1];
    expect(key).toBeDefined();
    const created = await fetch(`http://localhost:${port}/api/v1/sellers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ban: '12345675', name: '範例' }),
    });
    expect(created.status).toBe(201);
  });

  it('issues an invoice that the worker uploads and the platform simulator accepts', async () => {
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`http://localhost:${port}/api/v1${path}`, { ...init, headers: { Authorization: `Bearer ${key}`, ...(init.headers ?? {}) } });
    const taipei = new Date(Date.now() + 8 * 3600_000);
    const period = `${taipei.getUTCFullYear()}${String(taipei.getUTCMonth() + 1).padStart(2, '0')}`;
    const form = new FormData();
    form.append('file', new Blob([mofCsv('12345675', [{ track: 'ZZ', start: '00000000', end: '00000049', period }])]), 'invnoapply.csv');
    expect((await api('/sellers/12345675/tracks/import', { method: 'POST', body: form })).status).toBe(201);
    const issued = await api('/sellers/12345675/invoices', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ billingNo: 'LOCAL-1', taxType: '1', buyer: {}, print: true, lines: [{ description: '測試', quantity: 1, unitPrice: 100, amount: 100 }] }),
    });
    expect(issued.status).toBe(201);
    const accepted = await eventually(
      () => api('/sellers/12345675/invoices/ZZ00000000').then((r) => r.json() as Promise<{ status: string; uploads: unknown[] }>),
      (body) => body.status === 'accepted',
    );
    expect(accepted.uploads).toEqual([expect.objectContaining({ outcome: 'accepted' })]);
  });

  it('stops everything cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('SIGINT: stopping');
    await expect(fetch(`http://localhost:${port}/health`)).rejects.toThrow();
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(existsSync(join(dataDir, 'temporal.db'))).toBe(true);
  });
});
