-- Reports from any channel (issue 15): where each report came from, messages from SMS and
-- messenger gateways that wait in the coordinators' inbox, and who asked for no more replies.
-- docs/CHANNELS.md.

-- Where a report came from. Public: the channel says nothing about the person. Reports made
-- before this migration are counted as 'web' (Open311 ones included: nothing recorded them).
ALTER TABLE reports
  ADD COLUMN source text NOT NULL DEFAULT 'web'
    CHECK (source IN ('web', 'open311', 'sms', 'telegram', 'import', 'staff')),
  -- An imported record's identity in its origin ("<format>:<id>"), so that importing the same
  -- file again adds nothing. Staff only.
  ADD COLUMN origin_ref text CHECK (char_length(origin_ref) <= 300);
CREATE UNIQUE INDEX reports_origin_ref_idx ON reports (origin_ref) WHERE origin_ref IS NOT NULL;

-- `SELECT *` views froze their columns when made: add source at the end and remake the rest.
CREATE OR REPLACE VIEW public_report_fields AS
SELECT r.id, r.kind, r.category, r.status, r.severity, r.passability,
       CASE WHEN r.review = 'published' THEN r.people_count END AS people_count,
       CASE WHEN r.review = 'published'
            THEN CASE WHEN r.public_description IS NULL THEN r.description ELSE nullif(r.public_description, '') END
       END AS description,
       CASE WHEN r.kind = 'help' THEN NULL ELSE r.address END AS address,
       CASE WHEN r.kind = 'help' THEN NULL ELSE r.accuracy_m END AS accuracy_m,
       NULL::text AS contact,
       r.public_geom AS geom,
       r.public_geom,
       r.hidden,
       r.still_there_count, r.gone_count, r.created_at, r.updated_at,
       NULL::bigint AS assigned_team_id,
       NULL::bigint AS assigned_user_id,
       CASE WHEN r.duplicate_of IS NOT NULL
             AND EXISTS (SELECT 1 FROM reports d
                          WHERE d.id = r.duplicate_of AND d.kind = r.kind
                            AND NOT d.hidden AND d.status <> 'rejected'
                            AND (r.kind <> 'help' OR ST_Equals(d.public_geom, r.public_geom)))
            THEN r.duplicate_of END AS duplicate_of,
       r.deployment_id, r.resolved_at, r.review,
       r.source
  FROM reports r;

CREATE OR REPLACE VIEW public_reports AS
SELECT * FROM public_report_fields WHERE NOT hidden AND status <> 'rejected';

-- A message from a gateway. `sender` is a phone number or a chat id: contact data, staff only,
-- never logged. A message that carried a place and a category became a report at once
-- (state 'filed'); any other waits in the inbox until a coordinator files it or sets it aside.
CREATE TABLE inbound_messages (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel      text NOT NULL CHECK (channel IN ('sms', 'telegram')),
  gateway      text NOT NULL CHECK (gateway ~ '^[a-z0-9_]{1,30}$'),
  -- The gateway's id for the message: a retried webhook is stored once.
  external_id  text NOT NULL CHECK (char_length(external_id) BETWEEN 1 AND 200),
  sender       text NOT NULL CHECK (char_length(sender) BETWEEN 1 AND 100),
  body         text CHECK (char_length(body) <= 4000),
  -- What the message itself told: a place without a category, or a category without a place.
  geom         geometry(Point, 4326),
  category     text REFERENCES categories (code),
  -- Words of a help request (or a help category) put a message above the others.
  urgent       boolean NOT NULL DEFAULT false,
  language     text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'de', 'fr')),
  state        text NOT NULL DEFAULT 'inbox' CHECK (state IN ('inbox', 'filed', 'spam', 'not_report')),
  report_id    bigint REFERENCES reports (id) ON DELETE SET NULL,
  handled_by   bigint REFERENCES users (id) ON DELETE SET NULL,
  handled_at   timestamptz,
  received_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (gateway, external_id),
  CHECK (state <> 'filed' OR report_id IS NOT NULL OR handled_at IS NOT NULL)
);
CREATE INDEX inbound_messages_inbox_idx ON inbound_messages (urgent DESC, received_at DESC) WHERE state = 'inbox';
CREATE INDEX inbound_messages_report_idx ON inbound_messages (report_id) WHERE report_id IS NOT NULL;
CREATE INDEX inbound_messages_sender_idx ON inbound_messages (channel, sender);

-- A message's photos, through the same pipeline as every photo (re-encoded, metadata gone);
-- never public: a filed message's photos are copied into the report's photos.
CREATE TABLE inbound_photos (
  message_id    bigint NOT NULL REFERENCES inbound_messages (id) ON DELETE CASCADE,
  position      smallint NOT NULL CHECK (position BETWEEN 0 AND 4),
  hash          text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  width         integer NOT NULL,
  height        integer NOT NULL,
  thumb_width   integer NOT NULL,
  thumb_height  integer NOT NULL,
  bytes         integer NOT NULL,
  PRIMARY KEY (message_id, position)
);
CREATE INDEX inbound_photos_hash_idx ON inbound_photos (hash);

-- Every row that keeps a photo file alive (photos.service.ts removes files none refers to).
CREATE VIEW photo_references AS
SELECT hash FROM photos UNION ALL SELECT hash FROM inbound_photos;

-- "STOP": no more replies to this sender on this channel, until they write "START".
CREATE TABLE reply_opt_outs (
  channel     text NOT NULL CHECK (channel IN ('sms', 'telegram')),
  sender      text NOT NULL CHECK (char_length(sender) BETWEEN 1 AND 100),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, sender)
);

-- A conversation with a bot that builds one report over several messages (a location, a
-- photo, a category button). Short-lived: a session untouched for a day is dropped.
CREATE TABLE chat_sessions (
  channel     text NOT NULL CHECK (channel IN ('sms', 'telegram')),
  sender      text NOT NULL CHECK (char_length(sender) BETWEEN 1 AND 100),
  state       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, sender)
);

-- The inbox is live on the dashboard like the map: its changes are events of their own.
ALTER TABLE report_events DROP CONSTRAINT report_events_type_check,
  ADD CONSTRAINT report_events_type_check CHECK (type IN ('report.created', 'report.updated', 'inbox.changed')),
  ALTER COLUMN report_id DROP NOT NULL,
  ADD COLUMN message_id bigint REFERENCES inbound_messages (id) ON DELETE CASCADE,
  ADD CONSTRAINT report_events_subject_check CHECK ((type = 'inbox.changed') = (report_id IS NULL AND message_id IS NOT NULL));

-- Words that name a category in a text message, in English, German and French, beside its
-- labels (inbound.parse.ts matches both, case- and accent-insensitive, as whole words).
ALTER TABLE categories ADD COLUMN words text[] NOT NULL DEFAULT '{}';
UPDATE categories c SET words = w.words FROM (VALUES
  ('kerb_missing', ARRAY['kerb', 'curb', 'high kerb', 'no kerb ramp', 'no curb cut', 'bordstein', 'bordsteinkante', 'hoher bordstein', 'bordure', 'trottoir haut', 'pas de bateau']),
  ('kerb_defect', ARRAY['kerb ramp', 'curb ramp', 'curb cut', 'absenkung', 'bordsteinabsenkung', 'bateau', 'rampe de trottoir']),
  ('steps', ARRAY['step', 'steps', 'stair', 'stairs', 'staircase', 'stufe', 'stufen', 'treppe', 'treppen', 'marche', 'marches', 'escalier', 'escaliers']),
  ('obstacle', ARRAY['obstacle', 'obstruction', 'blocked', 'pole', 'bollard', 'bin', 'parked car', 'scooter', 'hindernis', 'pfosten', 'poller', 'mülltonne', 'falschparker', 'versperrt', 'poteau', 'poubelle', 'voiture garée', 'trottinette', 'bloqué']),
  ('surface', ARRAY['surface', 'pothole', 'potholes', 'uneven', 'cobbles', 'cobblestones', 'gravel', 'belag', 'schlagloch', 'schlaglöcher', 'uneben', 'kopfsteinpflaster', 'pflaster', 'kies', 'revêtement', 'nid de poule', 'nids de poule', 'pavés', 'gravier']),
  ('narrow', ARRAY['narrow', 'too narrow', 'schmal', 'zu schmal', 'eng', 'étroit', 'trop étroit']),
  ('slope', ARRAY['slope', 'steep', 'incline', 'steil', 'zu steil', 'gefälle', 'steigung', 'pente', 'raide', 'trop raide']),
  ('no_sidewalk', ARRAY['no sidewalk', 'no footway', 'no pavement', 'kein gehweg', 'kein bürgersteig', 'pas de trottoir']),
  ('crossing', ARRAY['crossing', 'crosswalk', 'zebra', 'übergang', 'zebrastreifen', 'überweg', 'passage piéton', 'passage pour piétons', 'traversée']),
  ('signal', ARRAY['traffic light', 'traffic lights', 'signal', 'ampel', 'fußgängerampel', 'feu', 'feu rouge', 'feux']),
  ('entrance', ARRAY['entrance', 'door', 'doorway', 'eingang', 'tür', 'zugang', 'entrée', 'porte']),
  ('toilet', ARRAY['toilet', 'toilets', 'wc', 'restroom', 'toilette', 'toiletten', 'klo', 'toilettes']),
  ('lift', ARRAY['lift', 'elevator', 'aufzug', 'fahrstuhl', 'ascenseur']),
  ('parking', ARRAY['parking', 'disabled parking', 'blue badge', 'parkplatz', 'behindertenparkplatz', 'stationnement', 'place handicapé']),
  ('works', ARRAY['works', 'roadworks', 'construction', 'building site', 'baustelle', 'bauarbeiten', 'travaux', 'chantier']),
  ('other_barrier', ARRAY['barrier', 'barriere', 'barrière']),
  ('help_assist', ARRAY['assistance', 'assist', 'carer', 'caregiver', 'unterstützung', 'assistenz', 'pflege', 'aide à domicile']),
  ('help_evacuation', ARRAY['evacuate', 'evacuation', 'trapped', 'rescue', 'stuck', 'evakuieren', 'evakuierung', 'eingeschlossen', 'rettung', 'évacuer', 'évacuation', 'coincé', 'coincée', 'bloqué chez moi', 'secours']),
  ('help_medical', ARRAY['medical', 'doctor', 'injured', 'injury', 'ambulance', 'medicine', 'medication', 'insulin', 'oxygen', 'arzt', 'ärztin', 'verletzt', 'medizin', 'medikamente', 'notarzt', 'krankenwagen', 'sauerstoff', 'médecin', 'blessé', 'blessée', 'médical', 'médicaments', 'ambulance', 'oxygène']),
  ('help_equipment', ARRAY['wheelchair broken', 'broken wheelchair', 'charger', 'battery', 'rollstuhl kaputt', 'rollstuhl defekt', 'ladegerät', 'akku', 'fauteuil cassé', 'fauteuil en panne', 'chargeur', 'batterie']),
  ('help_shelter', ARRAY['shelter', 'homeless', 'nowhere to sleep', 'unterkunft', 'obdach', 'obdachlos', 'notunterkunft', 'abri', 'hébergement', 'sans abri']),
  ('help_food_water', ARRAY['food', 'water', 'hungry', 'thirsty', 'drinking water', 'essen', 'wasser', 'nahrung', 'trinkwasser', 'hunger', 'durst', 'nourriture', 'eau', 'manger', 'faim', 'soif']),
  ('help_info', ARRAY['information', 'info', 'question', 'informationen', 'auskunft', 'frage', 'renseignement', 'renseignements']),
  ('help_other', ARRAY['help', 'sos', 'emergency', 'hilfe', 'notfall', 'aide', 'au secours', 'urgence'])
) AS w(code, words)
WHERE c.code = w.code;
