/** DOM helpers for the dashboard: every text goes through textContent, never markup. */
type Child = Node | string | number | null | undefined | false;
type Props = Record<string, string | number | boolean | ((event: Event) => void) | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

const SVG = 'http://www.w3.org/2000/svg';
export function svg(tag: string, attributes: Record<string, string | number>, ...children: (Node | string)[]): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  return element;
}

export function replace(id: string, ...children: Child[]): void {
  const target = document.getElementById(id)!;
  target.replaceChildren();
  append(target, children);
}

const taipei = new Intl.DateTimeFormat('zh-TW', { timeZone: 'Asia/Taipei', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
const taipeiTime = new Intl.DateTimeFormat('zh-TW', { timeZone: 'Asia/Taipei', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const taipeiHour = new Intl.DateTimeFormat('zh-TW', { timeZone: 'Asia/Taipei', hour: '2-digit', hour12: false });

export const when = (iso: string | null | undefined) => (iso ? taipei.format(new Date(iso)) : '—');
export const clock = (date: Date) => taipeiTime.format(date);
export const hourOf = (date: Date) => taipeiHour.format(date);

/** "in 3 h" / "3 h late", from the page's clock. */
export function relative(iso: string, now = Date.now()): string {
  const minutes = Math.round((new Date(iso).getTime() - now) / 60_000);
  const text = Math.abs(minutes) < 90 ? `${Math.abs(minutes)} 分` : `${Math.round(Math.abs(minutes) / 60)} 小時`;
  return minutes >= 0 ? `${text}後` : `逾 ${text}`;
}

export const BUCKET_LABELS: Record<string, string> = {
  past_legal: '逾法定期限 Past legal limit',
  overdue: '逾期 Overdue',
  rejected: '被退回 Rejected',
  due_soon: '即將到期 Due soon',
  unconfirmed: '已送未確認 Sent, unconfirmed',
};

export const badge = (kind: string, text = BUCKET_LABELS[kind] ?? kind) => h('span', { class: `badge b-${kind}` }, text);

export function bar(value: number, max: number, props: { testid?: string; label: string; low?: boolean; failed?: number }): HTMLElement {
  const share = max > 0 ? Math.min(100, (100 * value) / max) : 0;
  const failedShare = max > 0 && props.failed ? Math.min(100 - share, (100 * props.failed) / max) : 0;
  const track = h('div', {
    class: props.low ? 'bar low' : 'bar', role: 'progressbar', 'aria-label': props.label,
    'aria-valuemin': 0, 'aria-valuemax': max, 'aria-valuenow': value, 'data-testid': props.testid,
  });
  const fill = h('div');
  fill.style.width = `${share}%`;
  track.appendChild(fill);
  if (failedShare > 0) {
    const failed = h('div', { class: 'failed' });
    failed.style.left = `${share}%`;
    failed.style.width = `${failedShare}%`;
    track.appendChild(failed);
  }
  return track;
}

export function table(headers: (string | [string, string])[], rows: HTMLTableRowElement[], empty: string): HTMLElement {
  if (rows.length === 0) return h('div', { class: 'empty' }, empty);
  const head = h('tr', {}, ...headers.map((x) => (Array.isArray(x) ? h('th', { class: x[1] }, x[0]) : h('th', {}, x))));
  return h('table', {}, h('thead', {}, head), h('tbody', {}, ...rows));
}
