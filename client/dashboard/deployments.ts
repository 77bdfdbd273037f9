/**
 * Deployments: find hotspots of open reports in the map view, choose an area (a hotspot, a
 * drawn polygon, or the map view itself), create a deployment for a team — the server assigns
 * the open reports inside — and list the deployments so far.
 */
import { announce } from '../lib/announce';
import { h, replaceChildren } from '../lib/dom';
import { errorText, type Deployment, type HotspotCollection, type Polygon } from '../lib/staff-api';
import { createDraw } from './draw';
import type { DashboardMap } from './map';
import { polygonBounds, showArea, showHotspots } from './overlays';
import { middleOf, placePhrase } from './place-name';
import { teamName, type Ctx } from './state';
import { t } from './strings';

function numberField(
  id: string,
  label: string,
  value: number,
  min: number,
  max: number,
): [HTMLElement, HTMLInputElement] {
  const input = h('input', { id, class: 'input input--short', type: 'number', min, max, step: 1, value });
  return [
    h('div', { class: 'filters__field' }, h('label', { class: 'label label--small', for: id }, label), input),
    input,
  ];
}

export function createDeployments(ctx: Ctx, dmap: DashboardMap) {
  const [distanceField, distance] = numberField('hotspot-distance', t.distanceLabel, 200, 10, 5000);
  const [minField, minReports] = numberField('hotspot-min', t.minReportsLabel, 5, 2, 1000);
  const find = h('button', { type: 'submit', class: 'button button--small' }, t.findHotspots);
  const hotspotStatus = h('p', { class: 'hint', role: 'status' });
  const hotspotList = h('ul', { class: 'hotspots' });

  const name = h('input', { id: 'deployment-name', class: 'input', type: 'text', maxlength: 200, autocomplete: 'off' });
  const team = h('select', { id: 'deployment-team', class: 'input' });
  const areaText = h('p', { id: 'deployment-area', class: 'area-text' }, t.noArea);
  const drawStatus = h('p', { class: 'draw-status', role: 'status' });
  const drawButton = h('button', { type: 'button', class: 'button button--small' }, t.drawArea);
  const viewButton = h('button', { type: 'button', class: 'button button--small' }, t.useView);
  const createError = h('p', { class: 'form-error', role: 'alert' });
  const create = h('button', { type: 'submit', class: 'button button--primary button--small' }, t.createSubmit);
  const listBody = h('tbody');
  const listEmpty = h('p', { class: 'hint' });
  let area: Polygon | null = null;

  function fillTeams(): void {
    replaceChildren(
      team,
      h('option', { value: '' }, t.noTeam),
      ctx.teams.map((tm) => h('option', { value: String(tm.id) }, tm.name)),
    );
  }
  fillTeams();

  function chooseArea(polygon: Polygon | null, text: string): void {
    area = polygon;
    areaText.textContent = polygon ? text : t.noArea;
    showArea(dmap.map, polygon);
    if (polygon) announce(text);
  }

  const draw = createDraw(dmap.map, drawStatus, (polygon) => {
    dmap.suspendClicks(false);
    drawButton.setAttribute('aria-pressed', 'false');
    if (polygon) chooseArea(polygon, t.areaDrawn((polygon.coordinates[0]?.length ?? 1) - 1));
    drawButton.focus();
  });
  drawButton.setAttribute('aria-pressed', 'false');
  drawButton.addEventListener('click', () => {
    if (draw.active()) return draw.cancel();
    dmap.suspendClicks(true);
    drawButton.setAttribute('aria-pressed', 'true');
    draw.start();
    announce(t.drawing);
  });
  viewButton.addEventListener('click', () => chooseArea(dmap.viewPolygon(), t.areaFromView));

  /** Hotspot lists replaced while their names were still being looked up stop naming. */
  let naming = 0;

  /**
   * Names each hotspot's place as the cluster list does (place-name.ts): the street its
   * reports' addresses share, else a deployment area, else its middle. One read per hotspot,
   * one after the other, so a long list does not flood the server; the count comes first.
   */
  async function namePlaces(fc: HotspotCollection, places: HTMLElement[]): Promise<void> {
    const run = ++naming;
    const areas = await ctx.api.deployments().catch(() => [] as Deployment[]);
    for (const [i, f] of fc.features.entries()) {
      const [[w, s], [e, n]] = polygonBounds(f.geometry);
      const page = await ctx.api.queue({ bbox: `${w},${s},${e},${n}`, limit: 50, sort: 'priority' }).catch(() => null);
      if (run !== naming) return;
      if (!page) continue;
      places[i]!.textContent =
        ` ${placePhrase(page.features, middleOf(page.features, [(w + e) / 2, (s + n) / 2]), areas)}`;
    }
  }

  function renderHotspots(fc: HotspotCollection): void {
    showHotspots(dmap.map, fc);
    const places = fc.features.map(() => h('span', { class: 'hotspots__place' }));
    hotspotStatus.textContent = t.hotspotsFound(fc.features.length);
    hotspotList.replaceChildren(
      ...fc.features.map((f, i) => {
        const p = f.properties;
        const show = h('button', { type: 'button', class: 'button button--small' }, t.showHotspot);
        const use = h('button', { type: 'button', class: 'button button--small' }, t.useHotspot);
        show.addEventListener('click', () =>
          dmap.map.fitBounds(polygonBounds(f.geometry), { padding: 60, maxZoom: 17 }),
        );
        use.addEventListener('click', () => chooseArea(f.geometry, t.areaFromHotspot(p.count)));
        return h(
          'li',
          {},
          h('span', { class: `sev sev--${p.max_severity}` }, String(p.max_severity)),
          h(
            'span',
            { class: 'hotspots__text' },
            t.hotspotItem(p.count, Math.round(p.weight * 10) / 10, p.max_severity),
            places[i],
          ),
          show,
          use,
        );
      }),
    );
    void namePlaces(fc, places);
  }

  const hotspotForm = h(
    'form',
    { class: 'panel-block', 'aria-labelledby': 'hotspots-heading' },
    h('h3', { id: 'hotspots-heading' }, t.hotspotsHeading),
    h('div', { class: 'filters' }, distanceField, minField),
    find,
    hotspotStatus,
    hotspotList,
  );
  hotspotForm.addEventListener('submit', (e) => {
    e.preventDefault();
    hotspotStatus.textContent = t.loading;
    ctx.api
      .hotspots(dmap.bbox(), Number(distance.value) || 200, Number(minReports.value) || 5)
      .then(renderHotspots)
      .catch((err: unknown) => (hotspotStatus.textContent = errorText(err, t.queueFailed)));
  });

  const createForm = h(
    'form',
    { class: 'panel-block', 'aria-labelledby': 'create-heading', novalidate: true },
    h('h3', { id: 'create-heading' }, t.createHeading),
    h('label', { class: 'label label--small', for: 'deployment-name' }, t.nameLabel),
    name,
    h('label', { class: 'label label--small', for: 'deployment-team' }, t.teamLabel),
    team,
    h('p', { class: 'label label--small', id: 'area-label' }, t.areaLabel),
    areaText,
    h('div', { class: 'button-row' }, viewButton, drawButton),
    drawStatus,
    createError,
    create,
  );
  createForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const problem = !name.value.trim()
      ? [t.needName, name]
      : !team.value
        ? [t.needTeam, team]
        : !area
          ? [t.needArea, viewButton]
          : null;
    if (problem) {
      createError.textContent = problem[0] as string;
      (problem[1] as HTMLElement).focus();
      return;
    }
    createError.textContent = '';
    create.disabled = true;
    ctx.api
      .addDeployment({ name: name.value.trim(), team_id: Number(team.value), area: area! })
      .then(async (d) => {
        announce(t.deploymentCreated(d.name, d.assigned ?? 0));
        createError.textContent = '';
        name.value = '';
        chooseArea(null, '');
        await loadList();
        dmap.refresh();
      })
      .catch((err: unknown) => (createError.textContent = errorText(err, t.saveFailed)))
      .finally(() => (create.disabled = false));
  });

  function row(d: Deployment): HTMLElement {
    const show = h('button', { type: 'button', class: 'button button--small' }, t.showArea);
    show.addEventListener('click', () => {
      showArea(dmap.map, d.area);
      dmap.map.fitBounds(polygonBounds(d.area), { padding: 60, maxZoom: 17 });
    });
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, d.name),
      h('td', {}, teamName(ctx, d.team_id) ?? t.none),
      h('td', {}, t.deploymentStatus(d.status)),
      h('td', { class: 'num' }, `${d.open_count ?? '–'} / ${d.report_count ?? '–'}`),
      h('td', {}, d.created_at ? t.date(d.created_at) : t.none),
      h('td', {}, show),
    );
  }

  async function loadList(): Promise<void> {
    try {
      const list = await ctx.api.deployments();
      listBody.replaceChildren(...list.map(row));
      listEmpty.textContent = list.length ? '' : t.noDeployments;
    } catch (err) {
      listEmpty.textContent = errorText(err, t.queueFailed);
    }
  }

  const el = h(
    'section',
    { class: 'deployments', 'aria-labelledby': 'deployments-heading' },
    h('div', { class: 'panel-head' }, h('h2', { id: 'deployments-heading' }, t.deploymentsHeading)),
    h(
      'div',
      { class: 'deployments__scroll' },
      createForm,
      hotspotForm,
      h(
        'section',
        { class: 'panel-block', 'aria-labelledby': 'dlist-heading' },
        h('h3', { id: 'dlist-heading' }, t.listHeading),
        h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { class: 'data-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                [t.colName, t.colTeam, t.colStatus, t.colOpen, t.colCreated].map((c) => h('th', { scope: 'col' }, c)),
                h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t.colActions)),
              ),
            ),
            listBody,
          ),
        ),
        listEmpty,
      ),
    ),
  );

  return {
    el,
    async enter() {
      fillTeams();
      await loadList();
    },
    leave() {
      naming++;
      draw.cancel();
      showHotspots(dmap.map, null);
      showArea(dmap.map, null);
    },
  };
}
