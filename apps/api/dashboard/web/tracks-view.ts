import { Session, api, can } from './api.js';
import { bar, h, table } from './dom.js';
import { currentPeriod, field, sellerPeriodOf, showError } from './forms.js';
import { View } from './view.js';

interface Booklet {
  id: string;
  start: string;
  end: string;
  channel: string | null;
  thirdParty: string | null;
  blankStart: string | null;
  used: number;
  left: number;
  blank: number;
}

interface TrackRange {
  id: string;
  periodRange: string;
  invoiceType: string;
  track: string;
  start: string;
  end: string;
  used: number;
  left: number;
  blank: number;
  booklets: Booklet[];
}

/** 字軌: a seller's booklets of a period, who issues from each, how far each is used; finance assigns them. */
export const tracksView: View = {
  id: 'tracks',
  label: '字軌 Tracks',
  show(root, route, session) {
    if (!root.dataset.built) build(root);
    const { ban, period } = sellerPeriodOf(route);
    const banInput = root.querySelector<HTMLInputElement>('#trk-ban')!;
    const periodInput = root.querySelector<HTMLInputElement>('#trk-period')!;
    if (ban) banInput.value = ban;
    periodInput.value = period || periodInput.value || currentPeriod();
    if (ban) void load(root, ban, periodInput.value, session);
  },
};

function build(root: HTMLElement): void {
  root.dataset.built = 'yes';
  const ban = h('input', { id: 'trk-ban', inputmode: 'numeric', pattern: '\\d{8}', maxlength: 8, required: true, autocomplete: 'off' });
  const period = h('input', { id: 'trk-period', inputmode: 'numeric', pattern: '\\d{5}', maxlength: 5, required: true });
  const form = h('form', { class: 'actions' }, field('賣方統編 Seller BAN', ban), field('期別 Period (yyyMM)', period), h('button', { class: 'primary', type: 'submit' }, '查看 Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#tracks/${ban.value.trim()}/${period.value.trim()}`;
  });
  root.replaceChildren(h('section', {}, h('h2', {}, '字軌 ', h('span', {}, 'Tracks and booklets')), form,
    h('div', { id: 'trk-message', 'aria-live': 'polite' }), h('div', { id: 'trk-list', 'data-testid': 'trk-list' })));
}

async function load(root: HTMLElement, ban: string, period: string, session: Session): Promise<void> {
  const list = root.querySelector<HTMLElement>('#trk-list')!;
  const message = root.querySelector<HTMLElement>('#trk-message')!;
  let tracks: TrackRange[];
  try {
    tracks = (await api<{ tracks: TrackRange[] }>(`/sellers/${ban}/tracks?period=${period}`)).tracks;
  } catch (error) {
    return showError(list, error);
  }
  const rights = can(session).finance;
  const act = async (work: () => Promise<unknown>) => {
    message.replaceChildren();
    try {
      await work();
      await load(root, ban, period, session);
    } catch (error) {
      showError(message, error);
    }
  };
  list.replaceChildren(
    ...(tracks.length === 0 ? [h('p', { class: 'muted' }, '這一期沒有字軌。No tracks in this period.')] : []),
    ...tracks.map((range) =>
      h('div', { 'data-testid': 'trk-range' },
        h('h3', {}, `${range.track} ${range.start}–${range.end} · ${range.periodRange} · 類別 ${range.invoiceType} · 已用 used ${range.used} · 尚餘 left ${range.left}`),
        h('div', { class: 'scroll' }, table(['冊 Booklet', '指派 Assigned', '使用 Usage', '空白起號 Blank start', ...(rights ? ['操作 Actions'] : [])],
          range.booklets.map((b) => bookletRow(ban, b, rights, act)), '—')))),
  );
}

function bookletRow(ban: string, b: Booklet, rights: boolean, act: (work: () => Promise<unknown>) => Promise<void>): HTMLTableRowElement {
  const cells = [
    h('td', {}, `${b.start}–${b.end.slice(2)}`),
    h('td', {}, b.channel ? `通路 ${b.channel}` : b.thirdParty ? `第三方 ${b.thirdParty}` : '共用 pool'),
    h('td', {}, bar(b.used, 50, { label: `${b.start} 已用 ${b.used}/50`, testid: 'trk-usage' }), ` ${b.used}/50`),
    h('td', {}, b.blankStart ?? '—'),
  ];
  if (rights) {
    const assign = h('input', { maxlength: 100, placeholder: 'web / MOMO' });
    const kind = h('select', {}, h('option', { value: 'channel' }, '通路 channel'), h('option', { value: 'third' }, '第三方 third party'), h('option', { value: 'pool' }, '共用 pool'));
    const blank = h('input', { maxlength: 10, placeholder: b.start });
    cells.push(h('td', {}, h('span', { class: 'actions' },
      field(`指派 ${b.start} to`, kind), field('名稱 Name', assign),
      h('button', { 'data-testid': 'trk-assign', onclick: () => void act(() => api(`/sellers/${ban}/booklets/${b.id}`, {
        method: 'PATCH', body: kind.value === 'channel' ? { channelCode: assign.value.trim() } : kind.value === 'third' ? { thirdParty: assign.value.trim() } : {},
      })) }, '指派 Assign'),
      b.thirdParty ? field('空白起號 Blank start', blank) : '',
      b.thirdParty ? h('button', { 'data-testid': 'trk-blank-start', onclick: () => void act(() => api(`/sellers/${ban}/booklets/${b.id}/blank-start`, { method: 'PUT', body: { blankStart: blank.value.trim() } })) }, '設定 Set') : '')));
  }
  return h('tr', { 'data-testid': 'trk-booklet', 'data-start': b.start }, ...cells);
}
