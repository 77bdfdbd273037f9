-- A statement budget the embedded database can keep (issue 14's attack). PGlite has no
-- statement_timeout (nothing cancels a statement on its one connection), and a 2 KB CQL2
-- filter (70 LIKEs joined by OR, or ACCENTI over every description) ran 1–4 s there at 100k
-- reports while /healthz and citizens' reports waited. A filtered read checks on each row
-- whether its statement has run longer than its budget and, once it has, stops with this
-- error: query_canceled, as PostgreSQL's own statement_timeout, so it answers 503 the same way.
CREATE OR REPLACE FUNCTION wf_read_budget_spent() RETURNS boolean
  LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION 'the read''s statement budget is spent' USING ERRCODE = 'query_canceled';
END
$$;
