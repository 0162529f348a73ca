import { ApiError, Session, api, can } from './api.js';
import { BUCKET_LABELS, append, badge, h, table, when } from './dom.js';

interface InvoiceDetail {
  number: string;
  billingNo: string;
  period: string;
  channel: string | null;
  issuedAt: string;
  status: string;
  buyer: { ban: string | null; name: string | null };
  amounts: { sales: number; tax: number; total: number };
  lines: { description: string; quantity: number; unitPrice: number; amount: number }[];
  deadline: { state: string; warnAt: string; dueAt: string; legalDueAt: string };
  lastError: { code: string; message: string } | null;
  void: { at: string; reason: string } | null;
  allowances: { allowanceNumber?: string; number?: string; status: string; totalAmount?: number; taxableAmount?: number }[];
  messages: { messageType: string; allowanceNumber: string | null; status: string; deadlineState: string; dueAt: string; errorCode: string | null; errorMessage: string | null }[];
  uploads: Record<string, unknown>[];
  timeline: { at: string; kind: string }[];
}

const cell = (value: unknown) => h('td', {}, value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** The invoice's lines, messages, upload history, deadlines and allowances, with void / allowance for keys allowed them. */
export async function openDetail(ban: string, number: string, session: Session | null): Promise<void> {
  const panel = document.getElementById('detail')!;
  const body = document.getElementById('detail-body')!;
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
  const message = h('div', { class: 'error', 'data-testid': 'action-result' });
  body.replaceChildren(
    closeButton(),
    h('h2', { 'data-testid': 'detail-number' }, `發票 ${invoice.number}`),
    h('p', {}, `${ban} · 通路 ${invoice.channel ?? '—'} · 期別 ${invoice.period} · 開立 ${when(invoice.issuedAt)} · 狀態 status `, h('strong', { 'data-testid': 'detail-status' }, invoice.status)),
    h('p', {}, `買方 Buyer ${invoice.buyer.ban ?? ''} ${invoice.buyer.name ?? ''} · 銷售額 ${invoice.amounts.sales} · 稅額 ${invoice.amounts.tax} · 總計 Total ${invoice.amounts.total}`),
    invoice.lastError ? h('p', { class: 'error' }, `平台錯誤 Platform error ${invoice.lastError.code}: ${invoice.lastError.message}`) : '',
    invoice.void ? h('p', {}, `已作廢 Voided ${when(invoice.void.at)}: ${invoice.void.reason}`) : '',
    h('h3', {}, '期限 Deadlines'),
    h('p', {}, badge(invoice.deadline.state, BUCKET_LABELS[invoice.deadline.state] ?? invoice.deadline.state), ` 提醒 warn ${when(invoice.deadline.warnAt)} · 到期 due ${when(invoice.deadline.dueAt)} · 法定 legal ${when(invoice.deadline.legalDueAt)}`),
    h('h3', {}, '明細 Lines'),
    table(['品名 Description', '數量 Qty', '單價 Unit price', '金額 Amount'], invoice.lines.map((l) => h('tr', {}, cell(l.description), cell(l.quantity), cell(l.unitPrice), cell(l.amount))), '—'),
    h('h3', {}, '訊息 Messages'),
    table(['類型 Type', '折讓 Allowance', '狀態 Status', '期限 Deadline', '到期 Due', '錯誤 Error'], invoice.messages.map((m) => h('tr', {}, cell(m.messageType), cell(m.allowanceNumber), cell(m.status), cell(m.deadlineState), cell(when(m.dueAt)), cell(m.errorCode ? `${m.errorCode} ${m.errorMessage ?? ''}` : null))), '沒有後續訊息。No follow-up messages.'),
    h('h3', {}, '上傳紀錄 Upload history'),
    table(uploadColumns(invoice.uploads), invoice.uploads.map((u) => h('tr', {}, ...uploadColumns(invoice.uploads).map((c) => cell(/At$/.test(c) ? when(u[c] as string) : u[c])))), '尚未上傳。Not uploaded yet.'),
    h('h3', {}, '折讓 Allowances'),
    table(['號碼 Number', '狀態 Status', '金額 Amount'], invoice.allowances.map((a) => h('tr', {}, cell(a.allowanceNumber ?? a.number), cell(a.status), cell(a.totalAmount ?? a.taxableAmount))), '沒有折讓。No allowances.'),
    h('h3', {}, '歷程 Timeline'),
    table(['時間 At', '事件 Event'], invoice.timeline.map((t) => h('tr', {}, cell(when(t.at)), cell(t.kind))), '—'),
    h('h3', {}, '操作 Actions'),
    rights.void ? voidForm(ban, invoice, message) : h('p', { class: 'muted', 'data-testid': 'read-only' }, '唯讀：作廢與折讓需要管理者金鑰。Read-only: void and allowance need an admin key.'),
    rights.allowance && invoice.status !== 'voided' ? allowanceButton(ban, invoice, message) : '',
    message,
  );
}

function uploadColumns(uploads: Record<string, unknown>[]): string[] {
  return uploads[0] ? Object.keys(uploads[0]).filter((key) => typeof uploads[0][key] !== 'object' || uploads[0][key] === null).slice(0, 6) : [];
}

function closeButton(): HTMLElement {
  return h('button', { 'data-testid': 'close-detail', onclick: () => closeDetail() }, '關閉 Close');
}

/** The hash of the view the detail was opened over, which closing it returns to. */
let underneath = '';

export function closeDetail(viewHash = underneath): void {
  underneath = viewHash;
  document.getElementById('detail')!.hidden = true;
  if (location.hash.startsWith('#invoice/')) history.replaceState(null, '', location.pathname + underneath);
}

function voidForm(ban: string, invoice: InvoiceDetail, message: HTMLElement): HTMLElement {
  const reason = h('input', { placeholder: '作廢原因 Reason', 'aria-label': 'void reason', 'data-testid': 'void-reason', maxlength: 20 });
  const mode = h('select', { 'aria-label': 'void mode' }, h('option', { value: 'void' }, '作廢 Void (F0501)'), h('option', { value: 'cancel_blank' }, '空白作廢 Cancel as blank'));
  const approval = h('input', { placeholder: '核准文號 Approval no. (after filing deadline)', 'aria-label': 'approval number' });
  const key = crypto.randomUUID();
  const submit = h('button', {
    class: 'danger', 'data-testid': 'void',
    onclick: async () => {
      if (!reason.value.trim()) return void (message.textContent = '請填寫作廢原因。Give a reason.');
      await act(message, () => api(`/sellers/${ban}/invoices/${invoice.number}/void`, {
        method: 'POST', idempotencyKey: key, body: { reason: reason.value.trim(), mode: mode.value, approvalNumber: approval.value.trim() || undefined },
      }), ban, invoice.number);
    },
  }, '作廢 Void');
  const form = h('div', { class: 'actions' });
  append(form, [reason, mode, approval, submit]);
  return form;
}

function allowanceButton(ban: string, invoice: InvoiceDetail, message: HTMLElement): HTMLElement {
  const key = crypto.randomUUID();
  return h('div', { class: 'actions' }, h('button', {
    'data-testid': 'allowance',
    onclick: () => act(message, () => api(`/sellers/${ban}/invoices/${invoice.number}/allowances`, { method: 'POST', idempotencyKey: key, body: { whole: true } }), ban, invoice.number),
  }, '全額折讓 Whole allowance (G0401)'));
}

async function act(message: HTMLElement, call: () => Promise<unknown>, ban: string, number: string): Promise<void> {
  message.textContent = '送出中… Sending…';
  try {
    await call();
    message.textContent = '已送出 Done';
    await openDetail(ban, number, JSON.parse(document.body.dataset.session ?? 'null'));
  } catch (error) {
    message.textContent = error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
  }
}
