import { Browser, BrowserContext, Page } from 'playwright-core';
import { eventually } from './support/eventually';
import { TestStack, seedSeller, startTestStack } from './support/test-stack';
import { buildDashboardScript, launchBrowser, listen, screenshot, signIn } from './support/browser';
import { createApiApp } from '../apps/api/create-api-app';
import { InvoicesService } from '../libs/modules/invoices';
import { SellersService } from '../libs/modules/sellers';
import { BANS, b2cOrder, b2cRow, freePort, orderWorkbook } from '../libs/dev/fixtures';

/** The operations dashboard in headless Chromium against the real API, worker, database and platform simulator. */
describe('operations dashboard in a browser', () => {
  let stack: TestStack;
  let baseUrl: string;
  let browser: Browser;
  let overdueNumber: string;
  let freshNumber: string;
  const contexts: BrowserContext[] = [];

  async function newPage(width = 1280, height = 900): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-TW', timezoneId: 'Asia/Taipei' });
    contexts.push(context);
    const page = await context.newPage();
    // A script error in the page would otherwise show only as a timeout.
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    return page;
  }

  beforeAll(async () => {
    buildDashboardScript();
    stack = await startTestStack();
    await seedSeller(stack, 3000);
    // The platform answers nothing: uploads stay unconfirmed and deadlines run out, as on a bad day.
    stack.simulator.settings.outage = true;
    const seller = await stack.app.get(SellersService).getSeller(BANS.seller);
    const channel = await stack.app.get(SellersService).getChannel(BANS.seller, 'web');
    // Issued 49 hours ago: the 48-hour upload deadline has passed, so its lifecycle marks it overdue at once.
    const { invoice } = await stack.app.get(InvoicesService).issue(seller, channel.id, b2cOrder('LATE-1'), new Date(Date.now() - 49 * 3600_000));
    overdueNumber = invoice.invoiceNumber;
    const fresh = await stack.http().post(`/api/v1/sellers/${BANS.seller}/invoices`).set(stack.admin()).send(b2cOrder('FRESH-1')).expect(201);
    freshNumber = fresh.body.number;
    baseUrl = await listen(stack.app);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.close();
  });

  it('signs in with a pasted key, keeps only an HttpOnly SameSite=Strict cookie, and signs out for good', async () => {
    const page = await newPage();
    await page.goto(baseUrl);
    await page.getByTestId('signin').waitFor();
    await page.getByLabel('API 金鑰 API key').fill('einv_not-a-key');
    await page.getByRole('button', { name: '登入 Sign in' }).click();
    await page.getByTestId('signin-error').getByText('AUTH.INVALID').waitFor();

    await signIn(page, baseUrl, stack.adminKey);
    expect(await page.getByTestId('who').textContent()).toContain('admin');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'einv_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    // Page-side expressions are strings: the test compiles without the DOM library.
    const scriptVisible = await page.evaluate(`({ cookie: document.cookie, local: localStorage.length, session: sessionStorage.length, field: document.getElementById('apikey').value })`);
    expect(scriptVisible).toEqual({ cookie: '', local: 0, session: 0, field: '' });
    const [row] = await stack.db.dataSource.query(`SELECT token_hash FROM staff_sessions WHERE ended_at IS NULL`);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).not.toContain(cookie.value);
    await screenshot(page, 'dashboard-signed-in');

    await page.getByTestId('signout').click();
    await page.getByTestId('signin').waitFor();
    const replayed = await fetch(`${baseUrl}/api/v1/dashboard`, { headers: { Cookie: `einv_session=${cookie.value}` } });
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { code: string }).code).toBe('AUTH.SESSION_ENDED');
    await screenshot(page, 'dashboard-signed-out');
  });

  it('shows the seeded overdue invoice first and opens its detail from the link', async () => {
    const page = await newPage();
    await signIn(page, baseUrl, stack.adminKey);
    const first = await eventually(
      async () => {
        const rows = page.getByTestId('board-row');
        return { count: await rows.count(), number: await rows.first().getAttribute('data-number').catch(() => null), bucket: await rows.first().getAttribute('data-bucket').catch(() => null) };
      },
      // Overdue, or past the legal limit too when the test runs in Taipei's first hour (49 h then spans three days).
      // The lifecycle marks it once the workflow task that delivered its F0401 (and waited for a verdict) completes.
      (seen) => seen.number === overdueNumber && seen.count >= 2 && (seen.bucket === 'overdue' || seen.bucket === 'past_legal'),
    );
    expect(['overdue', 'past_legal']).toContain(first.bucket);
    expect(await page.getByTestId('board-row').nth(1).getAttribute('data-number')).toBe(freshNumber);
    const bars = await page.getByTestId('due-bar').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('data-count'))));
    expect(bars).toHaveLength(49);
    // The fresh invoice is due 48 h after issue: in the chart's last slot; the overdue one is already past.
    expect(bars[48]).toBe(1);
    expect(bars.reduce((a, b) => a + b, 0)).toBe(1);
    await screenshot(page, 'dashboard-overdue-first');

    await page.getByTestId('board-row').first().getByTestId('invoice-link').click();
    await page.getByTestId('detail-number').getByText(overdueNumber).waitFor();
    await page.getByText('咖啡豆 <特選> & 濾紙').waitFor();
    expect(await page.getByTestId('void').count()).toBe(1);
    await screenshot(page, 'dashboard-invoice-detail');
  });

  it('takes an alert off the open list once it is acknowledged', async () => {
    const page = await newPage();
    await signIn(page, baseUrl, stack.adminKey);
    const open = page.getByTestId('open-alerts').getByTestId('alert-row');
    await open.first().waitFor();
    const id = (await open.first().getAttribute('data-id'))!;
    await screenshot(page, 'dashboard-alert-open');
    await open.first().getByTestId('acknowledge').click();
    await page.getByTestId('acknowledged-alerts').locator(`[data-id="${id}"]`).getByText('acknowledged by ADMIN_API_KEY').waitFor();
    expect(await page.getByTestId('open-alerts').locator(`[data-id="${id}"]`).count()).toBe(0);
    const stored = await stack.http().get('/api/v1/alerts?state=acknowledged').set(stack.admin()).expect(200);
    expect(stored.body.alerts.map((a: { id: string }) => a.id)).toContain(id);
    await screenshot(page, 'dashboard-alert-acknowledged');
  });

  it('gives a viewer key no void action, and the API refuses one sent anyway', async () => {
    const viewer = await stack.http().post('/api/v1/api-keys').set(stack.admin()).send({ role: 'viewer', name: '牆面螢幕 wall screen' }).expect(201);
    const page = await newPage();
    await signIn(page, baseUrl, viewer.body.key);
    await page.goto(`${baseUrl}/#invoice/${BANS.seller}/${freshNumber}`);
    await page.getByTestId('detail-number').getByText(freshNumber).waitFor();
    await page.getByTestId('read-only').waitFor();
    expect(await page.getByTestId('void').count()).toBe(0);
    expect(await page.getByTestId('allowance').count()).toBe(0);
    expect(await page.getByTestId('acknowledge').count()).toBe(0);
    const forced = await page.evaluate(`fetch('/api/v1/sellers/${BANS.seller}/invoices/${freshNumber}/void', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ reason: '測試' }),
      }).then(async (response) => ({ status: response.status, code: (await response.json()).code }))`);
    expect(forced).toEqual({ status: 403, code: 'AUTH.READ_ONLY' });
    const invoice = await stack.http().get(`/api/v1/sellers/${BANS.seller}/invoices/${freshNumber}`).set(stack.admin()).expect(200);
    expect(invoice.body.void).toBeNull();
    await screenshot(page, 'dashboard-viewer-read-only');
  });

  it.each([
    [1280, 900],
    [390, 844],
  ])('is usable at %i px wide: no sideways scrolling, every panel and the sign-out button on screen', async (width, height) => {
    const page = await newPage(width, height);
    await signIn(page, baseUrl, stack.adminKey);
    await page.getByTestId('board-row').first().waitFor();
    const layout = await page.evaluate<{ scrollWidth: number; innerWidth: number; panels: { left: number; right: number; width: number }[]; signOut: number }>(`({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      panels: [...document.querySelectorAll('main > section')].map((s) => {
        const box = s.getBoundingClientRect();
        return { left: box.left, right: box.right, width: box.width };
      }),
      signOut: document.getElementById('signout').getBoundingClientRect().right,
    })`);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    expect(layout.panels).toHaveLength(5);
    for (const panel of layout.panels) {
      expect(panel.left).toBeGreaterThanOrEqual(0);
      expect(panel.right).toBeLessThanOrEqual(width);
      expect(panel.width).toBeGreaterThan(width < 500 ? 300 : 400);
    }
    expect(layout.signOut).toBeLessThanOrEqual(width);
    await screenshot(page, `dashboard-${width}px`);
  });

  it('shows its data as stale while the API is down and recovers by itself when it is back', async () => {
    // A second API process of the same deployment on a port of its own, stopped and started again under the page.
    const port = await freePort();
    const first = await createApiApp(stack.config);
    await first.listen(port, '127.0.0.1');
    const page = await newPage();
    await signIn(page, `http://127.0.0.1:${port}`, stack.adminKey);
    await first.close();
    await page.locator('[data-testid="status"][data-state="stale"]').getByText(/資料已過時 Stale/).waitFor({ timeout: 60_000 });
    await screenshot(page, 'dashboard-stale');
    const second = await createApiApp(stack.config);
    try {
      await second.listen(port, '127.0.0.1');
      await page.locator('[data-testid="status"][data-state="fresh"]').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('signin').isHidden()).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('moves a progress bar while a 2,000-row import runs, in step with the import itself', async () => {
    const page = await newPage();
    await signIn(page, baseUrl, stack.adminKey);
    const rows = Array.from({ length: 2000 }, (_, i) => b2cRow(`IMP-${String(i).padStart(5, '0')}`));
    const preview = await stack.http().post(`/api/v1/sellers/${BANS.seller}/imports`).set(stack.admin()).attach('file', await orderWorkbook(rows), 'orders-2000.xlsx').expect(201);
    expect(preview.body.rowsImportable).toBe(2000);
    await stack.http().post(`/api/v1/imports/${preview.body.id}/confirm`).set(stack.admin()).expect(202);
    const bar = page.locator(`[data-testid="import-row"][data-id="${preview.body.id}"]`).getByTestId('import-progress');
    expect(await bar.getAttribute('aria-valuemax', { timeout: 60_000 })).toBe('2000');
    // Watched until it has moved twice while running: 2,000 rows take minutes on a loaded machine, and the end of an
    // import is the order-import tests' business; here what counts is that the bar follows it.
    const seen: number[] = [];
    await eventually(
      async () => {
        const value = Number(await bar.getAttribute('aria-valuenow'));
        if (seen[seen.length - 1] !== value) seen.push(value);
        if (seen.filter((v) => v > 0 && v < 2000).length === 1 && value > 0) await screenshot(page, 'dashboard-import-progress');
        return seen.filter((v) => v > 0 && v < 2000);
      },
      (moving) => moving.length >= 2,
      420_000,
    );
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const api = (await stack.http().get(`/api/v1/imports/${preview.body.id}`).set(stack.admin()).expect(200)).body;
    await eventually(async () => Number(await bar.getAttribute('aria-valuenow')), (value) => value >= api.issued);
    await screenshot(page, 'dashboard-import-moving');
  }, 480_000);
});
