import { ApiError, Session, api, can } from './api.js';
import { bar, h, table, when } from './dom.js';
import { currentPeriod, field, sellerPeriodOf, showError } from './forms.js';
import { View } from './view.js';

interface Run {
  period: string;
  mode: 'report' | 'check';
  state: string;
  startedBy: string;
  uploadAt: string | null;
  progress: { done: number; total: number };
  draftVersion: number;
  held: boolean;
  hold: { by: string; at: string; reason: string } | null;
  released: { by: string; at: string } | null;
  approvedBy: string | null;
  reportableFrom: string;
  totals: { booklets: number; allocated: number; used: number; blank: number } | null;
  tracks: { invoiceType: string; track: string; blank: number; ranges: { begin: string; end: string }[] }[];
  violations: { code: string; message: string; numbers: string[] }[];
  upload: {
    reportedAt: string | null;
    acceptedAt: string | null;
    reports: { invoiceType: string; track: string; ranges: number; fileName: string | null; state: string; deliveredAt: string | null; outcomeAt: string | null; errorCode: string | null; errorMessage: string | null }[];
  };
  conflicts: { id: string; message: string; state: string }[];
}

interface TrackRange {
  track: string;
  invoiceType: string;
  booklets: { id: string; start: string; end: string; channel: string | null; thirdParty: string | null; used: number; left: number; blank: number }[];
}

const STATES: Record<string, string> = {
  computing: '計算中 computing', draft: '草稿，待核准 draft, waiting for approval', refused: '不一致，不上傳 mismatch, not uploaded',
  held: '暫停 held', uploading: '上傳中 uploading', sent: '已送出，待平台確認 sent, waiting for the platform', accepted: '平台已接受 accepted (C)',
  rejected: '平台退回 rejected (E)', checked: '期中檢查 checked (nothing uploaded)', nothing_to_report: '無空白號碼，免申報 nothing to report',
};
const BUSY = new Set(['computing', 'uploading', 'sent']);

let timer: number | undefined;
let shownJson = '';

const path = (ban: string, period: string) => `/sellers/${ban}/reconciliations/${period}`;

/** 對帳: one seller's period, its run and what finance does with it; everything in the service's own words. */
export const reconciliationView: View = {
  id: 'reconciliation',
  label: '對帳 Reconciliation',
  show(root, route, session) {
    if (!root.dataset.built) build(root);
    const { ban, period } = sellerPeriodOf(route);
    const banInput = root.querySelector<HTMLInputElement>('#rec-ban')!;
    const periodInput = root.querySelector<HTMLInputElement>('#rec-period')!;
    if (ban) banInput.value = ban;
    periodInput.value = period || periodInput.value || currentPeriod();
    shownJson = '';
    if (ban && period) void load(root, ban, period, session);
    else root.querySelector('#rec-run')!.replaceChildren(h('p', { class: 'muted' }, '輸入賣方統編與期別。Enter a seller BAN and a period.'));
  },
  hide() {
    if (timer) clearTimeout(timer);
  },
};

function build(root: HTMLElement): void {
  root.dataset.built = 'yes';
  const ban = h('input', { id: 'rec-ban', inputmode: 'numeric', pattern: '\\d{8}', maxlength: 8, required: true, autocomplete: 'off' });
  const period = h('input', { id: 'rec-period', inputmode: 'numeric', pattern: '\\d{5}', maxlength: 5, required: true, placeholder: '11510' });
  const form = h('form', { class: 'actions', 'data-testid': 'rec-form' },
    field('賣方統編 Seller BAN', ban), field('期別 Period (yyyMM)', period), h('button', { class: 'primary', type: 'submit' }, '開啟 Open'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#reconciliation/${ban.value.trim()}/${period.value.trim()}`;
  });
  root.replaceChildren(
    h('section', {}, h('h2', {}, '空白字軌對帳 ', h('span', {}, 'Blank-number reconciliation (E0402)')), form,
      h('div', { id: 'rec-message', 'aria-live': 'polite' }), h('div', { id: 'rec-run', 'data-testid': 'rec-run' })),
  );
}

async function load(root: HTMLElement, ban: string, period: string, session: Session): Promise<void> {
  if (timer) clearTimeout(timer);
  const target = root.querySelector<HTMLElement>('#rec-run')!;
  let run: Run | undefined;
  try {
    run = await api<Run>(path(ban, period));
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) return showError(target, error);
  }
  const json = JSON.stringify(run ?? null);
  // Rebuilt only when something changed, so a poll keeps focus and scroll where they were.
  if (json !== shownJson) {
    shownJson = json;
    const [booklets, summary] = run ? await Promise.all([loadBooklets(ban, period), can(session).finance ? salesSummary(ban, period) : null]) : [[], null];
    target.replaceChildren(...(run ? renderRun(root, ban, period, run, booklets, summary, session) : renderNoRun(root, ban, period, session)));
  }
  if (run && BUSY.has(run.state) && location.hash.startsWith(`#reconciliation/${ban}/${period}`)) {
    timer = window.setTimeout(() => void load(root, ban, period, session), 700);
  }
}

async function loadBooklets(ban: string, period: string): Promise<TrackRange[]> {
  return (await api<{ tracks: TrackRange[] }>(`/sellers/${ban}/tracks?period=${period}`)).tracks;
}

/** The 401's sales side, or the reason the tax filing cannot be had yet. */
async function salesSummary(ban: string, period: string): Promise<Record<string, unknown> | string> {
  try {
    return await api<Record<string, unknown>>(`/sellers/${ban}/periods/${period}/sales-summary`);
  } catch (error) {
    return error instanceof ApiError ? error.message : String(error);
  }
}

/** A button doing `work`; what it returns, if text, is said above the run once it is done. */
function act(root: HTMLElement, ban: string, period: string, session: Session, label: string, work: () => Promise<unknown>, props: Record<string, string> = {}) {
  const button = h('button', props, label);
  button.addEventListener('click', async () => {
    const message = root.querySelector<HTMLElement>('#rec-message')!;
    message.replaceChildren();
    button.disabled = true;
    try {
      const said = await work();
      shownJson = '';
      await load(root, ban, period, session);
      if (typeof said === 'string') message.replaceChildren(h('p', { 'data-testid': 'rec-said' }, said));
    } catch (error) {
      if (error !== CANCELLED) showError(message, error);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

const CANCELLED = Symbol('cancelled');

function renderNoRun(root: HTMLElement, ban: string, period: string, session: Session): (Node | string)[] {
  const rights = can(session);
  return [
    h('p', {}, `賣方 ${ban} 期別 ${period} 尚無對帳。No reconciliation of this period yet.`),
    rights.finance ? act(root, ban, period, session, '開始對帳 Start', () => api(`/sellers/${ban}/reconciliations`, { method: 'POST', body: { period } }), { class: 'primary', 'data-testid': 'rec-start' }) : '',
  ];
}

function renderRun(root: HTMLElement, ban: string, period: string, run: Run, booklets: TrackRange[], summary: Record<string, unknown> | string | null, session: Session): (Node | string)[] {
  const rights = can(session).finance;
  const totals = run.totals;
  const invariant = totals && run.violations.length === 0 && totals.used + totals.blank === totals.allocated;
  const blankCount = run.tracks.reduce((sum, t) => sum + t.blank, 0);
  const rangeCount = run.tracks.reduce((sum, t) => sum + t.ranges.length, 0);
  const reason = h('input', { id: 'rec-hold-reason', maxlength: 200, placeholder: '例：等待門市回報' });
  // Once the report is out there is nothing to hold or approve: a rerun compares instead.
  const open = run.upload.reportedAt === null;
  const actions = rights
    ? h('div', { class: 'actions', 'data-testid': 'rec-actions' },
        act(root, ban, period, session, '重新開始 Start again', async () => {
          const again = await api<Run>(`/sellers/${ban}/reconciliations`, { method: 'POST', body: { period } });
          if (again.mode !== run.mode) return '期別已結束，已開始申報對帳。The period has ended: a report run has started.';
          return `此期已有對帳（${again.startedBy} 開始），不另建新的；要重算請按「重新計算」。This period already has a run (started by ${again.startedBy}): it is the one shown; use Rerun to recompute.`;
        }, { 'data-testid': 'rec-start' }),
        open && run.mode === 'report' && !run.held ? field('暫停原因 Hold reason', reason) : '',
        open && run.mode === 'report' && !run.held
          ? act(root, ban, period, session, '暫停 Hold', () => api(`${path(ban, period)}/hold`, { method: 'POST', body: { reason: reason.value } }), { 'data-testid': 'rec-hold' })
          : '',
        run.held ? act(root, ban, period, session, '解除暫停 Release', () => api(`${path(ban, period)}/release`, { method: 'POST' }), { 'data-testid': 'rec-release' }) : '',
        act(root, ban, period, session, '重新計算 Rerun', () => api(`${path(ban, period)}/rerun`, { method: 'POST' }), { 'data-testid': 'rec-rerun' }),
        !open ? '' : act(root, ban, period, session, '核准上傳 Approve', async () => {
          const what = `上傳 ${run.tracks.length} 份 E0402（${rangeCount} 個空白區段，共 ${blankCount} 張）給財政部，賣方 ${ban}，期別 ${period}。\n`
            + `Upload ${run.tracks.length} E0402 (${rangeCount} blank ranges, ${blankCount} numbers) for seller ${ban}, period ${period}?`;
          if (!window.confirm(what)) throw CANCELLED;
          return api(`${path(ban, period)}/approve`, { method: 'POST' });
        }, { class: 'primary', 'data-testid': 'rec-approve' }),
      )
    : h('p', { class: 'muted', 'data-testid': 'read-only' }, '唯讀：對帳操作需要財會或管理者金鑰。Read-only: actions need a finance or admin key.');
  const files = `/api/v1${path(ban, period)}`;
  return [
    h('p', {},
      '狀態 State ', h('strong', { 'data-testid': 'rec-state', 'data-state': run.state }, STATES[run.state] ?? run.state),
      ` · ${run.mode === 'check' ? `期中檢查，不上傳；${run.reportableFrom} 起可申報 a check: reportable from ${run.reportableFrom}` : '申報 report'}`,
      ` · 開始者 started by ${run.startedBy} · 第 ${run.draftVersion} 版 draft v${run.draftVersion}`,
      run.uploadAt ? ` · 排程上傳 scheduled upload ${when(run.uploadAt)}` : ''),
    bar(run.progress.done, Math.max(run.progress.total, 1), { testid: 'rec-progress', label: `計算進度 ${run.progress.done}/${run.progress.total} booklets` }),
    run.hold ? h('p', { 'data-testid': 'rec-hold-info' }, `暫停 Held by ${run.hold.by} · ${when(run.hold.at)} · ${run.hold.reason}`) : '',
    run.released && !run.held ? h('p', { class: 'muted' }, `已解除 Released by ${run.released.by} · ${when(run.released.at)}`) : '',
    run.approvedBy ? h('p', {}, `核准 Approved by ${run.approvedBy}`) : '',
    actions,
    h('h3', {}, '總數檢查 Invariant'),
    totals
      ? h('p', { 'data-testid': 'rec-invariant', 'data-ok': String(Boolean(invariant)) },
          `配號 allocated ${totals.allocated} = 已用 used ${totals.used} + 空白 blank ${totals.blank} · ${totals.booklets} 本 booklets · `,
          h('strong', {}, invariant ? '✔ 相符 holds' : `✘ 不符 broken (${run.violations.length})`))
      : h('p', { class: 'muted' }, '計算中… Computing…'),
    run.violations.length ? table(['問題 Violation', '號碼 Numbers'], run.violations.map((v) => h('tr', {}, h('td', {}, `${v.code}: ${v.message}`), h('td', {}, v.numbers.join(', ')))), '') : '',
    h('h3', {}, '空白區段 Blank ranges'),
    h('div', { class: 'scroll' }, table(['字軌 Track', '類別 Type', '起號 From', '迄號 To', '張數 Count'],
      run.tracks.flatMap((t) => t.ranges.map((r) => h('tr', { 'data-testid': 'rec-range' }, h('td', {}, t.track), h('td', {}, t.invoiceType), h('td', {}, r.begin), h('td', {}, r.end),
        h('td', { class: 'num' }, Number(r.end.slice(2)) - Number(r.begin.slice(2)) + 1)))),
      '沒有空白號碼。No blank numbers.')),
    h('h3', {}, '各冊 Booklets'),
    h('div', { class: 'scroll' }, table(['冊 Booklet', '指派 Assigned', '已用 Used', '空白 Blank', '尚餘 Left'],
      booklets.flatMap((t) => t.booklets.map((b) => h('tr', {}, h('td', {}, `${b.start}–${b.end.slice(2)}`), h('td', {}, b.channel ?? b.thirdParty ?? '—'),
        h('td', { class: 'num' }, b.used), h('td', { class: 'num' }, b.blank), h('td', { class: 'num' }, b.left)))), '—')),
    h('h3', {}, 'E0402 上傳 Upload to the MOF (Turnkey)'),
    h('div', { class: 'scroll' }, table(['字軌 Track', '區段 Ranges', '狀態 State', '檔案 File', '送出 Sent', '結果 Outcome', ''],
      run.upload.reports.map((r) => h('tr', { 'data-testid': 'rec-report', 'data-state': r.state },
        h('td', {}, r.track), h('td', { class: 'num' }, r.ranges), h('td', {}, r.state), h('td', {}, r.fileName ?? '—'), h('td', {}, when(r.deliveredAt)),
        h('td', {}, r.errorCode ? `${r.errorCode} ${r.errorMessage ?? ''}` : when(r.outcomeAt)),
        h('td', {}, h('a', { href: `${files}/e0402.xml?track=${r.track}`, download: '', 'data-testid': `download-e0402-${r.track}` }, 'E0402 XML')))),
      '沒有 E0402。No E0402.')),
    h('p', { class: 'actions' },
      h('a', { href: `${files}/blank-numbers.csv`, download: '', 'data-testid': 'download-csv' }, '空白號碼 CSV'),
      h('a', { href: `/api/v1/sellers/${ban}/blank-numbers.xlsx?period=${period}`, download: '', 'data-testid': 'download-xlsx' }, '空白號碼 Excel (xlsx)')),
    run.conflicts.length ? h('div', { class: 'error', role: 'alert' }, ...run.conflicts.map((c) => h('p', {}, c.message))) : '',
    ...taxFiling(ban, period, summary),
  ];
}

/** The period's media file and sales summary (admin and finance), or why they cannot be had yet. */
function taxFiling(ban: string, period: string, summary: Record<string, unknown> | string | null): Node[] {
  if (summary === null) return [];
  const base = `/api/v1/sellers/${ban}/periods/${period}`;
  return [
    h('h3', {}, '營業稅申報 Tax filing (401)'),
    typeof summary === 'string'
      ? h('p', { class: 'muted', 'data-testid': 'tax-filing-refused' }, summary)
      : h('div', { 'data-testid': 'tax-filing' },
          h('pre', { class: 'scroll' }, JSON.stringify(summary.totals ?? summary, null, 2)),
          h('p', { class: 'actions' },
            h('a', { href: `${base}/media-file`, download: '', 'data-testid': 'download-media-file' }, `媒體申報檔 ${ban}.TXT`),
            h('a', { href: `${base}/sales-summary.xlsx`, download: '', 'data-testid': 'download-sales-summary' }, '銷項彙總 Sales summary (xlsx)'))),
  ];
}
