// A report as an RFC 7946 Feature, with the property names of DESIGN.md.
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
  // A help request's address or accuracy would undo the coarse public point.
  const exactDetails = opts.audience === 'staff' || row.kind !== 'help';
  const properties: Record<string, unknown> = {
    category: row.category,
    kind: row.kind,
    status: row.status,
    severity: row.severity,
    passability: row.passability,
    people_count: row.peopleCount,
    description: row.description,
    address: exactDetails ? row.address : null,
    accuracy_m: exactDetails ? row.accuracyM : null,
    confirmations: { still_there: row.stillThere, gone: row.gone },
    photos: row.photos.map((p) => ({
      url: `${opts.baseUrl}/photos/${p.hash}.jpg`,
      thumbnail_url: `${opts.baseUrl}/photos/${p.hash}.thumb.jpg`,
      width: p.width,
      height: p.height,
    })),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    url: `${opts.baseUrl}/reports/${row.id}`,
    // Set when staff marked this a duplicate: the public page points to the original.
    duplicate_of: row.duplicateOf,
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
    });
  }
  return {
    type: 'Feature',
    id: row.id,
    geometry: { type: 'Point', coordinates: [round7(row.lon), round7(row.lat)] },
    properties,
  };
}
