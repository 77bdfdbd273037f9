-- PostGIS lives in public so that every schema (tests use one per file) shares it.
CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;
