import { ApiError, Session, api, can } from './api.js';
import { BUCKET_LABELS, TAIPEI_ZONE, append, badge, h, num, table, when, workflowLink } from './dom.js';

interface ProofPrint {
  layout: 'thermal' | 'a4';
  via: 'print' | 'email';
  reprint: boolean;
  printedBy: string;
  printedAt: string;
}

interface InvoiceDetail {
  number: string;
  billingNo: string;
  period: string;
  channel: string | null;
  issuedAt: string;
  status: string;
  workflowId: string;
  buyer: { ban: string | null; name: string | null };
  amounts: { sales: number; tax: number; total: number };
  lines: { description: string; quantity: number; unitPrice: number; amount: number }[];
  deadline: { state: string; warnAt: string; dueAt: string; legalDueAt: string };
  sentAt: string | null;
  acceptedAt: string | null;
  lastError: { code: string; message: string } | null;
  void: { at: string; reason: string } | null;
  allowances: { number: string; date: string; status: string; taxableAmount: number; zeroTaxAmount: number; freeTaxAmount: number; taxAmount: number; totalAmount: number }[];
  messages: { messageType: string; allowanceNumber: string | null; status: string; deadlineState: string; dueAt: string; sentAt: string | null; errorCode: string | null; errorMessage: string | null }[];
  uploads: { messageType: string; fileName: string; deliveredAt: string | null; sentAt: string | null; outcome: string; outcomeAt: string | null; errorCode: string | null; errorMessage: string | null }[];
  timeline: { at: string; kind: string }[];
  proof: { printable: boolean; prints: ProofPrint[] };
}

const STATUS_LABELS: Record<string, string> = {
  issued: '已開立 issued', uploading: '上傳中 uploading', sent: '已送出 sent', accepted: '已接受 accepted',
  rejected: '被退回 rejected', voided: '已作廢 voided', cancelled_blank: '空白作廢 cancelled as blank',
};
const OUTCOMES: Record<string, string> = { pending: '等待中 pending', accepted: '已接受 accepted (C)', rejected: '被退回 rejected (E)' };
const ENDED = new Set(['voided', 'cancelled_blank']);

const cell = (value: unknown, className?: string) => h('td', { class: className }, value === null || value === undefined || value === '' ? '—' : String(value));

/** The proof this page last printed, kept so the detail drawn again after the print still offers it. */
let printed: { number: string; url: string; copy: string; fileName: string } | undefined;
/** Where the keyboard was when the detail opened: it goes back there when the detail closes. */
let opener: HTMLElement | null = null;

/**
 * The invoice's lines, messages, upload history, deadlines, allowances and proof prints, with void / allowance for
 * admins and the proof print for admin and finance; what a key may not do is not offered (the API refuses it anyway).
 */
export async function openDetail(ban: string, number: string, session: Session | null, notice = ''): Promise<void> {
  const panel = document.getElementById('detail')!;
  const body = document.getElementById('detail-body')!;
  if (panel.hidden && document.activeElement instanceof HTMLElement && document.activeElement !== document.body) opener = document.activeElement;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-modal', 'true');
  panel.setAttribute('aria-labelledby', 'detail-title');
  body.replaceChildren(h('p', {}, '載入中… Loading…'));
  panel.hidden = false;
  let invoice: InvoiceDetail;
  try {
    invoice = await api<InvoiceDetail>(`/sellers/${encodeURIComponent(ban)}/invoices/${encodeURIComponent(number)}`);
  } catch (error) {
    body.replaceChildren(h('p', { class: 'error' }, (error as Error).message), closeButton());
    return;
  }
  const rights = can(session);
  const message = h('div', { class: 'error', 'data-testid': 'action-result', role: 'status' }, notice);
  const ended = ENDED.has(invoice.status);
  const liveAllowances = invoice.allowances.filter((a) => a.status === 'live');
  const title = h('h2', { id: 'detail-title', 'data-testid': 'detail-number', tabindex: -1 }, `發票 ${invoice.number}`);
  body.replaceChildren(
    closeButton(),
    title,
    h('p', {}, `${ban} · 通路 ${invoice.channel ?? '—'} · 期別 ${invoice.period} · 訂單 BillingNo ${invoice.billingNo} · 開立 ${when(invoice.issuedAt)} (${TAIPEI_ZONE}) · 狀態 status `,
      h('strong', { 'data-testid': 'detail-status', 'data-status': invoice.status }, STATUS_LABELS[invoice.status] ?? invoice.status),
      ' ', workflowLink(session?.temporalUi, invoice.workflowId, '流程 Workflow (Temporal UI)')),
    h('p', {}, `買方 Buyer ${invoice.buyer.ban ?? ''} ${invoice.buyer.name ?? ''} · 銷售額 ${num(invoice.amounts.sales)} · 稅額 ${num(invoice.amounts.tax)} · 總計 Total ${num(invoice.amounts.total)}`),
    invoice.lastError ? h('p', { class: 'error' }, `平台錯誤 Platform error ${invoice.lastError.code}: ${invoice.lastError.message}`) : '',
    invoice.void ? h('p', { 'data-testid': 'detail-voided' }, `已作廢 Voided ${when(invoice.void.at)}: ${invoice.void.reason}`) : '',
    h('h3', {}, `期限 Deadlines (${TAIPEI_ZONE})`),
    h('p', {}, badge(invoice.deadline.state, BUCKET_LABELS[invoice.deadline.state] ?? invoice.deadline.state), ` 提醒 warn ${when(invoice.deadline.warnAt)} · 到期 due ${when(invoice.deadline.dueAt)} · 法定 legal ${when(invoice.deadline.legalDueAt)} · 送出 sent ${when(invoice.sentAt)} · 接受 accepted ${when(invoice.acceptedAt)}`),
    h('h3', {}, '明細 Lines'),
    h('div', { class: 'scroll' }, table(['品名 Description', ['數量 Qty', 'num'], ['單價 Unit price', 'num'], ['金額 Amount', 'num']], invoice.lines.map((l) => h('tr', {}, cell(l.description), cell(l.quantity, 'num'), cell(l.unitPrice, 'num'), cell(num(l.amount), 'num'))), '—')),
    h('h3', {}, '訊息 Messages'),
    h('div', { class: 'scroll' }, table(['類型 Type', '折讓 Allowance', '狀態 Status', '期限 Deadline', `到期 Due (${TAIPEI_ZONE})`, '送出 Sent', '錯誤 Error'], invoice.messages.map((m) => h('tr', {}, cell(m.messageType), cell(m.allowanceNumber), cell(m.status), cell(m.deadlineState), cell(when(m.dueAt)), cell(when(m.sentAt)), cell(m.errorCode ? `${m.errorCode} ${m.errorMessage ?? ''}` : null))), '沒有後續訊息。No follow-up messages.')),
    h('h3', {}, `上傳紀錄 Upload history (${TAIPEI_ZONE})`),
    h('div', { class: 'scroll' }, table(
      ['類型 Type', '交付 Delivered', '送出 Sent (G)', '結果 Outcome', '結果時間 At', '錯誤 Error', '檔案 File'],
      invoice.uploads.map((u) => h('tr', { 'data-testid': 'upload-row', 'data-outcome': u.outcome }, cell(u.messageType), cell(when(u.deliveredAt)), h('td', { 'data-testid': 'upload-sent' }, when(u.sentAt)), cell(OUTCOMES[u.outcome] ?? u.outcome), cell(when(u.outcomeAt)), cell(u.errorCode ? `${u.errorCode} ${u.errorMessage ?? ''}` : null), cell(u.fileName))),
      '尚未上傳。Not uploaded yet.',
    )),
    h('h3', {}, '折讓 Allowances'),
    h('div', { class: 'scroll' }, table(
      ['號碼 Number', '狀態 Status', ['銷售額 Untaxed', 'num'], ['稅額 Tax', 'num'], ['金額（含稅）Amount, tax incl.', 'num'], ''],
      invoice.allowances.map((a) =>
        h('tr', { 'data-testid': 'allowance-row', 'data-number': a.number },
          cell(a.number), cell(a.status === 'live' ? '有效 live' : '已作廢 voided'),
          cell(num(a.taxableAmount + a.zeroTaxAmount + a.freeTaxAmount), 'num'), cell(num(a.taxAmount), 'num'),
          h('td', { class: 'num', 'data-testid': 'allowance-amount' }, num(a.totalAmount)),
          h('td', {}, rights.allowance && a.status === 'live' ? allowanceVoidForm(ban, invoice.number, a.number, message) : ''))),
      '沒有折讓。No allowances.',
    )),
    h('h3', {}, '證明聯 Proof (電子發票證明聯)'),
    proofSection(ban, invoice, session, message),
    h('h3', {}, `歷程 Timeline (${TAIPEI_ZONE})`),
    h('div', { class: 'scroll' }, table(['時間 At', '事件 Event'], invoice.timeline.map((t) => h('tr', {}, cell(when(t.at)), cell(t.kind))), '—')),
    h('h3', {}, '操作 Actions'),
    actions(ban, invoice, rights, ended, liveAllowances.map((a) => a.number), message),
    message,
  );
  title.focus();
}

function actions(ban: string, invoice: InvoiceDetail, rights: ReturnType<typeof can>, ended: boolean, live: string[], message: HTMLElement): HTMLElement {
  if (!rights.void) return h('p', { class: 'muted', 'data-testid': 'read-only' }, '唯讀：作廢與折讓需要管理者金鑰。Read-only: void and allowance need an admin key.');
  if (ended) return h('p', { class: 'muted', 'data-testid': 'no-actions' }, `此發票已${invoice.status === 'voided' ? '作廢' : '空白作廢'}，不能再作廢或折讓。This invoice is ${STATUS_LABELS[invoice.status]}: nothing more to void or allow.`);
  return h(
    'div',
    {},
    live.length > 0
      ? h('p', { class: 'muted', 'data-testid': 'void-blocked' }, `有效折讓 ${live.join(', ')}：請先作廢折讓再作廢發票。Void the live allowances first.`)
      : voidForm(ban, invoice, message),
    invoice.status === 'rejected' ? '' : allowanceButton(ban, invoice, message),
  );
}

/**
 * The proof exists only as a print: every copy handed out is recorded, the first as the original and each later one
 * as a reprint (補印). So opening it means printing it, which admin and finance may do; a viewer sees how often it was
 * printed, and by whom, but gets no copy of its own.
 */
function proofSection(ban: string, invoice: InvoiceDetail, session: Session | null, message: HTMLElement): HTMLElement {
  const { printable, prints } = invoice.proof;
  if (!printable) {
    return h('p', { class: 'muted', 'data-testid': 'proof-none' }, ENDED.has(invoice.status)
      ? '作廢的發票沒有證明聯。A voided invoice has no proof.'
      : '載具或捐贈發票（PrintMark N）不印證明聯。On a carrier or donated (PrintMark N): no printed proof.');
  }
  const history = prints.length === 0
    ? '尚未列印或寄出。Not printed or mailed yet: the next print is the original.'
    : prints.map((p) => `${p.reprint ? '補印 reprint' : '正本 original'} ${p.layout} · ${p.via === 'email' ? '寄給買方 e-mailed' : '列印 printed'} · ${p.printedBy} · ${when(p.printedAt)}`).join('； ');
  const lines = h('p', { 'data-testid': 'proof-prints', 'data-count': prints.length }, `列印紀錄 Prints (${prints.length}): ${history}`);
  if (!can(session).print) {
    return h('div', { 'data-testid': 'proof' }, lines, h('p', { class: 'muted', 'data-testid': 'proof-read-only' }, '列印與補印需要財務或管理者金鑰，每次列印都會記錄。Printing and reprinting need a finance or admin key; every print is recorded.'));
  }
  const layout = h('select', { id: 'proof-layout', 'data-testid': 'proof-layout' }, h('option', { value: 'thermal' }, '熱感紙 57 mm thermal'), h('option', { value: 'a4' }, 'A4（含明細 with the items）'));
  const first = prints.length === 0;
  const button = h('button', {
    type: 'button', class: 'primary', 'data-testid': first ? 'proof-print' : 'proof-reprint',
    onclick: () => printProof(ban, invoice.number, layout.value as 'thermal' | 'a4', button, message),
  }, first ? '列印證明聯 Print the proof (original)' : '補印證明聯 Reprint the proof (補印)');
  const last = printed?.number === invoice.number ? printed : undefined;
  return h(
    'div',
    { 'data-testid': 'proof' },
    lines,
    h('div', { class: 'actions' }, h('label', { for: 'proof-layout' }, '版面 Layout'), layout, button),
    last
      ? h('p', { 'data-testid': 'proof-ready', 'data-copy': last.copy },
          `${last.copy === 'reprint' ? '補印 Reprint' : '正本 Original'}: `,
          h('a', { href: last.url, target: '_blank', rel: 'noopener', 'data-testid': 'proof-open' }, '開啟 PDF Open'),
          ' · ',
          h('a', { href: last.url, download: last.fileName, 'data-testid': 'proof-download' }, `下載 Download ${last.fileName}`))
      : '',
  );
}

/** POSTs the print, keeps the PDF as a Blob URL (the page's CSP allows nothing else to hold it), and shows it. */
async function printProof(ban: string, number: string, layout: 'thermal' | 'a4', button: HTMLButtonElement, message: HTMLElement): Promise<void> {
  button.disabled = true;
  message.textContent = '列印中… Printing…';
  try {
    const response = await fetch(`/api/v1/sellers/${encodeURIComponent(ban)}/invoices/${encodeURIComponent(number)}/prints`, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'Content-Type': 'application/json', Accept: 'application/pdf' },
      body: JSON.stringify({ layout }),
    });
    if (!response.ok) {
      const error = await response.json().catch(() => ({}));
      message.textContent = `${error.code ?? response.status}: ${error.message ?? response.statusText}`;
      button.disabled = false;
      return;
    }
    const copy = response.headers.get('X-Proof-Copy') ?? 'original';
    const blob = await response.blob();
    if (printed) URL.revokeObjectURL(printed.url);
    printed = { number, url: URL.createObjectURL(blob), copy, fileName: `${number}-${copy}-${layout}.pdf` };
    await openDetail(ban, number, JSON.parse(document.body.dataset.session ?? 'null'));
    document.querySelector<HTMLElement>('[data-testid="proof-open"]')?.focus();
  } catch (error) {
    message.textContent = String(error);
    button.disabled = false;
  }
}

function closeButton(): HTMLElement {
  return h('button', { type: 'button', 'data-testid': 'close-detail', onclick: () => closeDetail() }, '關閉 Close');
}

/** The hash of the view the detail was opened over, which closing it returns to. */
let underneath = '';

export function closeDetail(viewHash = underneath): void {
  underneath = viewHash;
  const panel = document.getElementById('detail')!;
  const wasOpen = !panel.hidden;
  panel.hidden = true;
  if (location.hash.startsWith('#invoice/')) history.replaceState(null, '', location.pathname + underneath);
  if (wasOpen && opener?.isConnected) opener.focus();
  if (wasOpen) opener = null;
}

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && !document.getElementById('detail')!.hidden) closeDetail();
});

function field(id: string, label: string, input: HTMLElement): HTMLElement[] {
  input.id = id;
  return [h('label', { for: id }, label), input];
}

function voidForm(ban: string, invoice: InvoiceDetail, message: HTMLElement): HTMLElement {
  const reason = h('input', { 'data-testid': 'void-reason', maxlength: 20, autocomplete: 'off' });
  const mode = h('select', {}, h('option', { value: 'void' }, '作廢 Void (F0501)'), h('option', { value: 'cancel_blank' }, '空白作廢 Cancel as blank'));
  const approval = h('input', { autocomplete: 'off' });
  const key = crypto.randomUUID();
  const submit = h('button', {
    type: 'button', class: 'danger', 'data-testid': 'void',
    onclick: async () => {
      if (!reason.value.trim()) return void (message.textContent = '請填寫作廢原因。Give a reason.');
      await act(message, () => api(`/sellers/${ban}/invoices/${invoice.number}/void`, {
        method: 'POST', idempotencyKey: key, body: { reason: reason.value.trim(), mode: mode.value, approvalNumber: approval.value.trim() || undefined },
      }), ban, invoice.number);
    },
  }, '作廢 Void');
  const form = h('div', { class: 'actions' });
  append(form, [
    ...field('void-reason', '作廢原因 Reason', reason),
    ...field('void-mode', '方式 Mode', mode),
    ...field('void-approval', '核准文號 Approval no. (after the filing deadline)', approval),
    submit,
  ]);
  return form;
}

function allowanceButton(ban: string, invoice: InvoiceDetail, message: HTMLElement): HTMLElement {
  const key = crypto.randomUUID();
  return h('div', { class: 'actions' }, h('button', {
    type: 'button', 'data-testid': 'allowance',
    onclick: () => act(message, () => api(`/sellers/${ban}/invoices/${invoice.number}/allowances`, { method: 'POST', idempotencyKey: key, body: { whole: true } }), ban, invoice.number),
  }, '全額折讓 Whole allowance (G0401)'));
}

function allowanceVoidForm(ban: string, number: string, allowance: string, message: HTMLElement): HTMLElement {
  const key = crypto.randomUUID();
  const reason = h('input', { 'data-testid': 'allowance-void-reason', maxlength: 20, autocomplete: 'off', 'aria-label': `折讓 ${allowance} 作廢原因 Reason for voiding allowance ${allowance}` });
  return h('div', { class: 'actions' }, reason, h('button', {
    type: 'button', 'data-testid': 'allowance-void',
    onclick: async () => {
      if (!reason.value.trim()) return void (message.textContent = '請填寫作廢原因。Give a reason.');
      await act(message, () => api(`/sellers/${ban}/allowances/${allowance}/void`, { method: 'POST', idempotencyKey: key, body: { reason: reason.value.trim() } }), ban, number);
    },
  }, '作廢折讓 Void allowance (G0501)'));
}

async function act(message: HTMLElement, call: () => Promise<unknown>, ban: string, number: string): Promise<void> {
  message.textContent = '送出中… Sending…';
  try {
    await call();
    await openDetail(ban, number, JSON.parse(document.body.dataset.session ?? 'null'), '已送出 Done');
  } catch (error) {
    message.textContent = error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
  }
}
