-- Reference data a municipality manages in the app (docs/reference-data.md): its social map
-- and its published questionnaire templates. Devices fetch both with every sync and keep them
-- for offline use. `reference_version` rises with every change, so a device asks only whether
-- anything changed since the version it holds.

CREATE TABLE reference_version (
    municipality_id  text PRIMARY KEY REFERENCES municipality,
    version          bigint NOT NULL DEFAULT 1
);
INSERT INTO reference_version (municipality_id) SELECT id FROM municipality;

-- One partner on the social map; `fields` is shared::social_map::Partner as JSON.
CREATE TABLE partner (
    municipality_id  text NOT NULL REFERENCES municipality,
    id               text NOT NULL,
    fields           jsonb NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    name             text GENERATED ALWAYS AS (fields->>'name') STORED,
    PRIMARY KEY (municipality_id, id)
);

-- A published template version. Never changed once published: records keep the version they
-- were made with and must still display.
CREATE TABLE template (
    municipality_id  text NOT NULL REFERENCES municipality,
    kind             text NOT NULL CHECK (kind IN ('quick_scan', 'conversation')),
    version          text NOT NULL,
    body             jsonb NOT NULL,
    published_at     timestamptz NOT NULL DEFAULT now(),
    published_by     uuid REFERENCES account,
    PRIMARY KEY (municipality_id, kind, version)
);

CREATE FUNCTION template_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a published template is never changed';
END;
$$;
CREATE TRIGGER template_append_only BEFORE UPDATE ON template
    FOR EACH ROW EXECUTE FUNCTION template_is_append_only();

-- The sample social map of the fictional municipality, so a new installation has one.
INSERT INTO partner (municipality_id, id, fields) VALUES
    ('lindeveen', 'welzijn-lindeveen', '{"id": "welzijn-lindeveen", "name": "Welzijn Lindeveen", "kind": "Welzijnsorganisatie", "description": "Ouderenadvies, maatschappelijk werk, ontmoeting en activiteiten in de buurthuizen.", "life_domains": ["social_network", "daytime", "practical", "mental_health"], "phone": "0341 200 100", "email": "info@welzijnlindeveen.example", "address": "Marktplein 4, Lindeveen", "opening_hours": "ma-vr 9.00-17.00"}'::jsonb),
    ('lindeveen', 'mee-clientondersteuning', '{"id": "mee-clientondersteuning", "name": "MEE Cliëntondersteuning", "kind": "Onafhankelijke cliëntondersteuning", "description": "Gratis en onafhankelijke hulp bij het gesprek met de gemeente, het persoonlijk plan en de aanvraag.", "life_domains": ["practical", "family", "mental_health", "daytime"], "phone": "0341 200 200", "email": "lindeveen@mee.example", "address": "Stationsweg 18, Lindeveen", "opening_hours": "ma-vr 8.30-17.00"}'::jsonb),
    ('lindeveen', 'schuldhulp-lindeveen', '{"id": "schuldhulp-lindeveen", "name": "Schuldhulpverlening Lindeveen", "kind": "Schuldhulpverlening", "description": "Hulp bij schulden, budgetbeheer en achterstanden; vroegsignalering bij betalingsachterstanden.", "life_domains": ["finances"], "phone": "0341 200 300", "email": "schuldhulp@lindeveen.example", "address": "Stadhuis, Raadhuisplein 1, Lindeveen", "opening_hours": "ma-do 9.00-16.00"}'::jsonb),
    ('lindeveen', 'vrijwilligers-hulpdienst', '{"id": "vrijwilligers-hulpdienst", "name": "Vrijwillige Hulpdienst De Schakel", "kind": "Vrijwilligershulp", "description": "Vrijwilligers voor vervoer, boodschappen, klusjes, een maatje of thuisadministratie.", "life_domains": ["practical", "social_network", "finances"], "phone": "0341 200 400", "email": "hulp@deschakel.example", "address": "Kerkstraat 7, Lindeveen", "opening_hours": "ma-vr 9.00-12.00"}'::jsonb),
    ('lindeveen', 'steunpunt-mantelzorg', '{"id": "steunpunt-mantelzorg", "name": "Steunpunt Mantelzorg Lindeveen", "kind": "Mantelzorgondersteuning", "description": "Advies, respijtzorg, lotgenotencontact en de mantelzorgwaardering.", "life_domains": ["informal_care", "social_network"], "phone": "0341 200 500", "email": "mantelzorg@lindeveen.example", "address": "Marktplein 4, Lindeveen", "opening_hours": "di en do 9.00-16.00"}'::jsonb),
    ('lindeveen', 'huisartsenpraktijk-de-linde', '{"id": "huisartsenpraktijk-de-linde", "name": "Huisartsenpraktijk De Linde", "kind": "Huisarts en praktijkondersteuner", "description": "Huisartsenzorg en de praktijkondersteuner GGZ (POH-GGZ).", "life_domains": ["physical_health", "mental_health", "addiction"], "phone": "0341 200 600", "email": "assistente@delinde.example", "address": "Lindelaan 40, Lindeveen", "opening_hours": "ma-vr 8.00-17.00"}'::jsonb),
    ('lindeveen', 'jeugd-en-gezin', '{"id": "jeugd-en-gezin", "name": "Centrum voor Jeugd en Gezin Lindeveen", "kind": "Jeugd- en gezinsdienst", "description": "Opvoedvragen, jeugdgezondheidszorg en gezinscoaching.", "life_domains": ["family", "mental_health"], "phone": "0341 200 700", "email": "cjg@lindeveen.example", "address": "Schoolstraat 2, Lindeveen", "opening_hours": "ma-vr 8.30-17.00"}'::jsonb),
    ('lindeveen', 'woningcorporatie-thuis', '{"id": "woningcorporatie-thuis", "name": "Woningcorporatie Thuis in Lindeveen", "kind": "Woningcorporatie", "description": "Huurwoningen, woningaanpassing in overleg, huurachterstanden en burenoverlast.", "life_domains": ["housing", "finances"], "phone": "0341 200 800", "email": "klantcontact@thuis.example", "address": "Havenweg 11, Lindeveen", "opening_hours": "ma-vr 9.00-16.30"}'::jsonb);
