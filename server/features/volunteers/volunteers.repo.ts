// Volunteers' SQL: invitations, the reports a volunteer may check (public read model only) and
// their checks. docs/VOLUNTEERS.md.
import type { Queryable } from '../reports/reports.repo';

export type Verdict = 'confirm' | 'recategorize' | 'flag';
export const VERDICTS: readonly Verdict[] = ['confirm', 'recategorize', 'flag'];
export type FlagReason = 'not_barrier' | 'inappropriate' | 'gone';
export const FLAG_REASONS: readonly FlagReason[] = ['not_barrier', 'inappropriate', 'gone'];

/** Which reports volunteers check: published barriers still waiting for or just past verification. */
const CHECKABLE = `r.kind = 'barrier' AND r.review = 'published' AND r.status IN ('new', 'verified')`;

// ---- invitations ---------------------------------------------------------------------------

export interface Invitation {
  id: number;
  email: string;
  createdAt: Date;
  expiresAt: Date;
}

/** A new invitation; an address's earlier open ones stop working (only the newest link does). */
export async function insertInvitation(
  db: Queryable,
  i: { email: string; tokenHash: string; invitedBy: number; days: number },
): Promise<Invitation> {
  await db.query(`DELETE FROM volunteer_invitations WHERE lower(email) = lower($1) AND accepted_at IS NULL`, [i.email]);
  const { rows } = await db.query<Invitation>(
    `INSERT INTO volunteer_invitations (email, token_hash, invited_by, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(days => $4::int))
     RETURNING id, email, created_at AS "createdAt", expires_at AS "expiresAt"`,
    [i.email, i.tokenHash, i.invitedBy, i.days],
  );
  return rows[0]!;
}

/** The open, unexpired invitation of a token; `lock`: locked until the transaction ends. */
export async function findOpenInvitation(
  db: Queryable,
  tokenHash: string,
  opts: { lock?: boolean } = {},
): Promise<Invitation | undefined> {
  const { rows } = await db.query<Invitation>(
    `SELECT id, email, created_at AS "createdAt", expires_at AS "expiresAt"
       FROM volunteer_invitations
      WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now()
        ${opts.lock ? 'FOR UPDATE' : ''}`,
    [tokenHash],
  );
  return rows[0];
}

export async function markAccepted(db: Queryable, id: number, userId: number): Promise<void> {
  await db.query(`UPDATE volunteer_invitations SET accepted_at = now(), user_id = $2 WHERE id = $1`, [id, userId]);
}

export async function listOpenInvitations(db: Queryable): Promise<Invitation[]> {
  const { rows } = await db.query<Invitation>(
    `SELECT id, email, created_at AS "createdAt", expires_at AS "expiresAt"
       FROM volunteer_invitations WHERE accepted_at IS NULL AND expires_at > now()
      ORDER BY created_at DESC LIMIT 500`,
  );
  return rows;
}

// ---- volunteers, as coordinators see them --------------------------------------------------

export interface VolunteerRow {
  id: number;
  email: string;
  name: string;
  disabled: boolean;
  checks: number;
  createdAt: Date;
}

export async function listVolunteers(db: Queryable): Promise<VolunteerRow[]> {
  const { rows } = await db.query<VolunteerRow>(
    `SELECT u.id, u.email, u.name, u.disabled, u.created_at AS "createdAt",
            (SELECT count(*)::int FROM volunteer_checks c WHERE c.user_id = u.id) AS checks
       FROM users u WHERE u.role = 'volunteer' ORDER BY lower(u.name), u.id LIMIT 2000`,
  );
  return rows;
}

export interface FlaggedRow {
  reportId: number;
  category: string;
  status: string;
  flags: number;
  lastFlagAt: Date;
}

/** Open reports volunteers flagged, newest flag first: the coordinators' to look at. */
export async function listFlagged(db: Queryable): Promise<FlaggedRow[]> {
  const { rows } = await db.query<FlaggedRow>(
    `SELECT r.id AS "reportId", r.category, r.status, count(*)::int AS flags, max(c.created_at) AS "lastFlagAt"
       FROM volunteer_checks c JOIN reports r ON r.id = c.report_id JOIN users u ON u.id = c.user_id
      WHERE c.verdict = 'flag' AND NOT u.disabled AND r.status IN ('new', 'verified', 'assigned', 'in_progress') AND NOT r.hidden
      GROUP BY r.id ORDER BY max(c.created_at) DESC LIMIT 200`,
  );
  return rows;
}

// ---- what a volunteer reads: the public read model, barriers only ---------------------------

export interface CheckableReport {
  id: number;
  category: string;
  status: string;
  description: string | null;
  address: string | null;
  lat: number;
  lon: number;
  distance_m: number;
  bearing_deg: number;
  created_at: Date;
  /** `stage`: 'report' (the barrier, before) or 'resolution' (after a fix). */
  photos: { hash: string; width: number; height: number; stage: string }[];
}

/**
 * Published barriers near a point that this volunteer has not checked and no coordinator needs
 * to look at first (needs_attention), nearest first. Reads public_reports and public_photos
 * (of reports only that flag): no contact, no exact help point (help requests are not checked
 * at all), nothing a citizen could not see on the map.
 */
export async function listCheckable(
  db: Queryable,
  q: { userId: number; lat: number; lon: number; radiusM: number; limit: number },
): Promise<CheckableReport[]> {
  const { rows } = await db.query<CheckableReport>(
    `WITH here AS (SELECT ST_SetSRID(ST_MakePoint($3, $2), 4326) AS g)
     SELECT r.id, r.category, r.status, r.description, r.address,
            ST_Y(r.geom) AS lat, ST_X(r.geom) AS lon, r.created_at,
            round(ST_Distance(r.geom::geography, here.g::geography))::int AS distance_m,
            coalesce(round(degrees(ST_Azimuth(here.g::geography, r.geom::geography)))::int, 0) AS bearing_deg,
            COALESCE((SELECT json_agg(json_build_object('hash', p.hash, 'width', p.width, 'height', p.height,
                                                        'stage', p.stage)
                                      ORDER BY p.position)
                        FROM public_photos p WHERE p.report_id = r.id), '[]') AS photos
       FROM public_reports r, here
      WHERE ${CHECKABLE}
        AND ST_DWithin(r.geom::geography, here.g::geography, $4)
        -- A report that waits for a coordinator (a citizen's "not fixed", a volunteer's flag) is
        -- a dispute, not a claim to check: it is not offered until staff changed its status.
        AND NOT EXISTS (SELECT 1 FROM reports a WHERE a.id = r.id AND a.needs_attention)
        AND NOT EXISTS (SELECT 1 FROM volunteer_checks c WHERE c.report_id = r.id AND c.user_id = $1)
      ORDER BY distance_m, r.id DESC
      LIMIT $5`,
    [q.userId, q.lat, q.lon, q.radiusM, q.limit],
  );
  return rows;
}

/**
 * A report a volunteer may check, locked (so that two volunteers' last votes are counted one
 * after the other): its status and category from reports, whether it is checkable from the
 * public read model.
 */
export async function lockCheckable(
  db: Queryable,
  id: number,
): Promise<{ id: number; status: string; category: string } | undefined> {
  const { rows } = await db.query<{ id: number; status: string; category: string }>(
    `SELECT id, status, category FROM reports WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!rows[0]) return undefined;
  const visible = await db.query(`SELECT 1 FROM public_reports r WHERE r.id = $1 AND ${CHECKABLE}`, [id]);
  return visible.rowCount ? rows[0] : undefined;
}

/**
 * The volunteer's flags in the last hour, with their row locked first so that parallel checks
 * of one volunteer count one after the other; `freesInS` is when the oldest leaves the hour.
 */
export async function lockRecentFlags(
  db: Queryable,
  userId: number,
  windowS: number,
): Promise<{ flags: number; freesInS: number }> {
  await db.query('SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
  const { rows } = await db.query<{ flags: number; frees_in_s: number | null }>(
    `SELECT count(*)::int AS flags,
            ceil(extract(epoch FROM min(created_at) + make_interval(secs => $2) - now()))::int AS frees_in_s
       FROM volunteer_checks
      WHERE user_id = $1 AND verdict = 'flag' AND created_at > now() - make_interval(secs => $2)`,
    [userId, windowS],
  );
  return { flags: rows[0]!.flags, freesInS: Math.max(1, rows[0]!.frees_in_s ?? 1) };
}

export async function insertCheck(
  db: Queryable,
  c: { reportId: number; userId: number; verdict: Verdict; category?: string; reason?: FlagReason; note?: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO volunteer_checks (report_id, user_id, verdict, category, reason, note)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (report_id, user_id) DO NOTHING`,
    [c.reportId, c.userId, c.verdict, c.category ?? null, c.reason ?? null, c.note ?? null],
  );
  return rowCount === 1;
}

export interface Tally {
  confirm: number;
  flag: number;
  /** Recategorisations per proposed category. */
  categories: Record<string, number>;
}

/** A disabled volunteer's checks no longer count (toward agreement, or as flags); they stay listed. */
export async function tally(db: Queryable, reportId: number): Promise<Tally> {
  const { rows } = await db.query<{ verdict: Verdict; category: string | null; n: number }>(
    `SELECT c.verdict, c.category, count(*)::int AS n
       FROM volunteer_checks c JOIN users u ON u.id = c.user_id
      WHERE c.report_id = $1 AND NOT u.disabled
      GROUP BY c.verdict, c.category`,
    [reportId],
  );
  const t: Tally = { confirm: 0, flag: 0, categories: {} };
  for (const r of rows) {
    if (r.verdict === 'confirm') t.confirm += r.n;
    else if (r.verdict === 'flag') t.flag += r.n;
    else if (r.category) t.categories[r.category] = r.n;
  }
  return t;
}

/** A volunteer's flag: the triage queue shows the report first until a coordinator changes its status. */
export async function markNeedsAttention(db: Queryable, reportId: number): Promise<void> {
  await db.query(`UPDATE reports SET needs_attention = true WHERE id = $1`, [reportId]);
}

/** A change the volunteers' agreement made: no one actor, the group. */
export async function insertGroupHistory(
  db: Queryable,
  h: { reportId: number; action: string; field: string; from: string; to: string },
): Promise<void> {
  await db.query(
    `INSERT INTO report_history (report_id, actor_id, actor_group, action, field, from_value, to_value)
     VALUES ($1, NULL, 'volunteers', $2, $3, $4, $5)`,
    [h.reportId, h.action, h.field, h.from, h.to],
  );
}

// ---- what staff read of the checks ---------------------------------------------------------

export interface CheckRow {
  id: number;
  verdict: Verdict;
  category: string | null;
  reason: FlagReason | null;
  note: string | null;
  volunteer: { id: number; name: string };
  created_at: Date;
}

export async function listChecks(db: Queryable, reportId: number): Promise<CheckRow[]> {
  const { rows } = await db.query<CheckRow>(
    `SELECT c.id, c.verdict, c.category, c.reason, c.note, c.created_at,
            json_build_object('id', u.id, 'name', coalesce(nullif(u.name, ''), 'Volunteer ' || u.id)) AS volunteer
       FROM volunteer_checks c JOIN users u ON u.id = c.user_id
      WHERE c.report_id = $1 ORDER BY c.id`,
    [reportId],
  );
  return rows;
}
