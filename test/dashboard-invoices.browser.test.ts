import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { eventually } from './support/eventually';
import { TestStack, seedSeller, startTestStack } from './support/test-stack';
import { buildDashboardScript, launchBrowser, listen, screenshot, signIn } from './support/browser';
import { BANS, b2cOrder, b2cRow, orderWorkbook } from '../libs/dev/fixtures';

const TEMPORAL_UI = 'http://temporal-ui.example:8233';
const QR_KEY = '0123456789ABCDEF0123456789ABCDEF';
/** Above the numbers the seller has: every invoice issued finds the channel low on numbers. */
const LOW_THRESHOLD = 5000;

/**
 * 發票 Invoices and the invoice detail in headless Chromium against the real API, worker, database and platform
 * simulator: search by order number, filters, keyset pages, exports read back, deep links, roles, the proof print,
 * phone width; and the overview's fixes of issue 19 item 8 (focus kept across polls, deadline pages, amounts).
 */
describe('dashboard: the invoices view and the invoice detail in a browser', () => {
  let stack: TestStack;
  let baseUrl: string;
  let browser: Browser;
  let finance: string;
  let viewer: string;
  const contexts: BrowserContext[] = [];
  const base = `/api/v1/sellers/${BANS.seller}`;
  const numberOf = new Map<string, string>();

  async function newPage(key: string, width = 1280, height = 900): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-TW', timezoneId: 'Asia/Taipei', acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await signIn(page, baseUrl, key);
    return page;
  }
  const issue = async (billingNo: string, order: object = b2cOrder(billingNo)) => {
    const { body } = await stack.http().post(`${base}/invoices`).set(stack.admin()).send(order).expect(201);
    numberOf.set(billingNo, body.number);
    return body.number as string;
  };
  const invoice = async (number: string) => (await stack.http().get(`${base}/invoices/${number}`).set(stack.admin()).expect(200)).body;
  const rowsShown = (page: Page) => page.getByTestId('invoice-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-billing-no')));
  const search = async (page: Page, fill: Record<string, string>) => {
    for (const [field, value] of Object.entries(fill)) {
      const input = page.getByTestId(`filter-${field}`);
      if ((await input.evaluate((e) => e.tagName)) === 'SELECT') await input.selectOption(value);
      else await input.fill(value);
    }
    await page.getByTestId('search').click();
  };

  beforeAll(async () => {
    buildDashboardScript();
    stack = await startTestStack({ env: { TEMPORAL_UI_URL: TEMPORAL_UI, NUMBERS_LOW_THRESHOLD: String(LOW_THRESHOLD) } });
    await seedSeller(stack, 3000);
    await stack.http().put(`${base}/qr-key`).set(stack.admin()).send({ key: QR_KEY }).expect(200);
    const key = async (role: string) => (await stack.http().post('/api/v1/api-keys').set(stack.admin()).send({ role, name: `${role} 林` }).expect(201)).body.key as string;
    finance = await key('finance');
    viewer = await key('viewer');
    // The platform takes every upload to G and holds it there: 25 invoices wait on the board as sent, unconfirmed.
    stack.simulator.settings.holdAtSent = true;
    for (let i = 0; i < 25; i++) await issue(`BOARD-${String(i).padStart(2, '0')}`);
    await issue('PROOF-1', { billingNo: 'PROOF-1', taxType: '1', buyer: { ban: BANS.buyer, name: '買方股份有限公司' }, lines: [{ description: '顧問服務', quantity: 1, unitPrice: 1000, amount: 1000 }] });
    await issue('AMOUNT-1051', b2cOrder('AMOUNT-1051', { lines: [{ description: '禮盒', quantity: 1, unitPrice: 1051, amount: 1051 }] }));
    await issue('VOID-1');
    baseUrl = await listen(stack.app);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.close();
  });

  it('pages the deadline list past the nearest 20, and keeps focus and the very same elements across polls', async () => {
    try {
      const page = await newPage(stack.adminKey);
      await eventually(async () => page.getByTestId('board-range').textContent().catch(() => ''), (text) => /共 28 筆/.test(text ?? ''), 90_000);
      const firstPage = await page.getByTestId('board-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-number')));
      expect(firstPage).toHaveLength(20);
      await page.getByTestId('board-next').focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('board-range').getByText('第 21–28 筆').waitFor();
      const secondPage = await page.getByTestId('board-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-number')));
      expect(secondPage).toHaveLength(8);
      expect(new Set([...firstPage, ...secondPage]).size).toBe(28);
      // Focus stays on the page button through a poll; the table is the same element, not a rebuilt one.
      await page.getByTestId('board-previous').focus();
      await page.evaluate(`document.querySelector('#deadline-items table').kept = 'kept'`);
      const before = await page.getByTestId('status').textContent();
      await eventually(async () => page.getByTestId('status').textContent(), (text) => text !== before, 20_000);
      const kept = await page.evaluate<{ focused: string | null; marked: string | undefined }>(
        `({ focused: document.activeElement?.getAttribute('data-testid'), marked: document.querySelector('#deadline-items table')?.kept })`,
      );
      expect(kept).toEqual({ focused: 'board-previous', marked: 'kept' });
      await page.keyboard.press('Enter');
      await page.getByTestId('board-range').getByText('第 1–20 筆').waitFor();
      // On the first page "nearer" is disabled: the keyboard moves on to "later", not to the page's start.
      expect(await page.evaluate(`document.activeElement?.getAttribute('data-testid')`)).toBe('board-next');
      // Every badge is white on a colour at least 4.5:1 against it (WCAG AA).
      const ratios = await page.evaluate<{ text: string; ratio: number }[]>(`(() => {
        const lum = (rgb) => { const [r, g, b] = rgb.match(/\\d+/g).slice(0, 3).map((v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        return [...document.querySelectorAll('.badge')].map((b) => { const s = getComputedStyle(b); const [x, y] = [lum(s.color), lum(s.backgroundColor)].sort((p, q) => q - p); return { text: b.textContent, ratio: (x + 0.05) / (y + 0.05) }; });
      })()`);
      expect(ratios.length).toBeGreaterThan(0);
      expect(ratios.filter((badge) => badge.ratio < 4.5)).toEqual([]);
      await screenshot(page, 'invoices-board-paged');

      const phone = await newPage(stack.adminKey, 390, 844);
      await phone.getByTestId('board-row').first().waitFor();
      await expectPhoneLayout(phone, 'overview');
    } finally {
      stack.simulator.settings.holdAtSent = false;
    }
  });

  it('finds an invoice by its order number, opens it from the row and returns to the same search', async () => {
    const page = await newPage(finance);
    await page.getByRole('link', { name: '發票 Invoices' }).click();
    await page.getByTestId('invoice-filters').waitFor();
    await search(page, { billingNo: 'PROOF-1' });
    await eventually(() => rowsShown(page), (rows) => rows.length === 1 && rows[0] === 'PROOF-1');
    expect(await page.evaluate('location.hash')).toBe('#invoices?billingNo=PROOF-1');
    expect(await page.getByRole('link', { name: '發票 Invoices' }).getAttribute('aria-current')).toBe('page');
    await page.getByTestId('invoice-row').getByTestId('invoice-open').click();
    await page.getByTestId('detail-number').getByText(numberOf.get('PROOF-1')!).waitFor();
    await page.getByTestId('close-detail').click();
    expect(await page.evaluate('location.hash')).toBe('#invoices?billingNo=PROOF-1');
    expect(await rowsShown(page)).toEqual(['PROOF-1']);
    // Back on the link that opened it.
    expect(await page.evaluate(`document.activeElement?.getAttribute('data-testid')`)).toBe('invoice-open');
    await screenshot(page, 'invoices-by-order-number');
  });

  it('filters by status and sorts oldest first; pages of 50 by the keyset cursor, back and forth', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => b2cRow(`IMP-${String(i).padStart(2, '0')}`, { buyerName: '王小明' }));
    const preview = await stack.http().post(`${base}/imports`).set(stack.admin()).attach('file', await orderWorkbook(rows), 'orders-30.xlsx').expect(201);
    await stack.http().post(`/api/v1/imports/${preview.body.id}/confirm`).set(stack.admin()).expect(202);
    await eventually(async () => (await stack.http().get(`/api/v1/imports/${preview.body.id}`).set(stack.admin())).body.state, (state) => state === 'done', 120_000);
    const page = await newPage(finance);
    await page.goto(`${baseUrl}/#invoices`);
    await eventually(() => rowsShown(page), (shown) => shown.length === 50);
    const firstPage = await rowsShown(page);
    expect(await page.getByTestId('page-previous').isDisabled()).toBe(true);
    await page.getByTestId('page-next').click();
    await page.getByTestId('page-range').getByText('第 2 頁').waitFor();
    const secondPage = await rowsShown(page);
    expect(secondPage).toHaveLength(58 - 50);
    expect(new Set([...firstPage, ...secondPage]).size).toBe(58);
    expect(await page.getByTestId('page-next').isDisabled()).toBe(true);
    await page.getByTestId('page-previous').click();
    await page.getByTestId('page-range').getByText('第 1 頁').waitFor();
    expect(await rowsShown(page)).toEqual(firstPage);
    // Oldest first starts with the first invoice issued.
    await search(page, { sort: 'oldest' });
    await eventually(() => rowsShown(page), (shown) => shown[0] === 'BOARD-00' && shown[1] === 'BOARD-01');
    // By status: the voided one only, once it is voided.
    await eventually(async () => (await invoice(numberOf.get('VOID-1')!)).status, (status) => status === 'accepted', 120_000);
    await stack.http().post(`${base}/invoices/${numberOf.get('VOID-1')}/void`).set(stack.admin()).send({ reason: '訂單取消' }).expect(200);
    await search(page, { sort: 'newest', status: 'voided' });
    await eventually(() => rowsShown(page), (shown) => shown.length === 1 && shown[0] === 'VOID-1');
    expect(await page.getByTestId('invoice-status').getAttribute('data-status')).toBe('voided');
    // By buyer BAN, and a date range that holds them all (today, in Taipei).
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await search(page, { status: '', buyer: BANS.buyer, from: today, to: today });
    await eventually(() => rowsShown(page), (shown) => shown.length === 1 && shown[0] === 'PROOF-1');
    await screenshot(page, 'invoices-filtered');
  });

  it('reloads a deep link to the same view, filter and results', async () => {
    const page = await newPage(viewer);
    await page.goto(`${baseUrl}/#invoices?billingNo=AMOUNT-1051&sort=oldest`);
    await eventually(() => rowsShown(page), (rows) => rows.length === 1 && rows[0] === 'AMOUNT-1051');
    await page.reload();
    await eventually(() => rowsShown(page), (rows) => rows.length === 1 && rows[0] === 'AMOUNT-1051');
    expect(await page.getByTestId('filter-billingNo').inputValue()).toBe('AMOUNT-1051');
    expect(await page.getByTestId('filter-sort').inputValue()).toBe('oldest');
    expect(await page.getByTestId('view-invoices').isVisible()).toBe(true);
    expect(await page.getByTestId('view-overview').isHidden()).toBe(true);
    expect(await page.getByRole('link', { name: '發票 Invoices' }).getAttribute('aria-current')).toBe('page');
  });

  it('exports the search as CSV and as xlsx, read as a stream with its progress, the files holding what the list shows', async () => {
    const page = await newPage(finance);
    await page.goto(`${baseUrl}/#invoices?billingNo=`);
    await search(page, { buyer: '王小明' });
    await eventually(() => rowsShown(page), (rows) => rows.length === 50);
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csv = readFileSync((await csvDownload.path())!, 'utf8');
    await page.getByTestId('export-done').waitFor();
    expect(await page.getByTestId('export-download').getAttribute('data-rows')).toBe('57');
    const [header, ...lines]: string[][] = parse(csv.replace(/^\ufeff/, ''));
    expect(header[2]).toBe('發票號碼 number');
    expect(lines).toHaveLength(57);
    expect(lines.every((line) => line[8] === '王小明' && line[0] === BANS.seller)).toBe(true);
    expect(lines.map((line) => line[5])).toEqual(expect.arrayContaining(['BOARD-00', 'IMP-29', 'AMOUNT-1051']));
    expect(lines.find((line) => line[5] === 'AMOUNT-1051')![13]).toBe('1051');
    expect(csvDownload.suggestedFilename()).toMatch(/^invoices-all-\d{4}-\d{2}-\d{2}\.csv$/);

    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await xlsxDownload.path())!);
    const sheet = workbook.worksheets[0];
    expect(sheet.actualRowCount).toBe(58);
    const numbers = Array.from({ length: 57 }, (_, i) => sheet.getRow(i + 2).getCell(3).value);
    expect(numbers).toEqual(lines.map((line) => line[2]));
    expect(await page.getByTestId('export-count').count()).toBe(0);
    expect(await page.getByTestId('export-done').textContent()).toContain('57');
    await screenshot(page, 'invoices-exported');
  });

  it('gives a viewer no action: no void, allowance or print, only what was printed and why not', async () => {
    const page = await newPage(viewer);
    await page.goto(`${baseUrl}/#invoice/${BANS.seller}/${numberOf.get('PROOF-1')}`);
    await page.getByTestId('detail-number').getByText(numberOf.get('PROOF-1')!).waitFor();
    await page.getByTestId('read-only').waitFor();
    await page.getByTestId('proof-read-only').waitFor();
    for (const action of ['void', 'allowance', 'proof-print', 'proof-reprint', 'allowance-void']) expect(await page.getByTestId(action).count()).toBe(0);
    await page.getByTestId('close-detail').click();
    expect(await page.getByTestId('acknowledge').count()).toBe(0);
    const forced = await page.evaluate(`fetch('${base}/invoices/${numberOf.get('PROOF-1')}/prints', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then((r) => r.status)`);
    expect(forced).toBe(403);
    await screenshot(page, 'invoices-viewer-detail');
  });

  it('prints the proof for finance as a PDF through a Blob URL: the original first, then a reprint marked so', async () => {
    const page = await newPage(finance);
    const number = numberOf.get('PROOF-1')!;
    await page.goto(`${baseUrl}/#invoice/${BANS.seller}/${number}`);
    await page.getByTestId('proof-prints').getByText('Prints (0)').waitFor();
    // Finance prints; void and allowance stay admin's.
    expect(await page.getByTestId('void').count()).toBe(0);
    await page.getByTestId('proof-print').click();
    await page.locator('[data-testid="proof-ready"][data-copy="original"]').waitFor();
    const [original] = await Promise.all([page.waitForEvent('download'), page.getByTestId('proof-download').click()]);
    expect(readFileSync((await original.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    expect(original.suggestedFilename()).toBe(`${number}-original-thermal.pdf`);
    // The link opens the PDF itself in a tab of its own: a blob: URL of this page's origin.
    const [tab] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('proof-open').click()]);
    expect(tab.url()).toMatch(new RegExp(`^blob:${baseUrl}/`));
    // Chromium's own PDF viewer shows it: the page's CSP restricts what the page loads, not where a link goes.
    await tab.waitForLoadState();
    expect(await tab.evaluate('document.contentType')).toBe('application/pdf');
    await tab.close();
    await page.getByTestId('proof-layout').selectOption('a4');
    await page.getByTestId('proof-reprint').click();
    await page.locator('[data-testid="proof-ready"][data-copy="reprint"]').waitFor();
    const [reprint] = await Promise.all([page.waitForEvent('download'), page.getByTestId('proof-download').click()]);
    expect(readFileSync((await reprint.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    expect(reprint.suggestedFilename()).toBe(`${number}-reprint-a4.pdf`);
    await page.getByTestId('proof-prints').getByText('Prints (2)').waitFor();
    const prints = (await invoice(number)).proof.prints;
    expect(prints.map((p: { reprint: boolean; layout: string; printedBy: string }) => [p.reprint, p.layout, p.printedBy])).toEqual([[false, 'thermal', 'finance 林'], [true, 'a4', 'finance 林']]);
    await screenshot(page, 'invoices-proof-reprinted');
  });

  it('shows admins a voided invoice without a void form, an allowance of 1,051 as 1,051, accepted uploads with their sentAt, and the workflow link', async () => {
    const page = await newPage(stack.adminKey);
    await page.goto(`${baseUrl}/#invoice/${BANS.seller}/${numberOf.get('VOID-1')}`);
    await page.getByTestId('no-actions').waitFor();
    expect(await page.getByTestId('void').count()).toBe(0);
    expect(await page.getByTestId('allowance').count()).toBe(0);
    await page.getByTestId('close-detail').click();

    const number = numberOf.get('AMOUNT-1051')!;
    await eventually(async () => (await invoice(number)).status, (status) => status === 'accepted', 120_000);
    await page.goto(`${baseUrl}/#invoice/${BANS.seller}/${number}`);
    await page.getByTestId('detail-status').and(page.locator('[data-status="accepted"]')).waitFor();
    const upload = page.getByTestId('upload-row').and(page.locator('[data-outcome="accepted"]'));
    expect(await upload.getByTestId('upload-sent').textContent()).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
    const link = page.getByTestId('detail').getByTestId('workflow-link');
    expect(await link.getAttribute('href')).toBe(`${TEMPORAL_UI}/namespaces/${stack.config.temporal.namespace}/workflows?query=${encodeURIComponent(`WorkflowId="invoice:${BANS.seller}:${number}"`)}`);
    await page.getByTestId('allowance').click();
    await page.getByTestId('allowance-amount').getByText('1,051').waitFor({ timeout: 60_000 });
    // The void form gives way to the allowance it would have to void first.
    await page.getByTestId('void-blocked').waitFor();
    await screenshot(page, 'invoices-allowance-1051');
  });

  it('lists a 50-row import that finished before the page looked, with its workflow link; numbers.low stays one occurrence', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => b2cRow(`FAST-${String(i).padStart(2, '0')}`));
    const preview = await stack.http().post(`${base}/imports`).set(stack.admin()).attach('file', await orderWorkbook(rows), 'orders-50.xlsx').expect(201);
    await stack.http().post(`/api/v1/imports/${preview.body.id}/confirm`).set(stack.admin()).expect(202);
    await eventually(async () => (await stack.http().get(`/api/v1/imports/${preview.body.id}`).set(stack.admin())).body.state, (state) => state === 'done', 120_000);
    const page = await newPage(finance);
    const row = page.locator(`[data-testid="import-row"][data-id="${preview.body.id}"]`);
    await row.and(page.locator('[data-state="done"]')).waitFor();
    expect(await row.getByTestId('import-result').getAttribute('href')).toBe(`/api/v1/imports/${preview.body.id}/result.xlsx`);
    expect(await row.getByTestId('workflow-link').getAttribute('href')).toContain(encodeURIComponent(`WorkflowId="order-import:${preview.body.id}"`));
    const low = page.locator('[data-testid="alert-row"][data-kind="numbers.low"]');
    await low.first().waitFor();
    expect(await low.count()).toBe(1);
    expect(await low.textContent()).not.toMatch(/×\d/);
    const { body } = await stack.http().get('/api/v1/alerts?kind=numbers.low').set(stack.admin()).expect(200);
    expect(body.alerts).toEqual([expect.objectContaining({ occurrences: 1, state: 'open' })]);
  });

  it.each(['invoices', 'detail'] as const)('is usable at 390 px: the %s without sideways scrolling, number in view, tap targets of 24 px', async (view) => {
    const page = await newPage(stack.adminKey, 390, 844);
    if (view === 'invoices') {
      await page.goto(`${baseUrl}/#invoices`);
      await page.getByTestId('invoice-row').first().waitFor();
    } else {
      await page.goto(`${baseUrl}/#invoice/${BANS.seller}/${numberOf.get('PROOF-1')}`);
      await page.getByTestId('proof').waitFor();
    }
    await expectPhoneLayout(page, view);
  });

  /**
   * At 390 px: the page never scrolls sideways (tables scroll inside their panel), every visible control is at least
   * 24 px high, and the invoice number (and on the board its due time) sits within the screen. Leaves a screenshot.
   */
  async function expectPhoneLayout(page: Page, view: 'overview' | 'invoices' | 'detail'): Promise<void> {
    const layout = await page.evaluate<{ scrollWidth: number; innerWidth: number; small: string[]; keyCells: number[] }>(`(() => {
      const view = ${JSON.stringify(view)};
      const scope = view === 'detail' ? document.getElementById('detail') : document.body;
      const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
      const small = [...scope.querySelectorAll('button, input, select, a')].filter(visible)
        .filter((e) => e.getBoundingClientRect().height < 24).map((e) => e.outerHTML.slice(0, 100));
      const cells = view === 'invoices' ? [...document.querySelectorAll('[data-testid=invoice-row] td:first-child')]
        : view === 'overview' ? [...document.querySelectorAll('[data-testid=board-row] td:nth-child(-n+2)')] : [...document.querySelectorAll('#detail h2')];
      return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, small, keyCells: cells.map((c) => c.getBoundingClientRect().right) };
    })()`);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    expect(layout.small).toEqual([]);
    expect(layout.keyCells.length).toBeGreaterThan(0);
    for (const right of layout.keyCells) expect(right).toBeLessThanOrEqual(390);
    await screenshot(page, `invoices-390px-${view}`);
  }
});
