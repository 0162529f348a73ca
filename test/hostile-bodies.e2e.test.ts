import { fc } from '@fast-check/jest';
import { randomUUID } from 'node:crypto';
import { JSON_BODY_LIMIT_BYTES } from '../apps/api/http/request-body';
import { TestApi, startTestApi } from './support/test-api';
import { seedSeller } from './support/test-stack';
import { BANS, b2cOrder } from '../libs/dev/fixtures';

interface Route {
  method: 'post' | 'put' | 'patch';
  path: string;
}

/** Every POST/PUT/PATCH route the app serves, read from its router, so a new route is fuzzed without a change here. */
function writeRoutes(api: TestApi): Route[] {
  const express = api.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  return express.router.stack.flatMap(({ route }) =>
    route ? (['post', 'put', 'patch'] as const).filter((m) => route.methods[m]).map((method) => ({ method, path: route.path })) : [],
  );
}

/** Hostile JSON texts: prototype keys, deep nesting, huge strings and arrays, broken syntax. */
const RAW_BODIES = [
  '{"__proto__": {"admin": true, "role": "admin"}}',
  '{"constructor": {"prototype": {"polluted": true}}}',
  '{"lines": [{"__proto__": {"amount": 1}}], "__proto__": null}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
  `{"name": "${'名'.repeat(200_000)}"}`,
  `{"lines": [${Array(20_000).fill('{}').join(',')}]}`,
  '{"ban": ',
  '{"ban": "12345675",}',
  'null',
  '"a string"',
  '12345',
  '[]',
  '{"reason": "\\ud800"}',
];

/** Values of the wrong type or far out of range, for any field. */
const badValue = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1e308, -0, '', [], {}, [null], { __proto__: null }),
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.constant('x'.repeat(100_000)),
);

/** Field names the routes read, so wrong values reach the validators, not just the unknown-key check. */
const FIELDS = [
  'ban', 'name', 'address', 'code', 'kind', 'issueTriggers', 'credentials', 'billingNo', 'taxType', 'buyer', 'carrier', 'npoban',
  'print', 'lines', 'reason', 'mode', 'approvalNumber', 'whole', 'channelCode', 'thirdParty', 'blankStart', 'buyerName',
  'lineDescriptions', 'mainRemark', 'zeroTax', 'totalAmount', 'invoiceType',
];

/**
 * A body that is never a valid request: a JSON value that is not an object, or an object of wrong values that also
 * carries a key no route knows (the validation pipe refuses unknown keys), so whatever else it holds, it must be a 4xx.
 */
const hostileBody = fc.oneof(
  // By index, so a counterexample prints short.
  fc.nat({ max: RAW_BODIES.length - 1 }).map((i) => ({ raw: i, text: RAW_BODIES[i] })),
  fc.oneof(fc.jsonValue({ maxDepth: 3 }).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v))).map((value) => ({ text: JSON.stringify(value) })),
  fc
    .tuple(fc.dictionary(fc.constantFrom(...FIELDS), badValue, { maxKeys: 6 }), fc.string({ minLength: 1, maxLength: 10 }), badValue)
    .map(([fields, unknown, value]) => ({ text: JSON.stringify({ ...fields, [`__fuzz_${unknown}`]: value }) })),
);

describe('hostile bodies to every POST, PUT and PATCH route', () => {
  let api: TestApi;
  const admin = () => ({ Authorization: `Bearer ${api.adminKey}` });
  let invoiceNumber: string;
  let bookletId: string;

  /** Every row of every table, in one text: any change a request made shows. */
  async function snapshot(): Promise<string> {
    const tables: { name: string }[] = await api.db.dataSource.query(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'migrations%' ORDER BY tablename`,
    );
    const parts: string[] = [];
    for (const { name } of tables) {
      const [{ digest }] = await api.db.dataSource.query(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${name}" t`);
      parts.push(`${name}:${digest}`);
    }
    return parts.join('\n');
  }

  /** The path with real ids where the route needs one (so bodies reach validation), a random one for confirm. */
  function concrete(path: string): string {
    return path
      .replace(':ban', BANS.seller)
      .replace(':code', 'web')
      .replace('invoices/:number', `invoices/${invoiceNumber}`)
      .replace('allowances/:number', 'allowances/AL00000000000000')
      .replace(':id/blank-start', `${bookletId}/blank-start`)
      .replace('booklets/:id', `booklets/${bookletId}`)
      .replace(':id', randomUUID());
  }

  beforeAll(async () => {
    api = await startTestApi();
    await seedSeller({ ...api, admin });
    invoiceNumber = (await api.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(admin()).send(b2cOrder('FUZZ-1')).expect(201)).body.number;
    const tracks = await api.http().get(`/api/v1/sellers/${BANS.seller}/tracks`).set(admin()).expect(200);
    bookletId = tracks.body.tracks?.[0]?.booklets?.[0]?.id ?? tracks.body[0]?.booklets?.[0]?.id;
    expect(bookletId).toEqual(expect.any(String));
  }, 120_000);
  afterAll(() => api.close());

  it('finds the write routes of every area', () => {
    const paths = writeRoutes(api).map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'post /api/v1/sellers',
        'post /api/v1/sellers/:ban/invoices',
        'patch /api/v1/sellers/:ban/booklets/:id',
        'put /api/v1/sellers/:ban/booklets/:id/blank-start',
        'post /api/v1/sellers/:ban/imports',
        'post /api/v1/sellers/:ban/invoices/:number/resend',
      ]),
    );
  });

  it('answers 10,000 lines with a 400 naming the limit, a body over the limit with 413, a wrong type 415, a broken multipart 400', async () => {
    const before = await snapshot();
    const line = { description: '茶', quantity: 1, unitPrice: 1, amount: 1 };
    const tooMany = await api.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(admin()).send(b2cOrder('FUZZ-2', { lines: Array(10_000).fill(line) })).expect(400);
    expect(tooMany.body.details).toEqual([expect.objectContaining({ field: 'lines', message: expect.stringContaining('9999') })]);

    const huge = `{"billingNo": "FUZZ-3", "mainRemark": "${'x'.repeat(JSON_BODY_LIMIT_BYTES)}"}`;
    const tooLarge = await api.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(admin()).set('Content-Type', 'application/json').send(huge).expect(413);
    expect(tooLarge.body).toMatchObject({ code: 'REQUEST.TOO_LARGE', message: expect.stringContaining(String(JSON_BODY_LIMIT_BYTES)) });

    const plain = await api.http().post(`/api/v1/sellers`).set(admin()).set('Content-Type', 'text/plain').send('ban=12345675').expect(415);
    expect(plain.body).toMatchObject({ code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('application/json') });

    for (const path of [`/api/v1/sellers/${BANS.seller}/imports`, `/api/v1/sellers/${BANS.seller}/tracks/import`]) {
      const broken = await api.http().post(path).set(admin()).set('Content-Type', 'multipart/form-data; boundary=XYZ').send('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK');
      expect([path, broken.status, typeof broken.body.code]).toEqual([path, 400, 'string']);
      const noBoundary = await api.http().post(path).set(admin()).set('Content-Type', 'multipart/form-data').send('garbage');
      expect([path, noBoundary.status, typeof noBoundary.body.code]).toEqual([path, 400, 'string']);
    }
    expect(await snapshot()).toBe(before);
  }, 120_000);

  it('answers each with a 4xx and a code, never a 5xx, and changes no row', async () => {
    const before = await snapshot();
    for (const route of writeRoutes(api)) {
      await fc.assert(
        fc.asyncProperty(hostileBody, async ({ text }) => {
          // A request that hangs is a failure too, and must name its route.
          const response = await api.http()[route.method](concrete(route.path)).set(admin()).set('Content-Type', 'application/json').timeout(15_000).send(text)
            .catch((error: Error) => {
              throw new Error(`${route.method.toUpperCase()} ${route.path} ${text.slice(0, 120)}: ${error.message}`);
            });
          const context = `${route.method.toUpperCase()} ${route.path} ${text.slice(0, 120)} → ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;
          expect([context, response.status >= 400 && response.status < 500]).toEqual([context, true]);
          expect([context, typeof response.body.code]).toEqual([context, 'string']);
        }),
        { numRuns: 40 },
      );
    }
    expect(await snapshot()).toBe(before);
  }, 600_000);
});
