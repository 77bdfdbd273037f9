-- Areas for the public statistics (/stats, issue 16): districts a coordinator imports from a
-- GeoJSON file (npm run areas:import, docs/STATS.md). Reports are counted in the area that
-- holds their public point; without any area the statistics fall back to a grid.
CREATE TABLE areas (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  -- The file's own identifier (a district number), when it has one; unique so a second import
  -- of the same file replaces rather than doubles.
  code        text CHECK (char_length(code) BETWEEN 1 AND 100),
  geom        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  imported_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX areas_geom_idx ON areas USING gist (geom);
CREATE UNIQUE INDEX areas_code_idx ON areas (code) WHERE code IS NOT NULL;
