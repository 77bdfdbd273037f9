-- One confirmation per device and report, and bounds per network address, so anonymous
-- "still there" / "gone" signals cannot be stuffed (docs/SECURITY.md, Confirmations).
--
-- device_hash: sha256 of the report id and the device token the citizen app keeps; the token
--   itself is never stored, and one device's rows on different reports cannot be linked.
-- address_hash: HMAC-SHA256 of the client's network address (IPv6 per /56) under the key
--   below; only for counting what one address sent.
-- Rows from before this migration have neither: they are kept and still count.
ALTER TABLE confirmations
  ADD COLUMN device_hash bytea CHECK (octet_length(device_hash) = 32),
  ADD COLUMN address_hash bytea CHECK (octet_length(address_hash) = 32),
  -- A device that changes its answer moves its row here; the hourly bound counts by it.
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

UPDATE confirmations SET updated_at = created_at;

CREATE UNIQUE INDEX confirmations_report_device_idx ON confirmations (report_id, device_hash)
  WHERE device_hash IS NOT NULL;
CREATE INDEX confirmations_address_report_idx ON confirmations (address_hash, report_id)
  WHERE address_hash IS NOT NULL;
CREATE INDEX confirmations_address_time_idx ON confirmations (address_hash, updated_at)
  WHERE address_hash IS NOT NULL;

-- The key of address_hash, made once per database so that every app process shares it.
-- 244 random bits from two v4 UUIDs (gen_random_uuid draws from the server's strong source).
INSERT INTO settings (name, value)
SELECT 'confirmation_address_key',
       encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex')
ON CONFLICT (name) DO NOTHING;
