import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listen } from './support/browser';
import { TestApi, startTestApi } from './support/test-api';
import { seedSeller } from './support/test-stack';
import { BANS, b2cRow, orderWorkbook } from '../libs/dev/fixtures';
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

const withParams = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value);

/** A POST over a chosen local address, for the throttle's "another client". */
function postFrom(localAddress: string, url: string, body: object): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = httpRequest(url, { method: 'POST', localAddress, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }));
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
  const upload = (path: string, file: Buffer, name: string, headers: Record<string, string> = admin, method = 'POST') => {
    const form = new FormData();
    form.append('file', new Blob([file]), name);
    return fetch(`${baseUrl}${path}`, { method, headers, body: form });
  };

  it('answers every multipart upload to Node’s fetch: past each limit (413), just under it, without a key (401), and a 10,000-row workbook (201)', async () => {
    const limits: [string, number, string, string?][] = [
      [`${seller}/imports`, 20 * 1024 * 1024, 'orders.xlsx'],
      [`${seller}/tracks/import`, 1024 * 1024, 'invnoapply.csv'],
      [`${seller}/stamp`, 1024 * 1024, 'stamp.png', 'PUT'],
    ];
    for (const [path, limit, name, method] of limits) {
      const over = await upload(path, randomBytes(limit + 64 * 1024), name, admin, method);
      expect([path, over.status, ((await over.json()) as { code: string }).code]).toEqual([path, 413, 'REQUEST.TOO_LARGE']);
      const under = await upload(path, randomBytes(limit - 1024), name, admin, method);
      expect([path, under.status]).toEqual([path, 400]);
      await under.json();
      const anonymous = await upload(path, randomBytes(limit + 64 * 1024), name, {}, method);
      expect([path, anonymous.status, ((await anonymous.json()) as { code: string }).code]).toEqual([path, 401, 'AUTH.MISSING']);
    }
    // The server never closes an idle connection before the client would (undici: 4 s), so a reused socket is never
    // written to as the server shuts it: the EPIPE once seen on a 10,000-row upload.
    expect(api.app.getHttpServer().keepAliveTimeout).toBeGreaterThan(60_000);
    const rows = Array.from({ length: 10_000 }, (_, i) => b2cRow(`BIG-${i}`));
    const big = await upload(`${seller}/imports`, await orderWorkbook(rows), 'orders.xlsx');
    expect(big.status).toBe(201);
    expect(await big.json()).toMatchObject({ rowsRead: 10_000 });
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

  it('takes a change carried by the session cookie only from the page’s own origin; bearer keys are unaffected', async () => {
    const finance = (await api.http().post('/api/v1/api-keys').set(admin).send({ role: 'finance', name: '會計' }).expect(201)).body.key;
    const signIn = await fetch(`${baseUrl}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: baseUrl }, body: JSON.stringify({ apiKey: finance }) });
    expect(signIn.status).toBe(201);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const start = (headers: Record<string, string>) =>
      fetch(`${baseUrl}${seller}/reconciliations`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ period: '11502' }) });
    const runs = () => api.db.dataSource.query(`SELECT count(*)::int AS n FROM reconciliations`).then((r) => r[0].n);

    const foreigners: Record<string, string>[] = [{ Cookie: cookie, Origin: 'https://evil.example' }, { Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' }, { Cookie: cookie }];
    for (const foreign of foreigners) {
      const refused = await start(foreign);
      expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([403, 'AUTH.CROSS_ORIGIN']);
    }
    expect(await runs()).toBe(0);
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

  it('throttles wrong sign-ins per client address: the 11th in a minute is a 429 with Retry-After, recorded; another address still signs in', async () => {
    const viewer = (await api.http().post('/api/v1/api-keys').set(admin).send({ role: 'viewer', name: '牆面' }).expect(201)).body.key;
    const url = `${baseUrl}/api/v1/session`;
    for (let i = 0; i < SIGN_IN_ATTEMPTS; i++) expect((await postFrom('127.0.0.3', url, { apiKey: `wrong-${i}` })).status).toBe(401);
    const throttled = await postFrom('127.0.0.3', url, { apiKey: 'wrong-again' });
    expect(throttled.status).toBe(429);
    expect(JSON.parse(throttled.body)).toMatchObject({ code: 'AUTH.TOO_MANY_SIGN_INS' });
    const right = await postFrom('127.0.0.3', url, { apiKey: viewer });
    expect(right.status).toBe(429);
    expect((await postFrom('127.0.0.4', url, { apiKey: viewer })).status).toBe(201);
    const recorded = await api.db.dataSource.query(`SELECT reason, count(*)::int AS n FROM sign_in_refusals WHERE address LIKE '%127.0.0.3' GROUP BY reason ORDER BY reason`);
    expect(recorded).toEqual([{ reason: 'invalid_key', n: SIGN_IN_ATTEMPTS }, { reason: 'throttled', n: 2 }]);
    const retry = await new Promise<string | undefined>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', localAddress: '127.0.0.3', headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.headers['retry-after'] as string | undefined);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ apiKey: viewer }));
    });
    expect(Number(retry)).toBeGreaterThanOrEqual(1);
    expect(Number(retry)).toBeLessThanOrEqual(60);
  });

  it('runs the command line from what is built: `npm run cli` never rebuilds dist/ under a running service', () => {
    const scripts = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).scripts as Record<string, string>;
    for (const name of ['cli', 'check:invariants']) {
      // Only a check that the build is there, with a message if not; then the built command line itself.
      expect(scripts[name]).toMatch(/^test -f dist\/apps\/cli\/main\.js \|\| \{ echo '[^']*' >&2; exit 1; \}; node dist\/apps\/cli\/main\.js( check-invariants)?$/);
    }
  });
});
