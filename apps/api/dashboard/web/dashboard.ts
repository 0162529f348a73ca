import { Alert, ApiError, Session, Snapshot, api, can } from './api.js';
import { TAIPEI_ZONE, clock, h } from './dom.js';
import { closeDetail, openDetail } from './detail.js';
import { BOARD_PAGE, renderAlerts, renderBoard, renderChart, renderImports, renderStock } from './panels.js';
import { View } from './view.js';
import { VIEWS } from './views.js';

/**
 * Polling, not server-sent events: a poll after an API restart simply succeeds again, with no stream to re-open,
 * and each poll is one request of a few indexed queries. Faster while an import runs, so its bar moves.
 */
const POLL_MS = 3000;
const POLL_BUSY_MS = 700;
const STALE_AFTER_MS = 10_000;

let session: Session | null = null;
let lastSuccess = 0;
let timer: number | undefined;
/** Where the deadline list is paged to: its first row, counted nearest due first. */
let boardOffset = 0;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function showSignIn(message = ''): void {
  session = null;
  delete document.body.dataset.session;
  if (timer) clearTimeout(timer);
  $('board').hidden = true;
  $('nav').hidden = true;
  $('views').hidden = true;
  $('detail').hidden = true;
  $('signout').hidden = true;
  $('status').hidden = true;
  $('who').textContent = '';
  $('signin').hidden = false;
  $('signin-error').textContent = message;
  $<HTMLInputElement>('apikey').focus();
}

function showBoard(current: Session): void {
  session = current;
  document.body.dataset.session = JSON.stringify(current);
  $('signin').hidden = true;
  $('nav').hidden = false;
  $('views').hidden = false;
  $('signout').hidden = false;
  $('status').hidden = false;
  $('who').textContent = `${current.name} (${current.role})`;
  void poll();
  route();
}

/** Counts polls, so an answer overtaken by a later poll (the person paged meanwhile) is dropped. */
let pollSeq = 0;

async function poll(): Promise<void> {
  if (timer) clearTimeout(timer);
  const seq = ++pollSeq;
  let busy = false;
  try {
    const [snapshot, alerts] = await Promise.all([api<Snapshot>(`/dashboard?boardOffset=${boardOffset}&boardLimit=${BOARD_PAGE}`), loadAlerts()]);
    if (seq !== pollSeq) return;
    const onBoard = snapshot.board.counts.reduce((sum, c) => sum + c.count, 0);
    // The list got shorter than the page shown (items were accepted): show its last page instead.
    if (boardOffset > 0 && boardOffset >= onBoard) return pageBoard(Math.max(0, Math.ceil(onBoard / BOARD_PAGE) - 1) * BOARD_PAGE);
    renderBoard(snapshot.board, boardOffset, pageBoard);
    renderChart(snapshot.dueByHour);
    renderImports(snapshot.imports.imports, snapshot.reconciliations.runs, session?.temporalUi);
    renderStock(snapshot.stock);
    renderAlerts(alerts, can(session).acknowledge, acknowledge, snapshot.alertDelivery);
    busy = snapshot.imports.imports.some((run) => run.state === 'running') || snapshot.reconciliations.runs.some((run) => run.state === 'computing');
    lastSuccess = Date.now();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return showSignIn('工作階段已結束，請重新登入。Session ended; sign in again.');
  }
  showFreshness();
  timer = window.setTimeout(poll, busy ? POLL_BUSY_MS : POLL_MS);
}

/** The open and acknowledged alerts; `null` when this server has no alerts API. */
async function loadAlerts(): Promise<Alert[] | null> {
  try {
    return (await api<{ alerts: Alert[] }>('/alerts?state=open,acknowledged&limit=50')).alerts;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

function pageBoard(offset: number): Promise<void> {
  boardOffset = offset;
  return poll();
}

async function acknowledge(id: string): Promise<void> {
  try {
    await api(`/alerts/${id}/acknowledge`, { method: 'POST' });
  } finally {
    await poll();
    // The acknowledged row has moved to the other list: keep the keyboard in the open list.
    if (document.activeElement === document.body) document.querySelector<HTMLElement>('[data-testid="open-alerts"] [data-testid="acknowledge"]')?.focus();
  }
}

function showFreshness(): void {
  const status = $('status');
  const stale = Date.now() - lastSuccess > STALE_AFTER_MS;
  status.classList.toggle('stale', stale);
  status.dataset.state = stale ? 'stale' : 'fresh';
  const text = lastSuccess === 0
    ? '連線中… Connecting…'
    : stale
      ? `資料已過時 Stale: last update ${clock(new Date(lastSuccess))} ${TAIPEI_ZONE}`
      : `更新於 Updated ${clock(new Date(lastSuccess))} ${TAIPEI_ZONE}`;
  if (status.textContent !== text) status.textContent = text;
}

const OVERVIEW = { id: 'overview', label: '總覽 Overview' };
let shown: View | undefined;

/** The tabs: 總覽 Overview, then every view in `VIEWS`, each a plain link to its hash. */
function renderNav(): void {
  $('nav').replaceChildren(...[OVERVIEW, ...VIEWS].map((view) => h('a', { href: `#${view.id}`, 'data-view': view.id }, view.label)));
}

/** The element a view draws into, made once, so a view keeps its state while another one is shown. */
function rootOf(view: View): HTMLElement {
  const id = `view-${view.id}`;
  let root = document.getElementById(id);
  if (!root) {
    root = h('div', { id, class: 'view', 'data-testid': id });
    $('views').appendChild(root);
  }
  return root;
}

/**
 * `#<view>[/…][?…]` shows a view; `#invoice/<ban>/<number>` opens an invoice over whatever view is shown; anything
 * else is the overview. Only the hash says where the person is, so a reload lands on the same view.
 */
function route(): void {
  if (!session) return;
  const invoice = /^#invoice\/(\d{8})\/([A-Z]{2}\d{8})$/.exec(location.hash);
  if (invoice) {
    void openDetail(invoice[1], invoice[2], session);
    if (shown || !$('board').hidden) return;
  } else {
    closeDetail(location.hash);
  }
  const [, id = '', rest = ''] = /^#([a-z-]+)(.*)$/.exec(location.hash) ?? [];
  const view = VIEWS.find((candidate) => candidate.id === id);
  if (shown && shown !== view) shown.hide?.();
  shown = view;
  $('board').hidden = view !== undefined;
  for (const root of Array.from($('views').children) as HTMLElement[]) root.hidden = !view || root.id !== `view-${view.id}`;
  for (const link of Array.from($('nav').children)) {
    if ((link as HTMLElement).dataset.view === (view?.id ?? OVERVIEW.id)) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (view) {
    const root = rootOf(view);
    root.hidden = false;
    void view.show(root, rest, session);
  }
}

$('signin').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>('apikey');
  const apiKey = input.value.trim();
  // The key leaves the page with this one request; nothing keeps it.
  input.value = '';
  try {
    showBoard(await api<Session>('/session', { method: 'POST', body: { apiKey } }));
  } catch (error) {
    $('signin-error').textContent = error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
  }
});

$('signout').addEventListener('click', async () => {
  await api('/session', { method: 'DELETE' }).catch(() => undefined);
  showSignIn('已登出。Signed out.');
});

$('detail').addEventListener('click', (event) => {
  if (event.target === $('detail')) closeDetail();
});
window.addEventListener('hashchange', route);
// The stale banner must appear even while polls hang (API down, connection never answering).
window.setInterval(() => session && lastSuccess > 0 && showFreshness(), 1000);

renderNav();
api<Session>('/session').then(showBoard, (error) => showSignIn(error instanceof ApiError && error.status === 401 ? '' : String(error)));
