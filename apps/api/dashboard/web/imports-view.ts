import { Session, api, can } from './api.js';
import { bar, h, table } from './dom.js';
import { field, sellerPeriodOf, showError, upload } from './forms.js';
import { View } from './view.js';

interface Preview {
  id: string;
  rowsRead: number;
  rowsImportable: number;
  orders: number;
  errors: { row: number; column: string; code: string; message: string }[];
}

interface ImportRun {
  id: string;
  state: string;
  total: number;
  issued: number;
  failed: number;
  pending: number;
}

let timer: number | undefined;

/** 匯入: the MOF number file and order workbooks, each refused whole with its row errors or taken whole. */
export const importsView: View = {
  id: 'imports',
  label: '匯入 Imports',
  show(root, route, session) {
    if (!root.dataset.built) build(root, session);
    const { ban } = sellerPeriodOf(route);
    if (ban) root.querySelector<HTMLInputElement>('#imp-ban')!.value = ban;
  },
  hide() {
    if (timer) clearTimeout(timer);
  },
};

function build(root: HTMLElement, session: Session): void {
  root.dataset.built = 'yes';
  const ban = h('input', { id: 'imp-ban', inputmode: 'numeric', pattern: '\\d{8}', maxlength: 8, autocomplete: 'off' });
  ban.addEventListener('change', () => history.replaceState(null, '', `#imports/${ban.value.trim()}`));
  const sellerOf = () => ban.value.trim();
  if (!can(session).imports) {
    root.replaceChildren(h('section', {}, h('h2', {}, '匯入 Imports'), h('p', { class: 'muted', 'data-testid': 'read-only' }, '唯讀：匯入需要財會或管理者金鑰。Read-only: imports need a finance or admin key.')));
    return;
  }
  const trackFile = h('input', { type: 'file', id: 'imp-track-file', accept: '.csv,.txt,text/csv' });
  const trackResult = h('div', { 'data-testid': 'track-result', 'aria-live': 'polite' });
  const trackForm = h('form', { class: 'actions' }, field('字軌檔 MOF number file (Big5 or UTF-8)', trackFile), h('button', { class: 'primary', type: 'submit', 'data-testid': 'track-upload' }, '匯入字軌 Import'));
  trackForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = trackFile.files?.[0];
    if (!file) return showError(trackResult, '請選擇檔案。Choose a file.');
    try {
      const made = await upload<{ ranges: number; booklets: number }>(`/sellers/${sellerOf()}/tracks/import`, file);
      trackResult.replaceChildren(h('p', { 'data-testid': 'track-made' }, `已匯入 ${made.ranges} 段字軌、${made.booklets} 本。Imported ${made.ranges} track ranges, ${made.booklets} booklets.`),
        h('a', { href: `#tracks/${sellerOf()}` }, '查看字軌 See the tracks'));
    } catch (error) {
      showError(trackResult, error);
    }
  });

  const workbook = h('input', { type: 'file', id: 'imp-workbook', accept: '.xlsx' });
  const preview = h('div', { 'data-testid': 'import-preview', 'aria-live': 'polite' });
  const workbookForm = h('form', { class: 'actions' }, field('訂單活頁簿 Order workbook (.xlsx)', workbook), h('button', { class: 'primary', type: 'submit', 'data-testid': 'workbook-upload' }, '預覽 Preview'));
  workbookForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = workbook.files?.[0];
    if (!file) return showError(preview, '請選擇檔案。Choose a file.');
    // The previous file's preview goes at once: its confirm button must not be clicked for the file now being read.
    preview.replaceChildren(h('p', { class: 'muted', 'data-testid': 'preview-reading' }, `讀取 ${file.name} 中… Reading ${file.name}…`));
    try {
      showPreview(preview, await upload<Preview>(`/sellers/${sellerOf()}/imports`, file));
    } catch (error) {
      showError(preview, error);
    }
  });

  root.replaceChildren(
    h('section', {}, h('h2', {}, '匯入 ', h('span', {}, 'Imports')), h('div', { class: 'actions' }, field('賣方統編 Seller BAN', ban))),
    h('section', {}, h('h3', {}, '財政部字軌檔 MOF number file'), trackForm, trackResult),
    h('section', {}, h('h3', {}, '訂單匯入 Order workbook'),
      h('p', {}, h('a', { href: '/api/v1/templates/orders.xlsx', download: '', 'data-testid': 'download-template' }, '下載範本 Download the template')), workbookForm, preview),
  );
}

function showPreview(target: HTMLElement, result: Preview): void {
  const confirm = h('button', { class: 'primary', 'data-testid': 'import-confirm', disabled: result.rowsImportable === 0 }, `確認開立 ${result.orders} 張 Confirm ${result.orders} invoices`);
  const progress = h('div', { 'data-testid': 'import-progress' });
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    try {
      await api(`/imports/${result.id}/confirm`, { method: 'POST' });
      await watch(progress, result.id);
    } catch (error) {
      showError(progress, error);
    }
  });
  target.replaceChildren(
    h('p', { 'data-testid': 'preview-counts' }, `讀取 ${result.rowsRead} 列，可匯入 ${result.rowsImportable} 列，${result.orders} 張發票，${result.errors.length} 個錯誤。`
      + `Read ${result.rowsRead} rows, ${result.rowsImportable} importable, ${result.orders} invoices, ${result.errors.length} errors.`),
    result.errors.length
      ? h('div', { class: 'scroll' }, table(['列 Row', '欄 Column', '錯誤 Error'], result.errors.map((e) =>
          h('tr', { class: 'row-error', 'data-testid': 'preview-error', 'data-row': e.row }, h('td', { class: 'num' }, e.row), h('td', {}, e.column), h('td', {}, `${e.message} (${e.code})`))), ''))
      : '',
    confirm,
    progress,
  );
}

async function watch(target: HTMLElement, id: string): Promise<void> {
  if (timer) clearTimeout(timer);
  const run = await api<ImportRun>(`/imports/${id}`);
  target.replaceChildren(
    h('p', {}, `狀態 ${run.state} · 已開立 issued ${run.issued} / ${run.total} · 失敗 failed ${run.failed}`),
    bar(run.issued, Math.max(run.total, 1), { testid: 'import-bar', label: `已開立 ${run.issued}/${run.total}`, failed: run.failed }),
    run.state !== 'done'
      ? ''
      : h('a', { href: `/api/v1/imports/${id}/result.xlsx`, download: '', 'data-testid': 'download-result' }, '下載結果 Download the result workbook'),
  );
  if (run.state !== 'done') timer = window.setTimeout(() => watch(target, id).catch((error) => showError(target, error)), 700);
}
