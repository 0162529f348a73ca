import { ApiError, api } from './api.js';
import { TAIPEI_ZONE, badge, h, num, table, update, when } from './dom.js';
import { keepFocusInPager } from './panels.js';
import { View } from './view.js';

interface SellerOption {
  ban: string;
  name: string;
  channels: { code: string; name: string }[];
}

interface ListedInvoice {
  sellerBan: string;
  sellerName: string;
  number: string;
  billingNo: string;
  channel: string | null;
  issuedAt: string;
  buyer: { ban: string | null; name: string | null };
  amounts: { total: number };
  status: string;
  deadline: { state: string; dueAt: string };
  sentAt: string | null;
  acceptedAt: string | null;
  allowances: { live: number; total: number };
  lastError: { code: string; message: string } | null;
}

/** The filter as the hash and the API both spell it: `#invoices?billingNo=SO-1&sort=oldest`. */
const FIELDS = ['seller', 'number', 'billingNo', 'buyer', 'from', 'to', 'status', 'channel', 'sort'] as const;
type Field = (typeof FIELDS)[number];

const STATUSES: [string, string][] = [
  ['', '全部 All'], ['issued', '已開立 issued'], ['uploading', '上傳中 uploading'], ['sent', '已送出 sent'], ['accepted', '已接受 accepted'],
  ['rejected', '被退回 rejected'], ['voided', '已作廢 voided'], ['cancelled_blank', '空白作廢 cancelled as blank'], ['allowance', '有折讓 with an allowance'],
];
const STATUS_LABELS = Object.fromEntries(STATUSES);
const PAGE = 50;

/** The rows of an export so far: a CSV line per invoice after the header; an xlsx only tells its bytes. */
function exportProgress(format: 'csv' | 'xlsx', total: number, rows: number, bytes: number): string {
  const size = `${(bytes / 1_048_576).toFixed(1)} MB`;
  return format === 'csv' ? `${num(Math.min(rows, total))} / ${num(total)} 筆 rows · ${size}` : `${num(total)} 筆 rows · 已接收 received ${size}`;
}

/**
 * 發票 Invoices: Einv120's search across every seller a staff key reads (all of them), by number, order number,
 * buyer, date, status and channel, newest or oldest first, fifty a page by the API's keyset cursor; the filter lives
 * in the hash, so a reload or a shared link shows the same search. The whole filter exports as CSV or xlsx, read as
 * a stream with its progress shown. A row opens the invoice's detail over this view.
 */
class InvoicesView implements View {
  readonly id = 'invoices';
  readonly label = '發票 Invoices';
  private form?: HTMLFormElement;
  private inputs = {} as Record<Field, HTMLInputElement | HTMLSelectElement>;
  private sellers: SellerOption[] = [];
  /** The query the results show, and the cursors of the pages before the one shown. */
  private shownQuery: string | undefined;
  private cursors: (string | undefined)[] = [undefined];
  private page = 0;
  private nextCursor: string | null = null;
  private exporting?: AbortController;

  async show(root: HTMLElement, route: string): Promise<void> {
    if (!this.form && !(await this.build(root))) return;
    const query = new URLSearchParams(route.startsWith('?') ? route.slice(1) : '');
    const canonical = this.canonical(query);
    // Back from an invoice's detail, or the same link again: the results and the page stay as they were.
    if (canonical === this.shownQuery) return;
    for (const field of FIELDS) this.inputs[field].value = query.get(field) ?? (field === 'sort' ? 'newest' : '');
    this.fillChannels(query.get('channel') ?? '');
    this.shownQuery = canonical;
    this.cursors = [undefined];
    this.page = 0;
    await this.load();
  }

  /** False when the sellers could not be read: the next visit tries again. */
  private async build(root: HTMLElement): Promise<boolean> {
    try {
      this.sellers = (await api<{ sellers: SellerOption[] }>('/sellers')).sellers;
    } catch (error) {
      root.replaceChildren(h('p', { class: 'error' }, error instanceof ApiError ? `${error.code}: ${error.message}` : String(error)));
      return false;
    }
    const input = (field: Field, props: Record<string, string | number> = {}) => h('input', { id: `inv-${field}`, name: field, autocomplete: 'off', 'data-testid': `filter-${field}`, ...props });
    const select = (field: Field, options: [string, string][]) =>
      h('select', { id: `inv-${field}`, name: field, 'data-testid': `filter-${field}` }, ...options.map(([value, text]) => h('option', { value }, text)));
    this.inputs = {
      seller: select('seller', [['', `全部賣方 All sellers (${this.sellers.length})`], ...this.sellers.map((s): [string, string] => [s.ban, `${s.ban} ${s.name}`])]),
      number: input('number', { maxlength: 10, placeholder: 'AB12345678', spellcheck: 'false' }),
      billingNo: input('billingNo', { maxlength: 60, spellcheck: 'false' }),
      buyer: input('buyer', { maxlength: 60 }),
      from: input('from', { type: 'date' }),
      to: input('to', { type: 'date' }),
      status: select('status', STATUSES),
      channel: select('channel', []),
      sort: select('sort', [['newest', '最新在前 Newest first'], ['oldest', '最舊在前 Oldest first']]),
    };
    this.inputs.seller.addEventListener('change', () => this.fillChannels(this.inputs.channel.value));
    const labelled = (field: Field, text: string) => h('div', { class: 'field' }, h('label', { for: `inv-${field}` }, text), this.inputs[field]);
    this.form = h(
      'form',
      { class: 'filters', role: 'search', 'aria-label': '發票查詢 Invoice search', 'data-testid': 'invoice-filters' },
      labelled('seller', '賣方 Seller'),
      labelled('number', '發票號碼 Invoice number'),
      labelled('billingNo', '訂單編號 Order number (BillingNo)'),
      labelled('buyer', '買方 Buyer (統編 BAN or name)'),
      labelled('from', `開立日期從 Issued from (${TAIPEI_ZONE})`),
      labelled('to', '至 to (含 inclusive)'),
      labelled('status', '狀態 Status'),
      labelled('channel', '通路 Channel'),
      labelled('sort', '排序 Sort'),
      h('div', { class: 'field buttons' },
        h('button', { type: 'submit', class: 'primary', 'data-testid': 'search' }, '查詢 Search'),
        h('button', { type: 'button', 'data-testid': 'clear', onclick: () => { location.hash = '#invoices'; } }, '清除 Clear')),
    );
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const query = this.canonical(new URLSearchParams(FIELDS.map((f) => [f, this.inputs[f].value.trim()])));
      const hash = `#invoices${query ? `?${query}` : ''}`;
      // The hash is the search: setting it runs it through the router, so Back returns to the previous search.
      if (location.hash !== hash) location.hash = hash;
      else {
        this.shownQuery = undefined;
        void this.show(root, query ? `?${query}` : '');
      }
    });
    root.replaceChildren(
      h('section', { 'data-testid': 'invoices' },
        h('h2', {}, '發票查詢 ', h('span', {}, 'Invoices: every seller, newest first unless sorted otherwise')),
        this.form,
        h('div', { class: 'actions export', 'data-testid': 'export' },
          h('span', {}, '匯出目前條件 Export this search:'),
          h('button', { type: 'button', 'data-testid': 'export-csv', onclick: () => this.export('csv') }, 'CSV'),
          h('button', { type: 'button', 'data-testid': 'export-xlsx', onclick: () => this.export('xlsx') }, 'Excel (.xlsx)'),
          h('span', { id: 'invoice-export-status', 'data-testid': 'export-status', 'aria-live': 'polite' })),
        h('div', { id: 'invoice-results', 'data-testid': 'invoice-results' }),
        h('div', { id: 'invoice-pager', class: 'pager', 'data-testid': 'invoice-pager' })),
    );
    return true;
  }

  /** The channel choices: the chosen seller's, or every code any seller has. */
  private fillChannels(selected: string): void {
    const seller = this.sellers.find((s) => s.ban === this.inputs.seller.value);
    const codes = seller ? seller.channels.map((c): [string, string] => [c.code, `${c.code} ${c.name}`]) : [...new Set(this.sellers.flatMap((s) => s.channels.map((c) => c.code)))].sort().map((c): [string, string] => [c, c]);
    const channel = this.inputs.channel as HTMLSelectElement;
    channel.replaceChildren(...[['', '全部 All'] as [string, string], ...codes].map(([value, text]) => h('option', { value }, text)));
    channel.value = codes.some(([code]) => code === selected) ? selected : '';
  }

  /** The filter's own spelling: known fields in order, empty ones and the default sort left out. */
  private canonical(query: URLSearchParams): string {
    const kept = new URLSearchParams();
    for (const field of FIELDS) {
      const value = query.get(field)?.trim();
      if (value && !(field === 'sort' && value === 'newest')) kept.set(field, value);
    }
    return kept.toString();
  }

  private async load(): Promise<void> {
    const results = document.getElementById('invoice-results')!;
    const cursor = this.cursors[this.page];
    const query = `${this.shownQuery ? `${this.shownQuery}&` : ''}limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    results.setAttribute('aria-busy', 'true');
    let page: { invoices: ListedInvoice[]; nextCursor: string | null };
    try {
      page = await api(`/invoices?${query}`);
    } catch (error) {
      update(results, h('p', { class: 'error', 'data-testid': 'search-error' }, error instanceof ApiError ? `${error.code}: ${error.message}` : String(error)));
      update('invoice-pager');
      results.removeAttribute('aria-busy');
      return;
    }
    results.removeAttribute('aria-busy');
    this.nextCursor = page.nextCursor;
    update(
      results,
      h('div', { class: 'scroll sticky-first' }, table(
        ['號碼 Number · 開立 Issued', '賣方 Seller', '訂單編號 BillingNo', '買方 Buyer', '通路 Channel', ['總計 Total', 'num'], '狀態 Status', `期限 Due (${TAIPEI_ZONE})`],
        page.invoices.map((invoice) => this.row(invoice)),
        '沒有符合的發票。No invoice matches this search.',
      )),
    );
    const first = this.page * PAGE + (page.invoices.length > 0 ? 1 : 0);
    const last = this.page * PAGE + page.invoices.length;
    const focused = document.activeElement;
    update(
      'invoice-pager',
      h('button', { type: 'button', 'data-testid': 'page-previous', disabled: this.page === 0, onclick: () => this.turn(-1) }, '‹ 上一頁 Previous'),
      h('span', { 'data-testid': 'page-range', 'aria-live': 'polite' }, `第 ${this.page + 1} 頁 · 第 ${first}–${last} 筆 (page ${this.page + 1}, rows ${first}–${last})`),
      h('button', { type: 'button', 'data-testid': 'page-next', disabled: this.nextCursor === null, onclick: () => this.turn(1) }, '下一頁 Next ›'),
    );
    keepFocusInPager(focused, 'invoice-pager');
  }

  private row(invoice: ListedInvoice): HTMLTableRowElement {
    const href = `#invoice/${invoice.sellerBan}/${invoice.number}`;
    const open = invoice.deadline.state !== 'done';
    return h(
      'tr',
      {
        'data-testid': 'invoice-row', 'data-number': invoice.number, 'data-billing-no': invoice.billingNo, 'data-key': `${invoice.sellerBan}:${invoice.number}`, class: 'clickable',
        // The number is the link (keyboard, screen readers); a click anywhere else on the row opens it too.
        onclick: (event) => { if (!(event.target as Element).closest('a')) location.hash = href; },
      },
      h('td', {}, h('a', { href, 'data-testid': 'invoice-open' }, invoice.number), h('br'), h('span', { class: 'muted' }, when(invoice.issuedAt))),
      h('td', {}, invoice.sellerBan, h('br'), h('span', { class: 'muted' }, invoice.sellerName)),
      h('td', {}, invoice.billingNo),
      h('td', {}, invoice.buyer.ban ?? '', invoice.buyer.ban && invoice.buyer.name ? ' ' : '', invoice.buyer.name ?? (invoice.buyer.ban ? '' : '—')),
      h('td', {}, invoice.channel ?? '—'),
      h('td', { class: 'num' }, num(invoice.amounts.total)),
      h('td', { 'data-testid': 'invoice-status', 'data-status': invoice.status },
        STATUS_LABELS[invoice.status] ?? invoice.status,
        invoice.allowances.live > 0 ? h('span', { class: 'muted' }, ` · 折讓 ${invoice.allowances.live} (${num(invoice.allowances.total)})`) : '',
        invoice.lastError ? h('div', { class: 'error' }, `${invoice.lastError.code} ${invoice.lastError.message}`) : ''),
      open
        ? h('td', {}, badge(invoice.deadline.state, invoice.deadline.state === 'on_time' ? '未到期 on time' : undefined), ' ', when(invoice.deadline.dueAt))
        : h('td', {}, invoice.acceptedAt ? `接受 accepted ${when(invoice.acceptedAt)}` : '—'),
    );
  }

  private async turn(by: 1 | -1): Promise<void> {
    if (by === 1) {
      if (this.nextCursor === null) return;
      this.cursors[this.page + 1] = this.nextCursor;
    }
    this.page += by;
    await this.load();
  }

  /**
   * Streams the export with fetch and a reader, so the page can show how far it is (the API says the row count
   * first), then hands the file over as a Blob URL download: the page's CSP allows no other way in.
   */
  private async export(format: 'csv' | 'xlsx'): Promise<void> {
    const status = document.getElementById('invoice-export-status')!;
    this.exporting?.abort();
    const controller = new AbortController();
    this.exporting = controller;
    const bar = h('progress', { 'data-testid': 'export-progress', 'aria-label': `export ${format}` });
    const text = h('span', { 'data-testid': 'export-count' });
    const cancel = h('button', { type: 'button', 'data-testid': 'export-cancel', onclick: () => controller.abort() }, '取消 Cancel');
    status.replaceChildren(bar, ' ', text, ' ', cancel);
    try {
      const response = await fetch(`/api/v1/invoices.${format}${this.shownQuery ? `?${this.shownQuery}` : ''}`, { credentials: 'same-origin', cache: 'no-store', signal: controller.signal });
      if (!response.ok) {
        const error = await response.json().catch(() => ({}));
        status.replaceChildren(h('span', { class: 'error', 'data-testid': 'export-error' }, `${error.code ?? response.status}: ${error.message ?? response.statusText}`));
        return;
      }
      const total = Number(response.headers.get('X-Row-Count') ?? 0);
      bar.max = Math.max(total, 1);
      const reader = response.body!.getReader();
      const chunks: Uint8Array[] = [];
      let bytes = 0;
      let lines = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        bytes += value.length;
        if (format === 'csv') for (const byte of value) if (byte === 10) lines++;
        const rows = Math.max(0, lines - 1);
        if (format === 'csv') bar.value = Math.min(rows, total);
        text.textContent = exportProgress(format, total, rows, bytes);
      }
      const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? `invoices.${format}`;
      const url = URL.createObjectURL(new Blob(chunks as BlobPart[], { type: response.headers.get('Content-Type') ?? 'application/octet-stream' }));
      bar.value = bar.max;
      const link = h('a', { href: url, download: name, 'data-testid': 'export-download', 'data-rows': total }, `下載 Download ${name}`);
      status.replaceChildren(h('span', { 'data-testid': 'export-done' }, `完成 Done: ${num(total)} 筆 rows · `), link);
      link.click();
    } catch (error) {
      status.replaceChildren(h('span', { class: controller.signal.aborted ? 'muted' : 'error', 'data-testid': 'export-error' }, controller.signal.aborted ? '已取消 Cancelled' : String(error)));
    } finally {
      if (this.exporting === controller) this.exporting = undefined;
    }
  }
}

export const invoicesView: View = new InvoicesView();
