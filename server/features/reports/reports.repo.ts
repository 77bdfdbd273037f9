// SQL only: parameterised, explicit columns, rows mapped to camelCase.
import type pg from 'pg';
import type { Kind } from '../categories/categories.repo';
import { parameters, reportFilterTerms, whereClause, type Binder, type ReportFilterTerms } from './reports.filter';
import type { Status } from './reports.schemas';

export type Queryable = pg.Pool | pg.PoolClient;
/** Which point a reader may see: the exact one (staff) or the public one (coarse for help). */
export type Audience = 'public' | 'staff';

export type Review = 'pending' | 'published';

export interface PhotoRow {
  hash: string;
  width: number;
  height: number;
  /** Staff reads only: pending, published or hidden. */
  state?: 'pending' | 'published' | 'hidden';
  /** 'report': sent with the report (before); 'resolution': staff's photo of the fix (after). */
  stage?: PhotoStage;
}

export type PhotoStage = 'report' | 'resolution';

export interface ReportRow {
  id: number;
  kind: Kind;
  category: string;
  status: Status;
  severity: number;
  passability: string | null;
  peopleCount: number | null;
  description: string | null;
  address: string | null;
  accuracyM: number | null;
  contact: string | null;
  lon: number;
  lat: number;
  stillThere: number;
  gone: number;
  photos: PhotoRow[];
  createdAt: Date;
  updatedAt: Date;
  assignedTeamId: number | null;
  assignedUserId: number | null;
  duplicateOf: number | null;
  deploymentId: number | null;
  resolvedAt: Date | null;
  /** Whether a person has published the report's words and photos (pending: withheld from the public). */
  review: Review;
  /** Off every public channel (staff took it down, or a barrier waits under pre-moderation). */
  hidden: boolean;
  /** Staff: the text the public sees when it differs from the reporter's words ('' for none). */
  publicDescription: string | null;
  /** The triage priority score (docs/TRIAGE.md). */
  priority: number;
  /** "Affects me too" from citizens' devices (migrations/0017). */
  endorsements: number;
  /** What the resolver wrote for the public; the public read model has it only while resolved. */
  resolutionNote: string | null;
  /** Staff: a citizen said the fix did not hold; shown first in the queue until triaged again. */
  needsAttention: boolean;
  /** Where it came from: web, open311, sms, telegram, import or staff (public). */
  source: ReportSource;
  distanceM?: number;
}

export const REPORT_SOURCES = ['web', 'open311', 'sms', 'telegram', 'import', 'staff'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

export interface ReportInsert {
  kind: Kind;
  category: string;
  lat: number;
  lon: number;
  accuracyM: number | null;
  description: string | null;
  severity: number;
  passability: string | null;
  peopleCount: number | null;
  address: string | null;
  contact: string | null;
  /** Help requests, and barriers under pre-moderation, wait for a person (reports.service.ts). */
  review: Review;
  /** A pre-moderated barrier stays off the map until it is published. */
  hidden: boolean;
  source: ReportSource;
  /** An imported record's identity in its origin: importing it again finds it (staff only). */
  originRef: string | null;
  /** Imports: when it was reported in its origin (not in the future); now otherwise. */
  createdAt?: Date | null;
}

export interface PhotoInsert extends PhotoRow {
  thumbWidth: number;
  thumbHeight: number;
  bytes: number;
}

/**
 * Photos as six parameters, one array a column, for `unnest($n::text[], …5 × int[])` in the
 * order hash, width, height, thumb_width, thumb_height, bytes.
 */
export const photoColumns = (
  photos: Pick<PhotoInsert, 'hash' | 'width' | 'height' | 'thumbWidth' | 'thumbHeight' | 'bytes'>[],
): [string[], ...number[][]] => [
  photos.map((p) => p.hash),
  photos.map((p) => p.width),
  photos.map((p) => p.height),
  photos.map((p) => p.thumbWidth),
  photos.map((p) => p.thumbHeight),
  photos.map((p) => p.bytes),
];

/**
 * Triage priority (docs/TRIAGE.md): severity weighs most, help requests and the people
 * affected next, then waiting time (up to 3 days) and what citizens confirmed. Confirmations
 * are anonymous, so anyone can send them: they move a report by at most half a severity step
 * either way, and "gone" never lowers a help request (a person in need is not "gone" because
 * someone says so). "Affects me too" (endorsements) is anonymous too: it shares the raising
 * half step with "still there", and only ever raises.
 */
export const PRIORITY_SQL = `round((r.severity * 10
    + CASE WHEN r.kind = 'help' THEN 10 ELSE 0 END
    + least(coalesce(r.people_count, 0), 10)
    + least(extract(epoch FROM now() - r.created_at) / 3600.0, 72) / 72 * 10
    + least(r.still_there_count + r.endorsement_count, 5)
    - CASE WHEN r.kind = 'help' THEN 0 ELSE least(r.gone_count, 5) END)::numeric, 1)::float8`;

/**
 * What a reader's SQL reads reports from, aliased `r`: the public read model
 * (migrations/0009_publication.sql: no contact, the public point as `geom`, unpublished words
 * withheld, rejected and hidden reports absent) or, for staff, the table itself. Every public
 * channel reads through here or the view directly; none reads `reports` (docs/ARCHITECTURE.md).
 */
export const reportsFrom = (audience: Audience) => (audience === 'staff' ? 'reports r' : 'public_reports r');
/** The same for photos, aliased `p`. */
export const photosFrom = (audience: Audience) => (audience === 'staff' ? 'photos p' : 'public_photos p');

export const selectReport = (audience: Audience) => `
  SELECT r.id, r.kind, r.category, r.status, r.severity, r.passability, r.people_count, r.description,
         r.address, r.accuracy_m, r.contact, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat,
         r.still_there_count, r.gone_count, r.created_at, r.updated_at,
         r.assigned_team_id, r.assigned_user_id, r.duplicate_of, r.deployment_id, r.resolved_at, r.review, r.hidden,
         r.source, r.endorsement_count, r.resolution_note, r.needs_attention,
         ${audience === 'staff' ? 'r.public_description' : 'NULL::text AS public_description'},
         ${PRIORITY_SQL} AS priority,
         COALESCE((SELECT json_agg(json_build_object('hash', p.hash, 'width', p.width, 'height', p.height, 'stage', p.stage${
           audience === 'staff' ? `, 'state', p.state` : ''
         }) ORDER BY p.position)
                     FROM ${photosFrom(audience)} WHERE p.report_id = r.id), '[]') AS photos`;

export function toReportRow(r: Record<string, unknown>): ReportRow {
  return {
    id: r.id as number,
    kind: r.kind as Kind,
    category: r.category as string,
    status: r.status as Status,
    severity: r.severity as number,
    passability: r.passability as string | null,
    peopleCount: r.people_count as number | null,
    description: r.description as string | null,
    address: r.address as string | null,
    accuracyM: r.accuracy_m as number | null,
    contact: r.contact as string | null,
    lon: r.lon as number,
    lat: r.lat as number,
    stillThere: r.still_there_count as number,
    gone: r.gone_count as number,
    photos: r.photos as PhotoRow[],
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    assignedTeamId: r.assigned_team_id as number | null,
    assignedUserId: r.assigned_user_id as number | null,
    duplicateOf: r.duplicate_of as number | null,
    deploymentId: r.deployment_id as number | null,
    resolvedAt: r.resolved_at as Date | null,
    review: r.review as Review,
    hidden: r.hidden as boolean,
    publicDescription: r.public_description as string | null,
    priority: r.priority as number,
    endorsements: r.endorsement_count as number,
    resolutionNote: r.resolution_note as string | null,
    needsAttention: r.needs_attention as boolean,
    source: r.source as ReportSource,
    ...(r.distance_m === undefined ? {} : { distanceM: r.distance_m as number }),
  };
}

/**
 * A citizen's report with its photos, its first history entry, its live event and its
 * idempotency key, in one statement: atomic on its own and one round trip. Reports without
 * photos go through insertReports (reports.batch.ts) instead, many to a statement. A key that another request stored first fails the whole statement with a
 * unique violation on `idempotency_keys_pkey` (see isIdempotencyConflict); nothing is kept.
 * Returns the new report's id; what the public sees of it is read back through the public
 * read model (findReport), never assembled here.
 */
export async function insertReport(
  db: Queryable,
  report: ReportInsert,
  photos: PhotoInsert[],
  opts: { helpGridM: number; idempotency?: { key: string; requestHash: string } },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `WITH point AS (SELECT ST_SetSRID(ST_MakePoint($4, $3), 4326) AS geom),
     report AS (
       INSERT INTO reports (kind, category, geom, public_geom, accuracy_m, description, severity, passability,
                            people_count, address, contact, review, hidden, source, origin_ref,
                            created_at)
       SELECT $1, $2, point.geom,
              CASE WHEN $1 = 'help' THEN wf_coarse_point(point.geom, $11) ELSE point.geom END,
              $5, $6, $7, $8, $9, $10, $12, $21, $22, $23, $24,
              least(coalesce($25::timestamptz, now()), now())
         FROM point
       RETURNING id, review),
     photo_rows AS (
       INSERT INTO photos (report_id, position, hash, width, height, thumb_width, thumb_height, bytes, state)
       SELECT report.id, p.ord - 1, p.hash, p.width, p.height, p.thumb_width, p.thumb_height, p.bytes, report.review
         FROM report, unnest($13::text[], $14::int[], $15::int[], $16::int[], $17::int[], $18::int[])
              WITH ORDINALITY AS p(hash, width, height, thumb_width, thumb_height, bytes, ord)),
     history AS (
       INSERT INTO report_history (report_id, actor_id, action, field, to_value)
       SELECT id, NULL, 'created', 'status', 'new' FROM report),
     event AS (INSERT INTO report_events (type, report_id) SELECT 'report.created', id FROM report),
     stored_key AS (
       INSERT INTO idempotency_keys (scope, key, request_hash, report_id)
       SELECT 'report', $19::uuid, $20, id FROM report WHERE $19::uuid IS NOT NULL)
     SELECT id FROM report`,
    [
      report.kind,
      report.category,
      report.lat,
      report.lon,
      report.accuracyM,
      report.description,
      report.severity,
      report.passability,
      report.peopleCount,
      report.address,
      opts.helpGridM,
      report.contact,
      ...photoColumns(photos),
      opts.idempotency?.key ?? null,
      opts.idempotency?.requestHash ?? null,
      report.review,
      report.hidden,
      report.source,
      report.originRef,
      report.createdAt ?? null,
    ],
  );
  return rows[0]!.id;
}

/** One report of a group commit (reports.batch.ts): no photos, received now. */
export interface BatchedReport {
  report: ReportInsert;
  helpGridM: number;
  idempotency?: { key: string; requestHash: string };
}

/**
 * Many reports without photos in one statement, each all or nothing with its history, event
 * and idempotency key, as insertReport does for one. Ids are drawn first so that a key can
 * name its report before the report is written; a key some other request holds (committed,
 * or in a transaction this one waits for) is skipped by ON CONFLICT, and so is its report:
 * that member comes back as null and takes the replay path, while the others are stored.
 * The caller keeps keys unique within one call. Returns the new id (or null) per member.
 */
export async function insertReports(db: Queryable, batch: BatchedReport[]): Promise<(number | null)[]> {
  const col = <T>(pick: (b: BatchedReport) => T) => batch.map(pick);
  const { rows } = await db.query<{ ord: number; id: number | null }>(
    `WITH input AS MATERIALIZED (
       SELECT nextval(pg_get_serial_sequence('reports', 'id')) AS id, i.*
         FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::real[], $6::text[], $7::smallint[],
                     $8::text[], $9::int[], $10::text[], $11::text[], $12::text[], $13::boolean[], $14::text[],
                     $15::int[], $16::uuid[], $17::text[])
              WITH ORDINALITY AS i(kind, category, lat, lon, accuracy_m, description, severity, passability,
                                   people_count, address, contact, review, hidden, source, grid_m, key,
                                   request_hash, ord)),
     stored_key AS (
       INSERT INTO idempotency_keys (scope, key, request_hash, report_id)
       SELECT 'report', key, request_hash, id FROM input WHERE key IS NOT NULL
       ON CONFLICT (scope, key) DO NOTHING
       RETURNING report_id),
     report AS (
       INSERT INTO reports (id, kind, category, geom, public_geom, accuracy_m, description, severity, passability,
                            people_count, address, contact, review, hidden, source)
       OVERRIDING SYSTEM VALUE
       SELECT i.id, i.kind, i.category, p.geom,
              CASE WHEN i.kind = 'help' THEN wf_coarse_point(p.geom, i.grid_m) ELSE p.geom END,
              i.accuracy_m, i.description, i.severity, i.passability, i.people_count, i.address, i.contact,
              i.review, i.hidden, i.source
         FROM input i CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326) AS geom) p
        WHERE i.key IS NULL OR i.id IN (SELECT report_id FROM stored_key)
       RETURNING id),
     history AS (
       INSERT INTO report_history (report_id, actor_id, action, field, to_value)
       SELECT id, NULL, 'created', 'status', 'new' FROM report),
     event AS (INSERT INTO report_events (type, report_id) SELECT 'report.created', id FROM report)
     SELECT i.ord::int AS ord, r.id FROM input i LEFT JOIN report r ON r.id = i.id ORDER BY i.ord`,
    [
      col((b) => b.report.kind),
      col((b) => b.report.category),
      col((b) => b.report.lat),
      col((b) => b.report.lon),
      col((b) => b.report.accuracyM),
      col((b) => b.report.description),
      col((b) => b.report.severity),
      col((b) => b.report.passability),
      col((b) => b.report.peopleCount),
      col((b) => b.report.address),
      col((b) => b.report.contact),
      col((b) => b.report.review),
      col((b) => b.report.hidden),
      col((b) => b.report.source),
      col((b) => b.helpGridM),
      col((b) => b.idempotency?.key ?? null),
      col((b) => b.idempotency?.requestHash ?? null),
    ],
  );
  return rows.map((r) => (r.id === null ? null : Number(r.id)));
}

/** The unique violation insertReport fails with when its idempotency key was taken meanwhile. */
export const isIdempotencyConflict = (err: unknown): boolean =>
  (err as { code?: string }).code === '23505' &&
  (err as { constraint?: string }).constraint === 'idempotency_keys_pkey';

/**
 * Photos added later (a responder's "fixed" photo, a citizen's "not fixed" one) wait for a
 * coordinator like any other; `stage` says whether they show the barrier or its fix.
 */
export async function insertPhotos(
  db: Queryable,
  reportId: number,
  photos: PhotoInsert[],
  firstPosition = 0,
  stage: PhotoStage = 'report',
): Promise<void> {
  if (!photos.length) return;
  await db.query(
    `INSERT INTO photos (report_id, position, hash, width, height, thumb_width, thumb_height, bytes, state, stage)
     SELECT $1, $8 + ord - 1, hash, width, height, thumb_width, thumb_height, bytes, 'pending', $9
       FROM unnest($2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[])
            WITH ORDINALITY AS p(hash, width, height, thumb_width, thumb_height, bytes, ord)`,
    [reportId, ...photoColumns(photos), firstPosition, stage],
  );
}

/** `anyStatus` also finds rejected and hidden reports (a retry of a report since rejected). */
export async function findReport(
  db: Queryable,
  id: number,
  audience: Audience,
  opts: { anyStatus?: boolean } = {},
): Promise<ReportRow | undefined> {
  // A retry sees its own report even once rejected or hidden, but only as the public may.
  const from = audience === 'public' && opts.anyStatus ? 'public_report_fields r' : reportsFrom(audience);
  const { rows } = await db.query<Record<string, unknown>>(`${selectReport(audience)} FROM ${from} WHERE r.id = $1`, [
    id,
  ]);
  return rows[0] ? toReportRow(rows[0]) : undefined;
}

/** findReport for many ids in one query (a group commit's answers); absent ids are left out. */
export async function findReportsById(
  db: Queryable,
  ids: number[],
  audience: Audience,
  opts: { anyStatus?: boolean } = {},
): Promise<Map<number, ReportRow>> {
  const from = audience === 'public' && opts.anyStatus ? 'public_report_fields r' : reportsFrom(audience);
  const { rows } = await db.query<Record<string, unknown>>(
    `${selectReport(audience)} FROM ${from} WHERE r.id = ANY($1::bigint[])`,
    [ids],
  );
  return new Map(rows.map((r) => [Number(r.id), toReportRow(r)]));
}

export interface ReportFilter extends ReportFilterTerms {
  oldestFirst?: boolean;
  limit: number;
  /** Rows skipped after the keyset (OGC API's `offset`; the caller bounds it). */
  offset?: number;
  /** A further condition on `r` (a compiled CQL2 filter), its values bound through `bind`. */
  where?: (bind: Binder) => string;
}

function filterWhere(filter: Omit<ReportFilter, 'limit'>, bind: Binder, keysetId?: string): string {
  const terms = reportFilterTerms(filter, bind, { keysetId });
  if (filter.where) terms.push(`(${filter.where(bind)})`);
  return whereClause(terms);
}

export async function listReports(db: Queryable, filter: ReportFilter, audience: Audience): Promise<ReportRow[]> {
  const params: unknown[] = [];
  const bind = parameters(params);
  // A public map area is read in id order from the (public_geom, id) GiST index, as the
  // reports nearest in id to the largest (or smallest) one (migrations/0026): ordering by id
  // itself walks the id index and tests every report's position, 67,000 of them for a city
  // viewport at ten million. One envelope only: an area across the antimeridian is two.
  // btree_gist measures the distance in float8, so the reference is 2^53, the largest whole
  // number it holds exactly: from the largest bigint, ids 1–12 were all one distance away.
  // The index holds `id + 0`, not `id`, for the reason migrations/0026 gives, so the page's
  // keyset is written on `id + 0` too: on `id` it was a filter after the scan, and page k of a
  // harvest read every report of the pages before it.
  const inArea = audience === 'public' && filter.bbox !== undefined && filter.bbox.minLon <= filter.bbox.maxLon;
  const where = filterWhere(filter, bind, inArea ? '(r.id + 0)' : undefined);
  const order = filter.oldestFirst ? 'ASC' : 'DESC';
  const idOrder = inArea ? `(r.id + 0) <-> ${filter.oldestFirst ? '0' : String(2 ** 53)}::bigint` : `r.id ${order}`;
  const limit = `LIMIT ${bind(filter.limit, 'bigint')}`;
  const offset = filter.offset ? ` OFFSET ${bind(filter.offset, 'bigint')}` : '';
  // The rows an OFFSET skips are projected all the same (photos, priority, the view's
  // duplicate check): 99,000 skipped held the embedded database 1.6 s. So the ids are found
  // first, which reads only the index and the filter's columns, and the page is built from them.
  const { rows } = await db.query<Record<string, unknown>>(
    offset || inArea
      ? `${selectReport(audience)} FROM ${reportsFrom(audience)} WHERE r.id IN (
           SELECT r.id FROM ${reportsFrom(audience)} WHERE ${where} ORDER BY ${idOrder} ${limit}${offset}
         ) ORDER BY r.id ${order}`
      : `${selectReport(audience)} FROM ${reportsFrom(audience)} WHERE ${where} ORDER BY r.id ${order} ${limit}`,
    params,
  );
  return rows.map(toReportRow);
}

/** How many reports match (OGC API's `numberMatched`). */
export async function countReports(
  db: Queryable,
  filter: Omit<ReportFilter, 'limit' | 'offset'>,
  audience: Audience,
): Promise<number> {
  const params: unknown[] = [];
  const where = filterWhere(filter, parameters(params));
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${reportsFrom(audience)} WHERE ${where}`,
    params,
  );
  return Number(rows[0]!.n);
}

/** Open reports near a point, nearest first ("already reported?"). */
export async function listNearbyOpenReports(
  db: Queryable,
  q: { lat: number; lon: number; radiusM: number; category?: string; limit: number },
): Promise<ReportRow[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `WITH here AS (SELECT ST_SetSRID(ST_MakePoint($2, $1), 4326) AS g)
     ${selectReport('public')}, ST_Distance(r.geom::geography, here.g::geography) AS distance_m
       FROM ${reportsFrom('public')}, here
      WHERE r.status IN ('new', 'verified', 'assigned', 'in_progress')
        AND ($4::text IS NULL OR r.category = $4)
        AND ST_DWithin(r.geom::geography, here.g::geography, $3)
      ORDER BY distance_m, r.id DESC
      LIMIT $5`,
    [q.lat, q.lon, q.radiusM, q.category ?? null, q.limit],
  );
  return rows.map(toReportRow);
}

export type ConfirmationType = 'still_there' | 'gone';

export interface ConfirmationCounts {
  stillThere: number;
  gone: number;
}

/** A report's counts as one confirmation sees them, with what this device and address sent before. */
export interface ConfirmationState extends ConfirmationCounts {
  /** This device's earlier confirmation of the report, if any. */
  mine: { id: number; type: ConfirmationType } | undefined;
  /** Confirmations of this report from this address. */
  fromAddress: number;
  /** Confirmations (new or changed) from this address over all reports within the window. */
  addressInWindow: number;
  /** Seconds until the oldest of those leaves the window. */
  windowFreesInS: number;
}

/** The key of confirmations.address_hash (migrations/0008), one per database. */
export async function findConfirmationAddressKey(db: Queryable): Promise<string | undefined> {
  const { rows } = await db.query<{ value: string }>(
    `SELECT value FROM settings WHERE name = 'confirmation_address_key'`,
  );
  return rows[0]?.value;
}

/**
 * Serialises one address's confirmations until the transaction ends, so that its hourly
 * bound holds exactly under concurrent requests (across reports; the report's row lock in
 * lockConfirmationState serialises one report). Always taken before that row lock.
 */
export async function lockConfirmationAddress(db: pg.PoolClient, lockKey: number): Promise<void> {
  // The two-integer form has a key space of its own; 8008 names this use.
  await db.query('SELECT pg_advisory_xact_lock(8008, $1::int)', [lockKey]);
}

/**
 * Locks the report's row (in a transaction), then reads what a confirmation decides on. Two
 * statements on purpose: under READ COMMITTED a statement that waited for the lock still reads
 * the other tables as they were when it began, and would miss what the holder just wrote.
 */
export async function lockConfirmationState(
  db: pg.PoolClient,
  q: { reportId: number; deviceHash: Buffer | null; addressHash: Buffer; windowS: number },
): Promise<ConfirmationState | undefined> {
  // Only a report the public can see takes confirmations; the lock is on the table's row.
  const locked = await db.query(
    `SELECT 1 FROM reports WHERE id = $1 AND id IN (SELECT r.id FROM ${reportsFrom('public')}) FOR UPDATE`,
    [q.reportId],
  );
  if (!locked.rowCount) return undefined;
  const { rows } = await db.query<{
    still_there_count: number;
    gone_count: number;
    mine_id: string | null;
    mine_type: ConfirmationType | null;
    from_address: number;
    address_in_window: number;
    window_frees_in_s: number | null;
  }>(
    `WITH window_rows AS (
       SELECT updated_at FROM confirmations
        WHERE address_hash = $3 AND updated_at > now() - make_interval(secs => $4))
     SELECT r.still_there_count, r.gone_count, mine.id AS mine_id, mine.type AS mine_type,
            (SELECT count(*) FROM confirmations c WHERE c.address_hash = $3 AND c.report_id = r.id)::int
              AS from_address,
            (SELECT count(*) FROM window_rows)::int AS address_in_window,
            (SELECT ceil(extract(epoch FROM min(updated_at) + make_interval(secs => $4) - now())) FROM window_rows)::int
              AS window_frees_in_s
       FROM reports r
       LEFT JOIN confirmations mine ON mine.report_id = r.id AND mine.device_hash = $2
      WHERE r.id = $1`,
    [q.reportId, q.deviceHash, q.addressHash, q.windowS],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    stillThere: row.still_there_count,
    gone: row.gone_count,
    mine: row.mine_id === null ? undefined : { id: Number(row.mine_id), type: row.mine_type! },
    fromAddress: row.from_address,
    addressInWindow: row.address_in_window,
    windowFreesInS: Math.max(1, row.window_frees_in_s ?? 1),
  };
}

/** A new confirmation and its counter, in one statement. */
export async function insertConfirmation(
  db: Queryable,
  c: { reportId: number; type: ConfirmationType; deviceHash: Buffer | null; addressHash: Buffer },
): Promise<ConfirmationCounts> {
  const counter = c.type === 'gone' ? 'gone_count' : 'still_there_count';
  const { rows } = await db.query<{ still_there_count: number; gone_count: number }>(
    `WITH added AS (
       INSERT INTO confirmations (report_id, type, device_hash, address_hash)
       VALUES ($1, $2, $3, $4)
       RETURNING report_id)
     UPDATE reports SET ${counter} = ${counter} + 1
      WHERE id = (SELECT report_id FROM added)
     RETURNING still_there_count, gone_count`,
    [c.reportId, c.type, c.deviceHash, c.addressHash],
  );
  return { stillThere: rows[0]!.still_there_count, gone: rows[0]!.gone_count };
}

/** A device's changed answer: its row and both counters move together. */
export async function changeConfirmation(
  db: Queryable,
  c: { id: number; type: ConfirmationType; addressHash: Buffer },
): Promise<ConfirmationCounts> {
  const { rows } = await db.query<{ still_there_count: number; gone_count: number }>(
    `WITH changed AS (
       UPDATE confirmations SET type = $2, address_hash = $3, updated_at = now()
        WHERE id = $1 AND type <> $2
       RETURNING report_id)
     UPDATE reports
        SET still_there_count = still_there_count + CASE WHEN $2 = 'still_there' THEN 1 ELSE -1 END,
            gone_count = gone_count + CASE WHEN $2 = 'gone' THEN 1 ELSE -1 END
      WHERE id = (SELECT report_id FROM changed)
     RETURNING still_there_count, gone_count`,
    [c.id, c.type, c.addressHash],
  );
  return { stillThere: rows[0]!.still_there_count, gone: rows[0]!.gone_count };
}

export async function findIdempotencyKey(
  db: Queryable,
  scope: string,
  key: string,
): Promise<{ reportId: number; requestHash: string } | undefined> {
  const { rows } = await db.query<{ report_id: number; request_hash: string }>(
    'SELECT report_id, request_hash FROM idempotency_keys WHERE scope = $1 AND key = $2',
    [scope, key],
  );
  const row = rows[0];
  return row ? { reportId: row.report_id, requestHash: row.request_hash } : undefined;
}

export interface HistoryEntry {
  reportId: number;
  actorId: number | null;
  action: string;
  field?: string | null;
  from?: string | null;
  to?: string | null;
}

/** The audit trail: who changed what, when, from → to. */
export async function insertHistory(db: Queryable, entries: HistoryEntry[]): Promise<void> {
  if (!entries.length) return;
  await db.query(
    `INSERT INTO report_history (report_id, actor_id, action, field, from_value, to_value)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    [
      entries.map((e) => e.reportId),
      entries.map((e) => e.actorId),
      entries.map((e) => e.action),
      entries.map((e) => e.field ?? null),
      entries.map((e) => e.from ?? null),
      entries.map((e) => e.to ?? null),
    ],
  );
}

/** Rows the live feed replays; write them in the transaction of the change. */
export async function insertEvents(
  db: Queryable,
  type: 'report.created' | 'report.updated',
  reportIds: number[],
): Promise<void> {
  if (!reportIds.length) return;
  await db.query(`INSERT INTO report_events (type, report_id) SELECT $1, unnest($2::bigint[])`, [type, reportIds]);
}

export async function findReports(db: Queryable, ids: number[], audience: Audience): Promise<ReportRow[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `${selectReport(audience)} FROM ${reportsFrom(audience)} WHERE r.id = ANY($1::bigint[])`,
    [ids],
  );
  return rows.map(toReportRow);
}
