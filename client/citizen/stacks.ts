/**
 * Several reports at one spot: markers that would cover each other on screen (a help
 * request's public point is a grid cell's centre; barriers at one crossing lie metres apart)
 * are drawn as one badge with a count, whose popup lists them to choose from.
 */
import L from 'leaflet';
import type { Category, ReportFeature } from '../lib/api';
import { lonLat } from '../lib/basemap';
import { categoryLabel } from '../lib/categories';
import { categoryIcon } from '../lib/category-icons';
import { h } from '../lib/dom';
import { t } from '../lib/strings';

/** Closer than this on screen and two markers (36 px badges) would hide each other. */
const OVERLAP_PX = 24;

/** Groups features by spot at the map's current zoom; order within a group is kept. */
export function groupBySpot(map: L.Map, features: ReportFeature[]): ReportFeature[][] {
  const groups: { x: number; y: number; members: ReportFeature[] }[] = [];
  for (const f of features) {
    const pt = map.latLngToLayerPoint(lonLat(f));
    const near = groups.find((g) => Math.hypot(g.x - pt.x, g.y - pt.y) < OVERLAP_PX);
    if (near) near.members.push(f);
    else groups.push({ x: pt.x, y: pt.y, members: [f] });
  }
  return groups.map((g) => g.members);
}

function stackPopup(members: ReportFeature[], cats: Map<string, Category>): HTMLElement {
  return h(
    'div',
    { class: 'popup popup--stack' },
    h('p', { class: 'popup__title' }, t.stackTitle(members.length)),
    h('p', {}, t.stackChoose),
    h(
      'ul',
      { class: 'stack-list' },
      members.map((f) => {
        const p = f.properties;
        const cat = cats.get(p.category);
        return h(
          'li',
          {},
          h(
            'a',
            { href: `/reports/${f.id}`, class: `stack-list__link stack-list__link--sev${p.severity}` },
            h('span', { class: 'stack-list__icon', 'aria-hidden': 'true' }, categoryIcon(cat, p.category, 20)),
            h(
              'span',
              {},
              h('strong', {}, categoryLabel(cat, p.category)),
              h(
                'span',
                { class: 'stack-list__facts' },
                `${t.severityShort(p.kind, p.severity)} · ${t.status(p.status)}`,
              ),
            ),
          ),
        );
      }),
    ),
  );
}

export function stackMarker(members: ReportFeature[], cats: Map<string, Category>): L.Marker {
  const first = members[0]!;
  const worst = Math.max(...members.map((f) => f.properties.severity));
  const icon = L.divIcon({
    className: `report-marker report-marker--target report-marker--stack report-marker--${first.properties.kind} report-marker--sev${worst}`,
    html: h(
      'span',
      { class: 'report-marker__stack', 'aria-hidden': 'true' },
      categoryIcon(cats.get(first.properties.category), first.properties.category, 20),
      h('span', { class: 'report-marker__count' }, String(members.length)),
    ),
    iconSize: [44, 44],
    iconAnchor: [22, 22],
    popupAnchor: [0, -18],
  });
  const marker = L.marker(lonLat(first), { icon, title: t.stackTitle(members.length), keyboard: true });
  marker.bindPopup(() => stackPopup(members, cats), { maxHeight: 320 });
  // The list is the point of the popup: keyboard users land on its first report, and go back
  // to the badge when it closes.
  marker.on('popupopen', (e: L.PopupEvent) => {
    e.popup.getElement()?.querySelector<HTMLElement>('.stack-list__link')?.focus();
  });
  marker.on('popupclose', () => {
    const el = marker.getElement();
    if (el && document.activeElement === document.body) el.focus();
  });
  marker.on('add', () => {
    marker.getElement()?.addEventListener('keydown', (e) => {
      if (e.key === ' ') {
        e.preventDefault();
        marker.openPopup();
      }
    });
  });
  return marker;
}
