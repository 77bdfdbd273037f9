-- A responder's reads (server/features/triage/triage.scope.ts) find their reports by the user
-- or the team they are assigned to. The user has an index since 0005; the team gets one, so a
-- responder's map, list and live events read their own few reports, not every report's row.
CREATE INDEX reports_assigned_team_idx ON reports (assigned_team_id) WHERE assigned_team_id IS NOT NULL;
