-- Foreign keys and filters that scans made slow at a million reports:
-- deleting a report checks duplicate_of (a full scan without this index, ≈ 160 ms a row);
-- exports, OGC datetime and Open311 start_date/end_date filter on created_at.
CREATE INDEX reports_duplicate_of_idx ON reports (duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX reports_created_at_idx ON reports (created_at);
