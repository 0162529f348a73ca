import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { TestStack, startTestStack } from './support/test-stack';
import { buildDashboardScript, launchBrowser, listen, screenshot, signIn } from './support/browser';
import { fromTaipei, periodOf } from '../libs/domain';
import { migChild, migChildren, migText, readMigXml } from '../libs/domain/mig/mig-read';
import { InvoicesService } from '../libs/modules/invoices';
import { SellersService } from '../libs/modules/sellers';
import { BANS, b2cOrder, b2cRow, mofCsv, orderWorkbook } from '../libs/dev/fixtures';

/** Finance's views in headless Chromium: imports, reconciliation and tracks, against the real API, worker and platform. */
describe('finance pages in a browser: imports, reconciliation, tracks', () => {
  let stack: TestStack;
  let baseUrl: string;
  let browser: Browser;
  let financeKey: string;
  let viewerKey: string;
  const contexts: BrowserContext[] = [];
  // The period before the running one has ended: it can be reconciled and reported.
  const current = periodOf(new Date());
  const last = current.endMonth === 2 ? { year: current.rocYear + 1910, month: 12 } : { year: current.rocYear + 1911, month: current.endMonth - 2 };
  const period = `${last.year - 1911}${String(last.month).padStart(2, '0')}`;
  const running = `${current.rocYear}${String(current.endMonth).padStart(2, '0')}`;
  const gregorian = (year: number, month: number) => `${year}${String(month).padStart(2, '0')}`;

  async function newPage(width = 1280, height = 900): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-TW', timezoneId: 'Asia/Taipei', acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    return page;
  }

  /** A download the page starts, read whole. */
  async function download(page: Page, testId: string): Promise<Buffer> {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
    return readFileSync((await file.path())!);
  }

  beforeAll(async () => {
    buildDashboardScript();
    stack = await startTestStack();
    await stack.http().post('/api/v1/sellers').set(stack.admin()).send({ ban: BANS.seller, name: '範例股份有限公司' }).expect(201);
    const key = async (role: string, name: string) => (await stack.http().post('/api/v1/api-keys').set(stack.admin()).send({ role, name }).expect(201)).body.key as string;
    financeKey = await key('finance', '陳會計');
    viewerKey = await key('viewer', '牆面');
    baseUrl = await listen(stack.app);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.close();
  });

  it('imports a MOF number file (the booklets it made, or its row errors) and an order workbook end to end', async () => {
    const page = await newPage();
    await signIn(page, baseUrl, financeKey);
    await page.getByRole('link', { name: '匯入 Imports' }).click();
    await page.getByLabel('賣方統編 Seller BAN').fill(BANS.seller);
    const files = page.getByLabel('字軌檔 MOF number file (Big5 or UTF-8)');
    await files.setInputFiles({ name: 'invnoapply.csv', mimeType: 'text/csv', buffer: Buffer.from('not,a,number,file\n1,2,3\n') });
    await page.getByTestId('track-upload').click();
    await page.getByTestId('track-result').getByTestId('error').waitFor();
    expect(await page.getByTestId('track-result').textContent()).toMatch(/TRACK_FILE\./);

    const csv = mofCsv(BANS.seller, [
      { track: 'AB', start: '10000000', end: '10000099', period: gregorian(last.year, last.month) },
      { track: 'CD', start: '20000000', end: '20000199', period: gregorian(current.rocYear + 1911, current.endMonth) },
    ], { encoding: 'big5' });
    await files.setInputFiles({ name: 'invnoapply.csv', mimeType: 'text/csv', buffer: csv });
    await page.getByTestId('track-upload').click();
    expect(await page.getByTestId('track-made').textContent()).toContain('2 段字軌、6 本');

    const template = await download(page, 'download-template');
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(template as unknown as ArrayBuffer);
    expect(read.worksheets[0].rowCount).toBeGreaterThanOrEqual(1);

    const bad = await orderWorkbook([b2cRow('WB-1'), b2cRow('WB-2', { quantity: 'many' }), b2cRow('WB-3')]);
    const workbook = page.getByLabel('訂單活頁簿 Order workbook (.xlsx)');
    await workbook.setInputFiles({ name: 'orders.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: bad });
    await page.getByTestId('workbook-upload').click();
    await page.getByTestId('preview-error').first().waitFor();
    expect(await page.getByTestId('preview-error').first().getAttribute('data-row')).toBe('3');
    expect(await page.getByTestId('preview-error').first().getAttribute('class')).toBe('row-error');
    expect(await page.getByTestId('preview-counts').textContent()).toContain('讀取 3 列，可匯入 2 列');

    // While the next file is read, the previous preview (and its confirm) is gone: held here until checked.
    let answer!: () => void;
    const held = new Promise<void>((resolve) => (answer = resolve));
    await page.route('**/api/v1/sellers/*/imports', async (route) => {
      await held;
      await route.continue();
    });
    await workbook.setInputFiles({ name: 'orders.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await orderWorkbook([b2cRow('WB-4'), b2cRow('WB-5')]) });
    await page.getByTestId('workbook-upload').click();
    await page.getByTestId('preview-reading').waitFor();
    expect(await page.getByTestId('import-confirm').count()).toBe(0);
    answer();
    await page.getByTestId('preview-counts').getByText('讀取 2 列，可匯入 2 列').waitFor();
    expect(await page.getByTestId('preview-error').count()).toBe(0);
    await page.getByTestId('import-confirm').click();
    await page.getByTestId('download-result').waitFor({ timeout: 60_000 });
    const result = new ExcelJS.Workbook();
    await result.xlsx.load((await download(page, 'download-result')) as unknown as ArrayBuffer);
    const cells = result.worksheets[0].getSheetValues().flat().map(String).join(' ');
    expect(cells).toContain('WB-4');
    expect(cells).toContain('WB-5');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'finance-imports-390px');
  });

  it('reconciles the closed period: start, hold, approve refused while held, release, rerun, approve with what it uploads, the three files; a second start says so in words', async () => {
    const seller = await stack.app.get(SellersService).getSeller(BANS.seller);
    await stack.app.get(InvoicesService).issue(seller, null, b2cOrder('REC-1'), fromTaipei(last.year, last.month, 10, 12));
    const page = await newPage();
    await signIn(page, baseUrl, financeKey);
    await page.goto(`${baseUrl}/#reconciliation/${BANS.seller}/${period}`);
    await page.getByTestId('rec-start').click();
    const state = page.getByTestId('rec-state');
    await page.locator('[data-testid="rec-state"][data-state="draft"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('rec-invariant').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('rec-range').count()).toBe(1);

    await page.getByLabel('暫停原因 Hold reason').fill('等待門市回報');
    await page.getByTestId('rec-hold').click();
    await page.locator('[data-testid="rec-state"][data-state="held"]').waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('rec-approve').click();
    await page.getByTestId('error').waitFor();
    expect(await page.getByTestId('error').textContent()).toMatch(/held by 陳會計 .*等待門市回報.*\(RECONCILIATION\.HELD\)/);
    await page.getByTestId('rec-release').click();
    await page.locator('[data-testid="rec-state"][data-state="draft"]').waitFor();
    await page.getByTestId('rec-rerun').click();
    await page.locator('[data-testid="rec-state"][data-state="draft"]').waitFor();

    await page.getByTestId('rec-start').click();
    expect(await page.getByTestId('rec-said').textContent()).toContain('此期已有對帳');

    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await page.getByTestId('rec-approve').click();
    // Two steps, so a failure says which one did not come: the hand-over to Turnkey, or the platform's verdict.
    await page.locator('[data-testid="rec-state"][data-state="sent"], [data-testid="rec-state"][data-state="accepted"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="rec-state"][data-state="accepted"]').waitFor({ timeout: 60_000 });
    expect(dialogs[0]).toMatch(/上傳 1 份 E0402（1 個空白區段，共 99 張）/);
    expect(await page.getByTestId('rec-report').getAttribute('data-state')).toBe('accepted');

    const xml = readMigXml((await download(page, 'download-e0402-AB')).toString('utf8'));
    expect(migChildren(migChild(xml, 'Details'), 'BranchTrackBlankItem').map((i) => `${migText(i, 'InvoiceBeginNo')}-${migText(i, 'InvoiceEndNo')}`)).toEqual(['10000001-10000099']);
    const csv = (await download(page, 'download-csv')).toString('utf8').replace(/^\ufeff/, '').split('\r\n');
    expect(csv[1]).toBe(`${period},07,AB,AB10000001,AB10000099,99`);
    const xlsx = new ExcelJS.Workbook();
    await xlsx.xlsx.load((await download(page, 'download-xlsx')) as unknown as ArrayBuffer);
    expect(xlsx.worksheets[0].rowCount).toBe(100);
    expect(await page.getByTestId('tax-filing-refused').textContent()).toMatch(/tax registration number/);

    // A deep link survives a reload.
    await page.reload();
    await state.waitFor();
    expect(await state.getAttribute('data-state')).toBe('accepted');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'finance-reconciliation-390px');
  });

  it('checks the running period without uploading and says from which day it can be reported', async () => {
    const page = await newPage();
    await signIn(page, baseUrl, financeKey);
    await page.goto(`${baseUrl}/#reconciliation/${BANS.seller}/${running}`);
    await page.getByTestId('rec-start').click();
    await page.locator('[data-testid="rec-state"][data-state="checked"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('rec-state').textContent()).toContain('期中檢查');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('rec-approve').click();
    expect(await page.getByTestId('error').textContent()).toMatch(/has not ended: its blank numbers can be reported from \d{4}-\d{2}-01/);
  });

  it('shows the booklets with their use, and finance hands one to a third party with its blank start', async () => {
    const page = await newPage();
    await signIn(page, baseUrl, financeKey);
    await page.goto(`${baseUrl}/#tracks/${BANS.seller}/${running}`);
    const booklet = page.locator('[data-testid="trk-booklet"][data-start="CD20000150"]');
    await booklet.waitFor();
    await booklet.getByLabel('指派 CD20000150 to').selectOption('third');
    await booklet.getByLabel('名稱 Name').fill('MOMO');
    await booklet.getByTestId('trk-assign').click();
    await booklet.getByText('第三方 MOMO').waitFor();
    await booklet.getByLabel('空白起號 Blank start').fill('CD20000180');
    await booklet.getByTestId('trk-blank-start').click();
    await booklet.getByText('CD20000180').waitFor();
    // The running period's four booklets of CD, one with the two numbers the workbook import issued.
    expect(await page.getByTestId('trk-usage').count()).toBe(4);
    expect(await page.locator('[data-testid="trk-booklet"][data-start="CD20000000"]').textContent()).toContain('2/50');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'finance-tracks-390px');
  });

  it('gives a viewer the same pages with no action at all', async () => {
    const page = await newPage(390, 844);
    await signIn(page, baseUrl, viewerKey);
    await page.goto(`${baseUrl}/#reconciliation/${BANS.seller}/${period}`);
    await page.getByTestId('rec-state').waitFor();
    await page.getByTestId('read-only').waitFor();
    expect(await page.getByTestId('rec-actions').count()).toBe(0);
    expect(await page.getByTestId('tax-filing').count()).toBe(0);
    await page.goto(`${baseUrl}/#tracks/${BANS.seller}/${running}`);
    await page.getByTestId('trk-booklet').first().waitFor();
    expect(await page.getByTestId('trk-assign').count()).toBe(0);
    await page.goto(`${baseUrl}/#imports`);
    await page.getByTestId('view-imports').getByTestId('read-only').waitFor();
    expect(await page.getByTestId('track-upload').count()).toBe(0);
    const refused = await page.evaluate(async (path) => (await fetch(path, { method: 'POST' })).status, `/api/v1/sellers/${BANS.seller}/reconciliations/${period}/rerun`);
    expect(refused).toBe(403);
    await screenshot(page, 'finance-viewer-390px');
  });
});
