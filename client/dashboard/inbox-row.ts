/**
 * How an inbox message reads: a row of the list (urgent said in words, channel, time, the words,
 * photo thumbnails, what was understood, the sender) and the opened message's details. The
 * sender is contact data: shown to the coordinator here, never put in a URL or the title.
 */
import { h } from '../lib/dom';
import type { InboxMessage } from './inbox-api';
import { is } from './inbox-strings';
import { labelOf, type Ctx } from './state';
import { t } from './strings';

function understood(ctx: Ctx, m: InboxMessage): string {
  const s = is();
  return [m.place ? s.placeKnown : s.placeMissing, m.category ? labelOf(ctx, m.category) : s.categoryMissing].join(
    ', ',
  );
}

function thumbs(m: InboxMessage, big: boolean): HTMLElement | null {
  const s = is();
  if (!m.photos.length) return null;
  const img = (src: string, i: number) => h('img', { src, alt: s.photoAlt(i + 1), loading: 'lazy' });
  return h(
    'ul',
    { class: big ? 'inbox__photos inbox__photos--big' : 'inbox__photos' },
    m.photos.map((p, i) =>
      h(
        'li',
        {},
        // The full photo opens in a tab of its own; in the list a thumbnail is enough.
        big
          ? h('a', { href: p.url, target: '_blank', rel: 'noopener' }, img(p.thumbnail_url, i))
          : img(p.thumbnail_url, i),
      ),
    ),
  );
}

/** A row of the list; `box` is its "select to file together" checkbox. */
export function messageRow(ctx: Ctx, m: InboxMessage, box: HTMLInputElement): HTMLTableRowElement {
  const s = is();
  return h(
    'tr',
    { tabindex: -1, class: `queue__row inbox__row${m.urgent ? ' is-urgent' : ''}`, 'data-id': m.id },
    h(
      'td',
      { class: 'inbox__cell' },
      h(
        'p',
        { class: 'inbox__meta' },
        m.urgent ? h('strong', { class: 'inbox__urgent' }, `${s.urgent} · `) : null,
        h('span', { class: 'inbox__channel' }, s.channel(m.channel)),
        ' · ',
        h('time', { datetime: m.received_at, title: t.date(m.received_at) }, t.ago(m.received_at)),
        ' · ',
        h('span', { class: 'inbox__no' }, s.messageNo(m.id)),
      ),
      h('p', { class: 'inbox__words', lang: m.language ?? undefined }, m.body.trim() || s.noWords),
      thumbs(m, false),
      h('p', { class: 'inbox__facts' }, `${s.understood}: ${understood(ctx, m)}`),
      h('p', { class: 'inbox__facts' }, `${s.from}: `, h('span', { class: 'private' }, m.sender)),
    ),
    h('td', { class: 'inbox__col-select' }, h('label', { class: 'inbox__check-target' }, box)),
  );
}

/** The opened message: when, from whom, what was understood, its words and photos. */
export function messageDetails(ctx: Ctx, m: InboxMessage): HTMLElement {
  const s = is();
  const fact = (term: string, value: string | Node) => [h('dt', {}, term), h('dd', {}, value)];
  return h(
    'article',
    { class: 'inbox__message', 'aria-label': s.messageNo(m.id) },
    m.urgent ? h('p', { class: 'inbox__urgent' }, h('strong', {}, s.urgent)) : null,
    h(
      'dl',
      { class: 'facts' },
      fact(s.colMessage, `${s.channel(m.channel)} · ${t.date(m.received_at)}`),
      fact(s.from, h('span', { class: 'private' }, m.sender)),
      fact(s.understood, understood(ctx, m)),
    ),
    h(
      'blockquote',
      { class: 'inbox__words inbox__words--full', lang: m.language ?? undefined },
      m.body.trim() || s.noWords,
    ),
    thumbs(m, true),
  );
}
