import { ApiError } from './api.js';
import { h } from './dom.js';

/** A labelled input: the label names it for screen readers and for tests (getByLabel). */
export function field(label: string, input: HTMLInputElement | HTMLSelectElement): HTMLElement {
  input.id ||= `f-${Math.random().toString(36).slice(2, 10)}`;
  return h('span', { class: 'field' }, h('label', { for: input.id }, label), input);
}

/** A multipart upload of one file as field `file`, answered as JSON like `api()`. */
export async function upload<T>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  const response = await fetch(`/api/v1${path}`, { method: 'POST', body: form, credentials: 'same-origin', headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body.code ?? `HTTP.${response.status}`, body.message ?? response.statusText, body.details ?? []);
  return body as T;
}

/** A refusal in the service's own words, with the rows or fields it names. */
export function showError(target: HTMLElement, error: unknown): void {
  if (!(error instanceof ApiError)) {
    target.replaceChildren(h('p', { class: 'error', role: 'alert' }, String(error)));
    return;
  }
  const details = error.details.length
    ? h('ul', { 'data-testid': 'error-details' }, ...error.details.slice(0, 50).map((d) =>
        h('li', {}, [d.row !== undefined ? `第 ${d.row} 列 row ${d.row}` : '', d.column ?? '', d.field ?? ''].filter(Boolean).join(' · '), d.row !== undefined || d.column || d.field ? ': ' : '', d.message)))
    : '';
  target.replaceChildren(h('div', { class: 'error', role: 'alert', 'data-testid': 'error' }, h('p', {}, `${error.message} (${error.code})`), details));
}

/** Seller and period read from a view's hash: `#<view>/<ban>/<period>`. */
export function sellerPeriodOf(route: string): { ban: string; period: string } {
  const [, ban = '', period = ''] = /^\/?(\d{8})?\/?(\d{5})?/.exec(route) ?? [];
  return { ban, period };
}

/** The running period in ROC `yyyMM` (its even month), Taipei time: what the views open on. */
export function currentPeriod(): string {
  const taipei = new Date(Date.now() + 8 * 3600_000);
  const month = taipei.getUTCMonth() + 1;
  return `${taipei.getUTCFullYear() - 1911}${String(month + (month % 2)).padStart(2, '0')}`;
}
