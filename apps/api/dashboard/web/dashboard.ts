import { Alert, ApiError, Session, Snapshot, api, can } from './api.js';
import { clock, h } from './dom.js';
import { closeDetail, openDetail } from './detail.js';
import { renderAlerts, renderBoard, renderChart, renderImports, renderStock } from './panels.js';
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

async function poll(): Promise<void> {
  if (timer) clearTimeout(timer);
  let busy = false;
  try {
    const [snapshot, alerts] = await Promise.all([api<Snapshot>('/dashboard'), loadAlerts()]);
    renderBoard(snapshot.board);
    renderChart(snapshot.dueByHour);
    renderImports(snapshot.imports.imports, snapshot.reconciliations.runs);
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

async function acknowledge(id: string): Promise<void> {
  try {
    await api(`/alerts/${id}/acknowledge`, { method: 'POST' });
  } finally {
    void poll();
  }
}

function showFreshness(): void {
  const status = $('status');
  const stale = Date.now() - lastSuccess > STALE_AFTER_MS;
  status.classList.toggle('stale', stale);
  status.dataset.state = stale ? 'stale' : 'fresh';
  status.textContent = lastSuccess === 0
    ? '連線中… Connecting…'
    : stale
      ? `資料已過時 Stale: last update ${clock(new Date(lastSuccess))}`
      : `更新於 Updated ${clock(new Date(lastSuccess))}`;
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
