import { Alert, ApiError, Session, Snapshot, api, can } from './api.js';
import { clock } from './dom.js';
import { closeDetail, openDetail } from './detail.js';
import { renderAlerts, renderBoard, renderChart, renderImports, renderStock } from './panels.js';

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
  $('board').hidden = false;
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

function route(): void {
  const match = /^#invoice\/(\d{8})\/([A-Z]{2}\d{8})$/.exec(location.hash);
  if (match && session) void openDetail(match[1], match[2], session);
  else closeDetail();
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

api<Session>('/session').then(showBoard, (error) => showSignIn(error instanceof ApiError && error.status === 401 ? '' : String(error)));
