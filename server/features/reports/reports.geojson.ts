// A report as an RFC 7946 Feature, with the property names of DESIGN.md. What a public row
// holds was decided by the public read model (migrations/0009_publication.sql) before it got
// here; this only names the fields, and adds the staff-only ones for staff.
import type { Audience, ReportRow } from './reports.repo';

export interface ReportFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: Record<string, unknown>;
}

/** 7 decimals ≈ 1 cm: the precision a phone can claim and no more. */
const round7 = (n: number) => Math.round(n * 1e7) / 1e7;

export function toFeature(row: ReportRow, opts: { baseUrl: string; audience: Audience }): ReportFeature {
  const properties: Record<string, unknown> = {
    category: row.category,
    kind: row.kind,
    status: row.status,
    severity: row.severity,
    passability: row.passability,
    people_count: row.peopleCount,
    description: row.description,
    address: row.address,
    accuracy_m: row.accuracyM,
    confirmations: { still_there: row.stillThere, gone: row.gone },
    photos: row.photos.map((p) => ({
      url: `${opts.baseUrl}/photos/${p.hash}.jpg`,
      thumbnail_url: `${opts.baseUrl}/photos/${p.hash}.thumb.jpg`,
      width: p.width,
      height: p.height,
      ...(opts.audience === 'staff' ? { state: p.state } : {}),
    })),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    url: `${opts.baseUrl}/reports/${row.id}`,
    // Set when staff marked this a duplicate: the public page points to the original.
    duplicate_of: row.duplicateOf,
    // pending: a person has yet to look at its words and photos, which are withheld till then.
    review: row.review,
  };
  if (row.distanceM !== undefined) properties.distance_m = Math.round(row.distanceM);
  if (opts.audience === 'staff') {
    Object.assign(properties, {
      contact: row.contact,
      priority: row.priority,
      assigned_team_id: row.assignedTeamId,
      assigned_user_id: row.assignedUserId,
      deployment_id: row.deploymentId,
      resolved_at: row.resolvedAt?.toISOString() ?? null,
      hidden: row.hidden,
    });
  }
  return {
    type: 'Feature',
    id: row.id,
    geometry: { type: 'Point', coordinates: [round7(row.lon), round7(row.lat)] },
    properties,
  };
}
