/** DOM helpers for the dashboard: every text goes through textContent, never markup. */
type Child = Node | string | number | null | undefined | false;
type Props = Record<string, string | number | boolean | ((event: Event) => void) | undefined>;

/** The listeners h() attached, so update() can hand an element kept in place the new element's listeners. */
const listeners = new WeakMap<Element, Map<string, (event: Event) => void>>();

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') {
      const type = name.replace(/^on/, '');
      element.addEventListener(type, value);
      listeners.set(element, (listeners.get(element) ?? new Map()).set(type, value));
    } else if (name === 'class') element.className = String(value);
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

/** Every time on the page is Taipei's; headings and the status line say so with this. */
export const TAIPEI_ZONE = '台北時間 UTC+8';

const taipei = new Intl.DateTimeFormat('zh-TW', { timeZone: 'Asia/Taipei', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
const taipeiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Taipei', year: 'numeric', month: '2-digit', day: '2-digit' });
const taipeiTime = new Intl.DateTimeFormat('zh-TW', { timeZone: 'Asia/Taipei', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const taipeiHour = new Intl.DateTimeFormat('zh-TW', { timeZone: 'Asia/Taipei', hour: '2-digit', hour12: false });

export const when = (iso: string | null | undefined) => (iso ? taipei.format(new Date(iso)) : '—');
export const clock = (date: Date) => taipeiTime.format(date);
export const hourOf = (date: Date) => taipeiHour.format(date);
/** `yyyy-MM-dd`, the Taipei date of an instant: what an `<input type="date">` holds. */
export const dayOf = (date: Date) => taipeiDay.format(date);

const numbers = new Intl.NumberFormat('zh-TW');
export const num = (value: number) => numbers.format(value);

/**
 * Patches the children of `target` (an element or its id) to `children` in place, instead of replacing them: an
 * element that is still there stays the same element, so keyboard focus, scroll positions and what a person typed
 * survive a poll, and a poll that changed nothing changes nothing in the DOM. Children with a `data-key` are matched
 * by it (a row that moved is moved), the others by position and tag.
 */
export function update(target: string | Element, ...children: Child[]): void {
  const parent = typeof target === 'string' ? document.getElementById(target)! : target;
  const fresh = document.createElement('div');
  append(fresh, children);
  patchChildren(parent, Array.from(fresh.childNodes));
}

const keyOf = (node: Node) => (node instanceof Element ? node.getAttribute('data-key') : null);
const sameKind = (a: Node, b: Node) => a.nodeType === b.nodeType && a.nodeName === b.nodeName && keyOf(a) === keyOf(b);

function patchChildren(parent: Node, next: Node[]): void {
  const keyed = new Map<string, ChildNode>();
  for (const child of Array.from(parent.childNodes)) {
    const key = keyOf(child);
    if (key !== null) keyed.set(key, child);
  }
  let cursor: ChildNode | null = parent.firstChild;
  for (const node of next) {
    const key = keyOf(node);
    const match = key !== null ? keyed.get(key) : cursor && keyOf(cursor) === null && sameKind(cursor, node) ? cursor : undefined;
    if (match && sameKind(match, node)) {
      if (key !== null) keyed.delete(key);
      patchNode(match, node);
      if (match === cursor) cursor = cursor.nextSibling;
      else parent.insertBefore(match, cursor);
    } else {
      parent.insertBefore(node, cursor);
    }
  }
  while (cursor) {
    const following: ChildNode | null = cursor.nextSibling;
    parent.removeChild(cursor);
    cursor = following;
  }
}

function patchNode(old: ChildNode, next: Node): void {
  if (!(old instanceof Element) || !(next instanceof Element)) {
    if (old.nodeValue !== next.nodeValue) old.nodeValue = next.nodeValue;
    return;
  }
  for (const attribute of Array.from(old.attributes)) if (!next.hasAttribute(attribute.name)) old.removeAttribute(attribute.name);
  for (const attribute of Array.from(next.attributes)) if (old.getAttribute(attribute.name) !== attribute.value) old.setAttribute(attribute.name, attribute.value);
  for (const [type, listener] of listeners.get(old) ?? []) old.removeEventListener(type, listener);
  const handlers = listeners.get(next);
  if (handlers) for (const [type, listener] of handlers) old.addEventListener(type, listener);
  if (handlers) listeners.set(old, handlers);
  else listeners.delete(old);
  patchChildren(old, Array.from(next.childNodes));
}

/** A link to a workflow in the Temporal UI (`base` from the session), or nothing when no UI is configured. */
export function workflowLink(base: string | null | undefined, workflowId: string, text = 'Temporal UI'): HTMLElement | '' {
  if (!base) return '';
  const href = `${base}?query=${encodeURIComponent(`WorkflowId="${workflowId}"`)}`;
  return h('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'workflow-link', 'data-testid': 'workflow-link', title: `workflow ${workflowId}` }, text);
}

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
