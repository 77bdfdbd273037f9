// A report as an RFC 7946 Feature, with the property names of DESIGN.md: the public ones from
// the field table (reports.fields.ts), and for staff the staff-only ones. What a public row
// holds was decided by the public read model (migrations/0009_publication.sql) before it got
// here.
import { publicProperties } from './reports.fields';
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
  const properties = publicProperties(row, opts.baseUrl);
  if (opts.audience === 'staff') {
    Object.assign(properties, {
      photos: (properties.photos as object[]).map((p, i) => ({ ...p, state: row.photos[i]?.state })),
      contact: row.contact,
      priority: row.priority,
      assigned_team_id: row.assignedTeamId,
      assigned_user_id: row.assignedUserId,
      deployment_id: row.deploymentId,
      resolved_at: row.resolvedAt?.toISOString() ?? null,
      hidden: row.hidden,
      needs_attention: row.needsAttention,
      // null: the public sees the reporter's words (once published); '' : no text.
      public_description: row.publicDescription,
    });
  }
  return {
    type: 'Feature',
    id: row.id,
    geometry: { type: 'Point', coordinates: [round7(row.lon), round7(row.lat)] },
    properties,
  };
}
