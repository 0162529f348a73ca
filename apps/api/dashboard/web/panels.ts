import { Alert, Snapshot } from './api.js';
import { BUCKET_LABELS, TAIPEI_ZONE, badge, bar, h, hourOf, num, relative, svg, table, update, when, workflowLink } from './dom.js';

/**
 * Every panel is patched in place (update), never rebuilt: a poll that changed nothing touches nothing, and the
 * element a person has focused (an acknowledge button, a page button) stays the same element.
 */
const BUCKETS = Object.keys(BUCKET_LABELS);
/** The deadline list shows this many rows a page, nearest due first; the counts per seller and channel cover all. */
export const BOARD_PAGE = 20;
const TYPE_LABELS: Record<string, string> = { '07': '發票 F0401', '08': '發票 F0401', F0501: '作廢 F0501', G0401: '折讓 G0401', G0501: '折讓作廢 G0501' };

export function renderBoard(board: Snapshot['board'], offset: number, page: (offset: number) => void): void {
  const groups = new Map<string, { seller: string; channel: string | null; counts: Record<string, number> }>();
  for (const row of board.counts) {
    const key = `${row.sellerBan} ${row.channel ?? ''}`;
    const group = groups.get(key) ?? { seller: `${row.sellerBan} ${row.sellerName}`, channel: row.channel, counts: {} };
    group.counts[row.bucket] = row.count;
    groups.set(key, group);
  }
  update(
    'deadline-counts',
    table(
      ['賣方 Seller', '通路 Channel', ...BUCKETS.map((b): [string, string] => [BUCKET_LABELS[b], 'num'])],
      [...groups.entries()].map(([key, g]) =>
        h('tr', { 'data-testid': 'count-row', 'data-key': key }, h('td', {}, g.seller), h('td', {}, g.channel ?? '—'), ...BUCKETS.map((b) => h('td', { class: 'num' }, g.counts[b] ?? 0))),
      ),
      '目前沒有需要處理的期限。Nothing needs attention.',
    ),
  );
  const now = Date.now();
  const total = board.counts.reduce((sum, c) => sum + c.count, 0);
  const shown = board.items.slice(0, BOARD_PAGE);
  const first = shown.length > 0 ? offset + 1 : 0;
  const last = offset + shown.length;
  const focused = document.activeElement;
  update(
    'deadline-items',
    total > BOARD_PAGE
      ? h(
          'div',
          { class: 'pager', 'data-testid': 'board-pager' },
          h('button', { type: 'button', 'data-testid': 'board-previous', disabled: offset === 0, onclick: () => page(Math.max(0, offset - BOARD_PAGE)) }, '‹ 較近 Nearer'),
          h('span', { 'aria-live': 'polite', 'data-testid': 'board-range' }, `第 ${first}–${last} 筆，共 ${total} 筆 (${first}–${last} of ${total}, nearest due first)`),
          h('button', { type: 'button', 'data-testid': 'board-next', disabled: last >= total, onclick: () => page(offset + BOARD_PAGE) }, '較遠 Later ›'),
        )
      : '',
    table(
      ['號碼 Number', `到期 Due (${TAIPEI_ZONE})`, '狀態 State', '法定期限 Legal limit', '賣方 Seller', '通路 Channel', '類型 Type', '平台錯誤 Platform error'],
      shown.map((item) =>
        h(
          'tr',
          {
            'data-testid': 'board-row', 'data-number': item.invoiceNumber, 'data-bucket': item.bucket,
            'data-key': `${item.kind}:${item.messageType}:${item.invoiceNumber}:${item.allowanceNumber ?? ''}`,
          },
          h('td', {}, h('a', { href: `#invoice/${item.sellerBan}/${item.invoiceNumber}`, 'data-testid': 'invoice-link' }, item.invoiceNumber), item.allowanceNumber ? ` / ${item.allowanceNumber}` : ''),
          h('td', { class: 'wrap', 'data-testid': 'board-due' }, when(item.dueAt), h('br'), h('span', { class: 'muted' }, relative(item.dueAt, now))),
          h('td', {}, badge(item.bucket)),
          h('td', {}, when(item.legalDueAt)),
          h('td', {}, item.sellerBan),
          h('td', {}, item.channel ?? '—'),
          h('td', {}, TYPE_LABELS[item.messageType] ?? item.messageType),
          h('td', {}, item.errorCode ? `${item.errorCode} ${item.errorMessage ?? ''}` : ''),
        ),
      ),
      '',
    ),
  );
  keepFocusInPager(focused, 'board-pager');
}

/** A page button that got disabled under the keyboard (the first or last page reached) hands focus to the other one. */
export function keepFocusInPager(focused: Element | null, pager: string): void {
  if (focused instanceof HTMLButtonElement && focused.disabled && focused.closest(`[data-testid="${pager}"]`)) {
    document.querySelector<HTMLElement>(`[data-testid="${pager}"] button:not([disabled])`)?.focus();
  }
}

/** One bar per hour (this hour and the next 48) drawn as SVG: no chart library for one bar chart. */
export function renderChart(due: Snapshot['dueByHour']): void {
  const width = 480;
  const height = 150;
  const top = 14;
  const bottom = 20;
  const max = Math.max(1, ...due.counts);
  const slot = width / due.counts.length;
  const from = new Date(due.from).getTime();
  const bars = due.counts.map((count, i) => {
    const barHeight = ((height - top - bottom) * count) / max;
    const start = new Date(from + i * 3600_000);
    return svg(
      'rect',
      { x: i * slot + 1, y: height - bottom - barHeight, width: slot - 2, height: barHeight, fill: i < 8 ? '#a65800' : '#1f5fbf', 'data-testid': 'due-bar', 'data-count': count },
      svg('title', {}, `${hourOf(start)} 時 (${TAIPEI_ZONE})：${count} 筆到期 (${count} due)`),
    );
  });
  const labels = due.counts.flatMap((_, i) =>
    i % 6 === 0 ? [svg('text', { x: i * slot + 1, y: height - 6 }, `${hourOf(new Date(from + i * 3600_000))}時`)] : [],
  );
  const total = due.counts.reduce((a, b) => a + b, 0);
  update(
    'chart',
    svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': `${total} uploads due in the next ${due.counts.length} hours` },
      svg('text', { x: 0, y: 10 }, `最高 max ${max}/h · 共 total ${total}`),
      svg('line', { x1: 0, x2: width, y1: height - bottom, y2: height - bottom, stroke: '#dde1e8' }),
      ...bars, ...labels),
  );
}

const RUN_STATES: Record<string, string> = {
  computing: '計算中 computing', draft: '草稿 draft', refused: '不一致 mismatch', held: '暫停 held', uploading: '上傳中 uploading',
  sent: '已送出 sent', accepted: '已接受 accepted', rejected: '被退回 rejected', checked: '已檢查 checked',
  nothing_to_report: '無空白 nothing to report',
};

const IMPORT_STATES: Record<string, string> = { running: '執行中 running', done: '完成 done' };

export function renderImports(imports: Snapshot['imports']['imports'], runs: Snapshot['reconciliations']['runs'], temporalUi: string | null | undefined): void {
  update(
    'imports',
    h('h3', {}, '匯入批次 Import batches (執行中與 24 小時內完成 running and finished in the last 24 h)'),
    table(
      ['賣方 Seller', '檔案 File', '進度 Progress', ['開立/總數 Issued', 'num'], ['失敗 Failed', 'num'], '結果 Result', '流程 Workflow'],
      imports.map((run) =>
        h(
          'tr',
          { 'data-testid': 'import-row', 'data-id': run.id, 'data-state': run.state, 'data-key': run.id },
          h('td', {}, run.sellerBan),
          h('td', {}, run.fileName ?? '—'),
          h('td', {}, bar(run.issued, run.total, { testid: 'import-progress', label: `import ${run.fileName ?? run.id}`, failed: run.failed })),
          h('td', { class: 'num' }, `${num(run.issued)} / ${num(run.total)}`),
          h('td', { class: 'num' }, num(run.failed)),
          h('td', {}, run.state === 'done'
            ? h('a', { href: `/api/v1/imports/${run.id}/result.xlsx`, 'data-testid': 'import-result' }, `完成 done ${when(run.finishedAt)} · 結果 result .xlsx`)
            : (IMPORT_STATES[run.state] ?? run.state)),
          h('td', {}, workflowLink(temporalUi, run.workflowId)),
        ),
      ),
      '沒有執行中的匯入。No import running or finished in the last 24 h.',
    ),
    h('h3', {}, '空白字軌對帳 Reconciliation runs'),
    table(
      ['賣方 Seller', '期別 Period', '進度 Progress', '狀態 State', ['不一致 Mismatches', 'num'], `更新 Updated (${TAIPEI_ZONE})`, '流程 Workflow'],
      runs.map((run) =>
        h(
          'tr',
          { 'data-testid': 'reconciliation-row', 'data-state': run.state, 'data-key': `${run.sellerBan}:${run.period}:${run.mode}` },
          h('td', {}, run.sellerBan),
          h('td', {}, `${run.period}${run.mode === 'check' ? ' (期中檢查 check)' : ''}`),
          h('td', {}, bar(run.progress.done, run.progress.total, { testid: 'reconciliation-progress', label: `reconciliation ${run.sellerBan} ${run.period}` })),
          h('td', {}, RUN_STATES[run.state] ?? run.state, run.heldBy ? ` · ${run.heldBy}` : ''),
          h('td', { class: 'num' }, run.violations),
          h('td', {}, when(run.updatedAt)),
          h('td', {}, workflowLink(temporalUi, run.workflowId)),
        ),
      ),
      '過去 24 小時沒有對帳。No reconciliation run in the last 24 h.',
    ),
  );
}

export function renderStock(stock: Snapshot['stock']): void {
  const lowChannels = stock.channels.filter((c) => c.low);
  update(
    'stock',
    h('p', { class: 'muted' }, `期別 Period ${stock.periodRange} · 低於 ${stock.threshold} 號警示 (warn below ${stock.threshold})`),
    ...lowChannels.map((c) =>
      h('p', { 'data-testid': 'low-stock', 'data-key': `low:${c.sellerBan}:${c.channel ?? ''}` }, badge('low', '庫存不足 Low stock'), ` ${c.sellerBan} ${c.channel ?? '未分配 pool'}: 剩 ${c.left} 號 (${c.left} left)`),
    ),
    table(
      ['賣方 Seller', '字軌 Track', '通路 Channel', '用量 Usage', ['已用 Used', 'num'], ['剩餘 Left', 'num']],
      stock.rows.map((row) => {
        const channel = stock.channels.find((c) => c.sellerBan === row.sellerBan && c.channel === row.channel);
        const low = !row.thirdParty && channel?.low === true;
        return h(
          'tr',
          { 'data-testid': 'stock-row', 'data-key': `${row.sellerBan}:${row.track}:${row.invoiceType}:${row.channel ?? ''}:${row.thirdParty ?? ''}` },
          h('td', {}, row.sellerBan),
          h('td', {}, row.track),
          h('td', {}, row.thirdParty ? `第三方 ${row.thirdParty}` : (row.channel ?? '未分配 pool')),
          h('td', {}, bar(row.used, row.total, { label: `${row.track} ${row.channel ?? ''}`, low })),
          h('td', { class: 'num' }, `${row.used} / ${row.total}`),
          h('td', { class: 'num' }, row.left),
        );
      }),
      '本期沒有字軌。No tracks imported for this period.',
    ),
  );
}

const TARGETS: Record<string, string> = { email: '電子郵件 E-mail', webhook: 'Webhook' };
const DELIVERY_STATES: Record<string, string> = { pending: '重試中 retrying', delivered: '已送達 delivered', failed: '失敗 failed' };

/** Where notices go and how the last one fared: staff must see a webhook that keeps failing. */
function deliveryLine(delivery: Snapshot['alertDelivery']): HTMLElement {
  if (delivery.targets.length === 0) return h('p', { class: 'muted', 'data-testid': 'alert-delivery' }, '未設定通知（僅看板）。No e-mail or webhook configured: alerts show here only.');
  return h(
    'p',
    { class: 'muted', 'data-testid': 'alert-delivery' },
    ...delivery.targets.map((target) => {
      const last = delivery.last.find((d) => d.target === target);
      const text = last
        ? `${TARGETS[target]}: ${DELIVERY_STATES[last.state] ?? last.state} · ${last.lastResult ?? '—'} · ${when(last.lastAttemptAt)} · ${last.attempts} 次 attempts${last.nextAttemptAt ? ` · 下次 next ${when(last.nextAttemptAt)}` : ''}`
        : `${TARGETS[target]}: 尚未傳送 nothing sent yet`;
      return h('span', { 'data-target': target, 'data-state': last?.state ?? 'none', style: 'display:block' }, text);
    }),
  );
}

export function renderAlerts(alerts: Alert[] | null, canAcknowledge: boolean, acknowledge: (id: string) => void, delivery: Snapshot['alertDelivery']): void {
  if (alerts === null) {
    update('alerts', h('div', { class: 'empty' }, '警示服務尚未提供。Alerts are not available on this server.'));
    return;
  }
  const rows = (list: Alert[]) =>
    list.map((alert) =>
      h(
        'tr',
        { 'data-testid': 'alert-row', 'data-id': alert.id, 'data-state': alert.state, 'data-kind': alert.kind, 'data-key': alert.id },
        h('td', {}, badge(alert.severity === 'critical' ? 'overdue' : 'due_soon', alert.severity)),
        h('td', {}, when(alert.lastSeenAt), alert.occurrences > 1 ? ` ×${alert.occurrences}` : ''),
        h('td', {}, alert.kind),
        h('td', {}, alert.seller ?? '—'),
        h('td', { style: 'white-space:normal' }, alert.message, alert.acknowledgedBy ? h('div', { class: 'muted' }, `已確認 acknowledged by ${alert.acknowledgedBy}`) : ''),
        h('td', {}, alert.state === 'open' && canAcknowledge ? h('button', { type: 'button', 'data-testid': 'acknowledge', 'aria-label': `確認 Acknowledge ${alert.kind} ${alert.seller ?? ''}`, onclick: () => acknowledge(alert.id) }, '確認 Acknowledge') : ''),
      ),
    );
  const headers = ['嚴重度 Severity', `最近 Last seen (${TAIPEI_ZONE})`, '種類 Kind', '賣方 Seller', '內容 Message', ''];
  update(
    'alerts',
    deliveryLine(delivery),
    h('div', { 'data-testid': 'open-alerts' }, table(headers, rows(alerts.filter((a) => a.state === 'open')), '沒有未處理的警示。No open alerts.')),
    h('h3', {}, '已確認，待解除 Acknowledged, cause not yet gone'),
    h('div', { 'data-testid': 'acknowledged-alerts' }, table(headers, rows(alerts.filter((a) => a.state === 'acknowledged')), '—')),
  );
}
