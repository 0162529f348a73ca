import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, IncomingMessage, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listen } from './support/browser';
import { TestApi, startTestApi } from './support/test-api';
import { createApiApp } from '../apps/api/create-api-app';
import { seedSeller } from './support/test-stack';
import { BANS, b2cOrder, b2cRow, mofCsv, orderWorkbook } from '../libs/dev/fixtures';
import { UPLOAD_LIMITS } from '../apps/api/http/file-upload';
import { SIGN_IN_ATTEMPTS } from '../libs/modules/sessions';

type Operation = { method: string; path: string; query: string[] };

/** Every operation of the OpenAPI document the app serves, with its declared query parameters. */
async function operations(baseUrl: string): Promise<Operation[]> {
  const document = (await (await fetch(`${baseUrl}/docs-json`)).json()) as { paths: object };
  return Object.entries(document.paths as Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(), path, query: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
    })),
  );
}

/** Writes a request byte for byte (what fetch would refuse to send) and reads the answer until the server closes. */
function rawAnswer(port: number, request: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request, 'latin1'));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, ...rest] = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), body: JSON.parse(rest.join('\r\n\r\n')) });
    });
  });
}

/** The current month in Taipei as the MOF number file names it (as seedSeller does). */
function taipeiPeriod(): string {
  const now = new Date(Date.now() + 8 * 3600_000);
  return `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

const withParams = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value);

/** A sign-in over a chosen local address, for the throttle's "another client". */
function signInFrom(localAddress: string, url: string, apiKey: string, headers: Record<string, string> = {}): Promise<{ status: number; code?: string; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify({ apiKey });
    const req = httpRequest(url, { method: 'POST', localAddress, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string };
        resolve({ status: res.statusCode!, code: body.code, retryAfter: res.headers['retry-after'] as string | undefined });
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}

describe('the edge: uploads always answered, NUL bytes refused, cookie writes from the page only, sign-in throttled', () => {
  let api: TestApi;
  let baseUrl: string;
  let admin: { Authorization: string };
  const seller = `/api/v1/sellers/${BANS.seller}`;

  beforeAll(async () => {
    api = await startTestApi();
    baseUrl = await listen(api.app);
    admin = { Authorization: `Bearer ${api.adminKey}` };
    await seedSeller({ ...api, admin: () => admin });
  });
  afterAll(() => api.close());

  /** A multipart upload through Node's own fetch (undici), as the failing client sent it. */
  const upload = (path: string, parts: [string, Blob | string, string?][], headers: Record<string, string> = admin, method = 'POST') => {
    const form = new FormData();
    for (const [field, value, name] of parts) {
      if (typeof value === 'string') form.append(field, value);
      else form.append(field, value, name);
    }
    return fetch(`${baseUrl}${path}`, { method, headers, body: form });
  };
  const answer = async (response: Response) => {
    const body = (await response.json()) as { code: string; details: { field?: string }[] };
    return { status: response.status, code: body.code, field: body.details[0]?.field };
  };

  describe('uploads: every one answered to Node’s fetch', () => {
    let viewer: string;
    beforeAll(async () => {
      viewer = (await api.http().post('/api/v1/api-keys').set(admin).send({ role: 'viewer', name: '看板' }).expect(201)).body.key;
    });
    const routes = [
      { path: `${seller}/imports`, method: 'POST', limit: 20 * 1024 * 1024, name: 'orders.xlsx' },
      { path: `${seller}/tracks/import`, method: 'POST', limit: 1024 * 1024, name: 'invnoapply.csv' },
      { path: `${seller}/stamp`, method: 'PUT', limit: 1024 * 1024, name: 'stamp.png' },
    ];
    const bytes = (n: number) => new Blob([randomBytes(n)]);

    it('a file one byte past its route’s size limit is a 413 naming the file; one at the limit is read and judged on what it holds', async () => {
      for (const { path, method, limit, name } of routes) {
        expect([path, await answer(await upload(path, [['file', bytes(limit + 1), name]], admin, method))]).toEqual([path, { status: 413, code: 'REQUEST.TOO_LARGE', field: 'file' }]);
        // Random bytes are no workbook, number file or picture: the route's own refusal, past the upload's checks.
        const atLimit = await answer(await upload(path, [['file', bytes(limit), name]], admin, method));
        expect([path, atLimit.status, atLimit.code.startsWith('REQUEST.')]).toEqual([path, 400, false]);
      }
    });

    it('refuses a caller by its key before reading the body, and answers once the body is in: none (401), read-only (403), even past the bound of what is read', async () => {
      for (const { path, method, limit, name } of routes) {
        expect([path, await answer(await upload(path, [['file', bytes(limit + 64 * 1024), name]], {}, method))]).toEqual([path, { status: 401, code: 'AUTH.MISSING', field: undefined }]);
        expect([path, await answer(await upload(path, [['file', bytes(limit + 64 * 1024), name]], { Authorization: `Bearer ${viewer}` }, method))]).toEqual([
          path, { status: 403, code: 'AUTH.READ_ONLY', field: undefined },
        ]);
      }
      // Past 64 MB the rest is no longer read: the answer says Connection: close, and the client still reads it.
      const huge = await upload(`${seller}/imports`, [['file', new Blob([Buffer.alloc(65 * 1024 * 1024)]), 'orders.xlsx']], {});
      expect([huge.headers.get('connection'), await answer(huge)]).toEqual(['close', { status: 401, code: 'AUTH.MISSING', field: undefined }]);
    });

    it('refuses past the count limits (two files, a file in another field, too many or too long text fields) naming what, and takes an upload at them', async () => {
      const period = taipeiPeriod();
      const trackFile = (track: string) => new Blob([mofCsv(BANS.seller, [{ track, start: '10000000', end: '10000049', period }])]);
      const path = `${seller}/tracks/import`;
      const tracks = async () => (await api.http().get(`${path.replace('/import', '')}`).set(admin).expect(200)).body.tracks.length;
      const before = await tracks();
      const fields = (n: number, size = 8): [string, string][] => Array.from({ length: n }, (_, i) => [`note${i}`, 'x'.repeat(size)]);
      const refusals: [[string, Blob | string, string?][], object][] = [
        [[['file', trackFile('CD'), 'a.csv'], ['file', trackFile('EF'), 'b.csv']], { status: 400, code: 'REQUEST.TOO_MANY_FILES', field: 'file' }],
        [[['other', trackFile('CD'), 'a.csv']], { status: 400, code: 'REQUEST.UNEXPECTED_FILE', field: 'other' }],
        [[...fields(UPLOAD_LIMITS.fields + 1), ['file', trackFile('CD'), 'a.csv']], { status: 400, code: 'REQUEST.TOO_MANY_PARTS', field: expect.any(String) }],
        [[['note', 'x'.repeat(UPLOAD_LIMITS.fieldSize + 1)], ['file', trackFile('CD'), 'a.csv']], { status: 400, code: 'REQUEST.FIELD_TOO_LONG', field: 'note' }],
      ];
      for (const [parts, refused] of refusals) expect(await answer(await upload(path, parts))).toEqual(refused);
      expect(await tracks()).toBe(before);
      const atLimits = await upload(path, [...fields(UPLOAD_LIMITS.fields - 1), ['long', 'x'.repeat(UPLOAD_LIMITS.fieldSize)], ['file', trackFile('CD'), 'a.csv']]);
      expect(atLimits.status).toBe(201);
      await atLimits.json();
      expect(await tracks()).toBe(before + 1);
    });

    it('takes a 10,000-row workbook (201), and never closes an idle connection before the client would', async () => {
      // undici drops an idle socket after 4 s, browsers after 60 s: the server waits longer, so a request is never
      // written into a socket the server is closing (the EPIPE once seen on a 10,000-row upload).
      expect(api.app.getHttpServer().keepAliveTimeout).toBeGreaterThan(60_000);
      const rows = Array.from({ length: 10_000 }, (_, i) => b2cRow(`BIG-${i}`));
      const big = await upload(`${seller}/imports`, [['file', new Blob([await orderWorkbook(rows)]), 'orders.xlsx']]);
      expect(big.status).toBe(201);
      expect(await big.json()).toMatchObject({ rowsRead: 10_000 });
    });

    it('lets a stopping API go at once: a request under way when it closes is answered with Connection: close, and its connection ends', async () => {
      // Node's close() ends only the connections idle at that moment; with a 65 s keep-alive, one busy then would hold
      // the stopping process (SIGTERM, a deploy) open for a minute.
      const stopping = await createApiApp(api.config);
      const url = await listen(stopping);
      const server = stopping.getHttpServer();
      const received = new Promise<void>((resolve) => server.once('request', () => resolve()));
      const body = JSON.stringify({ ban: 'not a ban' });
      const agent = new Agent({ keepAlive: true });
      const req = httpRequest(`${url}/api/v1/sellers`, { method: 'POST', agent, headers: { ...admin, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } });
      const answered = new Promise<IncomingMessage>((resolve, reject) => req.on('response', resolve).on('error', reject));
      req.write(body.slice(0, 4));
      await received;
      const closed = stopping.close();
      req.end(body.slice(4));
      const response = await answered;
      const socketEnded = new Promise<void>((resolve) => response.socket.once('close', () => resolve()));
      response.resume();
      expect(response.statusCode).toBe(400);
      expect(response.headers.connection).toBe('close');
      await socketEnded;
      await closed;
      expect(server.listening).toBe(false);
      agent.destroy();
    });
  });

  it('refuses a NUL byte with 400 naming where it is, in a path, a query and a JSON body, on every route of the OpenAPI document', async () => {
    const all = await operations(baseUrl);
    expect(all.length).toBeGreaterThan(30);
    const refused = async (method: string, url: string, body?: object) => {
      const response = await fetch(`${baseUrl}${url}`, {
        method, headers: { ...admin, ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
      });
      const answer = (await response.json().catch(() => ({}))) as { code?: string; details?: { field: string }[] };
      return `${method} ${url} → ${response.status} ${answer.code} ${answer.details?.[0]?.field ?? ''}`;
    };
    for (const { method, path, query } of all) {
      const hasParams = path.includes('{');
      if (hasParams) expect(await refused(method, withParams(path, '%00'))).toMatch(/→ 400 REQUEST\.NUL_BYTE path\./);
      const url = withParams(path, path.includes('{ban}') ? BANS.seller : '1');
      const name = query[0] ?? 'q';
      expect(await refused(method, `${url}?${name}=%00`)).toMatch(new RegExp(`→ 400 REQUEST\\.NUL_BYTE query\\.${name}$`));
      if (['POST', 'PUT', 'PATCH'].includes(method)) {
        expect(await refused(method, url, { buyer: { name: 'A\u0000B' } })).toMatch(/→ 400 REQUEST\.NUL_BYTE body\.buyer\.name$/);
      }
    }
    expect(await refused('GET', `${seller}/invoices?buyer=%00`)).toBe(`GET ${seller}/invoices?buyer=%00 → 400 REQUEST.NUL_BYTE query.buyer`);
    expect(await refused('GET', '/api/v1/sellers/%00')).toBe('GET /api/v1/sellers/%00 → 400 REQUEST.NUL_BYTE path.ban');
  });

  it('refuses a NUL byte nested in a JSON array, in a multipart text field and in a header, naming where, and changes nothing', async () => {
    const invoices = () => api.db.dataSource.query(`SELECT count(*)::int AS n FROM invoices`).then((r) => r[0].n);
    const before = await invoices();
    const order = b2cOrder('NUL-1');
    order.lines[1] = { ...order.lines[1], description: '運\u0000費' };
    const nested = await fetch(`${baseUrl}${seller}/invoices`, { method: 'POST', headers: { ...admin, 'Content-Type': 'application/json' }, body: JSON.stringify(order) });
    expect(await answer(nested)).toEqual({ status: 400, code: 'REQUEST.NUL_BYTE', field: 'body.lines[1].description' });
    expect(await invoices()).toBe(before);

    const tracks = async () => (await api.http().get(`${seller}/tracks`).set(admin).expect(200)).body.tracks.length;
    const tracksBefore = await tracks();
    const trackFile = new Blob([mofCsv(BANS.seller, [{ track: 'NU', start: '10000000', end: '10000049', period: taipeiPeriod() }])]);
    expect(await answer(await upload(`${seller}/tracks/import`, [['note', 'a\u0000b'], ['file', trackFile, 'invnoapply.csv']]))).toEqual({
      status: 400, code: 'REQUEST.NUL_BYTE', field: 'body.note',
    });
    expect(await tracks()).toBe(tracksBefore);

    // Node's parser refuses a NUL byte in the request's head before the app sees it; the answer still names where.
    const port = Number(new URL(baseUrl).port);
    const voidWithKey = `POST ${seller}/invoices/AB10000000/void HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${api.adminKey}\r\n` +
      `Idempotency-Key: a\u0000b\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`;
    expect(await rawAnswer(port, voidWithKey)).toMatchObject({ status: 400, body: { code: 'REQUEST.NUL_BYTE', details: [{ field: 'header.idempotency-key' }] } });
    expect(await rawAnswer(port, `GET /api/v1/sellers/a\u0000b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)).toMatchObject({ status: 400, body: { code: 'REQUEST.NUL_BYTE', details: [{ field: 'path' }] } });
    expect(await rawAnswer(port, `GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n`)).toMatchObject({ status: 400, body: { code: 'REQUEST.MALFORMED_HTTP' } });
  });

  it('takes a change carried by the session cookie only from the page’s own origin; bearer keys are unaffected', async () => {
    const finance = (await api.http().post('/api/v1/api-keys').set(admin).send({ role: 'finance', name: '會計' }).expect(201)).body.key;
    const signIn = await fetch(`${baseUrl}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: baseUrl }, body: JSON.stringify({ apiKey: finance }) });
    expect(signIn.status).toBe(201);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const start = (headers: Record<string, string>) =>
      fetch(`${baseUrl}${seller}/reconciliations`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ period: '11502' }) });
    const runs = () => api.db.dataSource.query(`SELECT count(*)::int AS n FROM reconciliations`).then((r) => r[0].n);

    const otherPort = `http://127.0.0.1:${Number(new URL(baseUrl).port) + 1}`;
    const foreigners: Record<string, string>[] = [
      { Cookie: cookie, Origin: 'https://evil.example' }, { Cookie: cookie, Origin: otherPort }, { Cookie: cookie, Origin: 'null' },
      { Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' }, { Cookie: cookie, 'Sec-Fetch-Site': 'same-site' }, { Cookie: cookie },
    ];
    for (const foreign of foreigners) {
      const refused = await start(foreign);
      expect([foreign, refused.status, ((await refused.json()) as { code: string }).code]).toEqual([foreign, 403, 'AUTH.CROSS_ORIGIN']);
    }
    expect(await runs()).toBe(0);
    // Every changing method, whatever the route would then decide about the key.
    for (const [method, path] of [['PUT', `${seller}/booklets/1/blank-start`], ['PATCH', `${seller}/booklets/1`], ['DELETE', `${seller}/stamp`]]) {
      const refused = await fetch(`${baseUrl}${path}`, { method, headers: { Cookie: cookie, Origin: 'https://evil.example', 'Content-Type': 'application/json' }, body: '{}' });
      expect([method, refused.status, ((await refused.json()) as { code: string }).code]).toEqual([method, 403, 'AUTH.CROSS_ORIGIN']);
    }
    // A foreign page cannot sign the session out either.
    expect((await fetch(`${baseUrl}/api/v1/session`, { method: 'DELETE', headers: { Cookie: cookie, Origin: 'https://evil.example' } })).status).toBe(403);
    expect((await fetch(`${baseUrl}/api/v1/session`, { headers: { Cookie: cookie } })).status).toBe(200);
    expect((await fetch(`${baseUrl}/api/v1/dashboard`, { headers: { Cookie: cookie, Origin: 'https://evil.example' } })).status).toBe(200);
    const evilSignIn = await fetch(`${baseUrl}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' }, body: JSON.stringify({ apiKey: finance }) });
    expect(evilSignIn.status).toBe(403);

    // The page's own origin, or a bearer key from anywhere, passes the check: the request is then judged on its merits.
    const acknowledge = (headers: Record<string, string>) => fetch(`${baseUrl}/api/v1/alerts/${randomUUID()}/acknowledge`, { method: 'POST', headers });
    const allowed: Record<string, string>[] = [{ Cookie: cookie, Origin: baseUrl }, { Cookie: cookie, 'Sec-Fetch-Site': 'same-origin' }, { Authorization: `Bearer ${finance}`, Origin: 'https://evil.example' }];
    for (const headers of allowed) {
      const judged = await acknowledge(headers);
      expect([judged.status, ((await judged.json()) as { code: string }).code]).toEqual([404, 'ALERT.NOT_FOUND']);
    }
    expect([(await acknowledge({ Cookie: cookie, Origin: 'https://evil.example' })).status]).toEqual([403]);
  });

  describe('the sign-in throttle', () => {
    let viewer: string;
    let url: string;
    const refusals = (address: string) =>
      api.db.dataSource.query(`SELECT reason, count(*)::int AS n FROM sign_in_refusals WHERE address = $1 GROUP BY reason ORDER BY reason`, [address]);
    beforeAll(async () => {
      viewer = (await api.http().post('/api/v1/api-keys').set(admin).send({ role: 'viewer', name: '牆面' }).expect(201)).body.key;
      url = `${baseUrl}/api/v1/session`;
    });

    it('answers the 11th wrong key in a minute from one address 429 with Retry-After, refuses a right key there too until the window passes, and lets another address in', async () => {
      for (let i = 0; i < SIGN_IN_ATTEMPTS; i++) expect(await signInFrom('127.0.0.3', url, `wrong-${i}`)).toMatchObject({ status: 401, code: 'AUTH.INVALID' });
      const throttled = await signInFrom('127.0.0.3', url, 'wrong-again');
      expect(throttled).toMatchObject({ status: 429, code: 'AUTH.TOO_MANY_SIGN_INS' });
      expect(Number(throttled.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(throttled.retryAfter)).toBeLessThanOrEqual(60);
      expect(await signInFrom('127.0.0.3', url, viewer)).toMatchObject({ status: 429, code: 'AUTH.TOO_MANY_SIGN_INS' });
      expect(await signInFrom('127.0.0.4', url, viewer)).toMatchObject({ status: 201 });
      // A right key is no refusal: only the wrong keys and the throttle's refusals are recorded.
      expect(await refusals('127.0.0.3')).toEqual([{ reason: 'invalid_key', n: SIGN_IN_ATTEMPTS }, { reason: 'throttled', n: 2 }]);
      expect(await refusals('127.0.0.4')).toEqual([]);
      // The minute has passed for the address's wrong keys: its right key signs in again.
      await api.db.dataSource.query(`UPDATE sign_in_refusals SET at = at - interval '61 seconds' WHERE address = '127.0.0.3'`);
      expect(await signInFrom('127.0.0.3', url, viewer)).toMatchObject({ status: 201 });
      // Refusals past the window count for nothing: the address's next attempt cleared them.
      expect(await refusals('127.0.0.3')).toEqual([]);
    });

    it('counts one address across API processes and attempts sent at once: of 30 wrong keys in a burst through two APIs, 10 are judged and 20 throttled', async () => {
      const second = await createApiApp(api.config);
      try {
        const secondUrl = `${await listen(second)}/api/v1/session`;
        const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => signInFrom('127.0.0.5', i % 2 ? url : secondUrl, `burst-${i}`)));
        expect([burst.filter((r) => r.status === 401).length, burst.filter((r) => r.status === 429).length]).toEqual([SIGN_IN_ATTEMPTS, 30 - SIGN_IN_ATTEMPTS]);
        expect(await refusals('127.0.0.5')).toEqual([{ reason: 'invalid_key', n: SIGN_IN_ATTEMPTS }, { reason: 'throttled', n: 30 - SIGN_IN_ATTEMPTS }]);
      } finally {
        await second.close();
      }
    });

    it('counts by the socket’s address, whatever X-Forwarded-For says, unless TRUST_PROXY names the proxy', async () => {
      for (let i = 0; i < SIGN_IN_ATTEMPTS; i++) await signInFrom('127.0.0.6', url, `spoof-${i}`, { 'X-Forwarded-For': `198.51.100.${i}` });
      expect(await signInFrom('127.0.0.6', url, viewer, { 'X-Forwarded-For': '198.51.100.200' })).toMatchObject({ status: 429 });

      const proxied = await createApiApp({ ...api.config, trustProxy: ['loopback'] });
      try {
        const proxiedUrl = `${await listen(proxied)}/api/v1/session`;
        for (let i = 0; i < SIGN_IN_ATTEMPTS; i++) await signInFrom('127.0.0.7', proxiedUrl, `proxied-${i}`, { 'X-Forwarded-For': '203.0.113.7' });
        expect(await signInFrom('127.0.0.7', proxiedUrl, viewer, { 'X-Forwarded-For': '203.0.113.7' })).toMatchObject({ status: 429 });
        expect(await signInFrom('127.0.0.7', proxiedUrl, viewer, { 'X-Forwarded-For': '203.0.113.8' })).toMatchObject({ status: 201 });
        expect(await refusals('203.0.113.7')).toEqual([{ reason: 'invalid_key', n: SIGN_IN_ATTEMPTS }, { reason: 'throttled', n: 1 }]);
        expect(await refusals('127.0.0.7')).toEqual([]);
      } finally {
        await proxied.close();
      }
    });
  });

  it('runs the command line from what is built: `npm run cli`, `check:invariants` and `temporal-cli` never build, and say so when dist/ is missing', () => {
    const scripts = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).scripts as Record<string, string>;
    // The scripts alone, in a folder of their own: any build there would fail (no sources) or change dist/.
    const folder = mkdtempSync(join(tmpdir(), 'einv-cli-'));
    try {
      writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'cli-scripts', private: true, scripts }));
      const run = (script: string, ...args: string[]) => spawnSync('npm', ['run', '--silent', script, '--', ...args], { cwd: folder, encoding: 'utf8' });
      const entries: [string, string, string[]][] = [
        ['cli', 'dist/apps/cli/main.js', ['create-admin-key', '--name', '運維']],
        ['check:invariants', 'dist/apps/cli/main.js', ['check-invariants']],
        ['temporal-cli', 'dist/libs/dev/temporal-cli.js', []],
      ];
      for (const [script, entry] of entries) {
        const missing = run(script);
        expect([script, missing.status, missing.stderr.trim()]).toEqual([script, 1, `${entry} is missing: run npm run build (npm start builds too) first`]);
        expect(existsSync(join(folder, 'dist'))).toBe(false);
      }
      for (const [, entry] of entries) {
        mkdirSync(join(folder, dirname(entry)), { recursive: true });
        writeFileSync(join(folder, entry), `console.log(JSON.stringify([${JSON.stringify(entry)}, ...process.argv.slice(2)]));\n`);
      }
      const built = () => readdirSync(join(folder, 'dist'), { recursive: true, withFileTypes: true }).map((e) => `${join(e.parentPath, e.name)} ${statSync(join(e.parentPath, e.name)).mtimeMs}`).sort();
      const before = built();
      for (const [script, entry, args] of entries) {
        const ran = run(script, ...args.slice(script === 'check:invariants' ? 1 : 0));
        expect([script, ran.status, JSON.parse(ran.stdout)]).toEqual([script, 0, [entry, ...args]]);
      }
      expect(built()).toEqual(before);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
