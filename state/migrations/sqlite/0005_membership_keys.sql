-- Accounts and groups get an integer key each, and memberships refer to
-- them by it: a membership row and its index entries shrink from two LUIDs
-- (72 bytes of text) to two integers, which is most of what a large first
-- sync writes. The memberships table is its primary key (WITHOUT ROWID):
-- one b-tree to write per row instead of a table and an index. The
-- rebuilt accounts table also checks its closed columns. A membership no
-- longer refers to its site by a foreign key: it is written only with the
-- keys of that site's accounts and groups, which do (the same schema as on
-- PostgreSQL, where such a check costs a lookup per row).
-- Memberships naming an account or group the store does not hold are not
-- carried over (no reader could show them).

CREATE TABLE accounts_keyed (
    account_key           INTEGER PRIMARY KEY,
    site_id               INTEGER NOT NULL REFERENCES sites (id),
    id                    TEXT NOT NULL,
    name                  TEXT NOT NULL,
    email                 TEXT,
    full_name             TEXT,
    site_role             TEXT NOT NULL,
    license               TEXT NOT NULL
        CHECK (license IN ('Creator', 'Explorer', 'Viewer', 'Unlicensed', 'Unknown')),
    status                TEXT NOT NULL
        CHECK (status IN ('Active', 'Suspended', 'Deprovisioned')),
    last_login            TEXT,
    auth_setting          TEXT,
    domain                TEXT,
    first_seen            TEXT NOT NULL,
    last_seen             TEXT,
    deprovisioned_at      TEXT,
    updated_run_id        INTEGER,
    idp_configuration_id  TEXT,
    external_auth_user_id TEXT,
    language              TEXT,
    locale                TEXT,
    UNIQUE (site_id, id)
);
INSERT INTO accounts_keyed (site_id, id, name, email, full_name, site_role, license, status,
    last_login, auth_setting, domain, first_seen, last_seen, deprovisioned_at, updated_run_id,
    idp_configuration_id, external_auth_user_id, language, locale)
SELECT site_id, id, name, email, full_name, site_role, license, status, last_login,
    auth_setting, domain, first_seen, last_seen, deprovisioned_at, updated_run_id,
    idp_configuration_id, external_auth_user_id, language, locale
FROM accounts ORDER BY site_id, id;

CREATE TABLE groups_keyed (
    group_key          INTEGER PRIMARY KEY,
    site_id            INTEGER NOT NULL REFERENCES sites (id),
    id                 TEXT NOT NULL,
    name               TEXT NOT NULL,
    domain             TEXT,
    minimum_site_role  TEXT,
    grant_license_mode TEXT,
    updated_run_id     INTEGER,
    removed_at         TEXT,
    UNIQUE (site_id, id)
);
INSERT INTO groups_keyed (site_id, id, name, domain, minimum_site_role, grant_license_mode,
    updated_run_id, removed_at)
SELECT site_id, id, name, domain, minimum_site_role, grant_license_mode, updated_run_id,
    removed_at
FROM groups ORDER BY site_id, id;

CREATE TABLE memberships_keyed (
    site_id     INTEGER NOT NULL,
    group_key   INTEGER NOT NULL,
    account_key INTEGER NOT NULL,
    PRIMARY KEY (site_id, group_key, account_key)
) WITHOUT ROWID;
INSERT INTO memberships_keyed (site_id, group_key, account_key)
SELECT m.site_id, g.group_key, a.account_key
FROM memberships m
JOIN groups_keyed g ON g.site_id = m.site_id AND g.id = m.group_id
JOIN accounts_keyed a ON a.site_id = m.site_id AND a.id = m.user_id;

DROP TABLE memberships;
DROP TABLE groups;
DROP TABLE accounts;
ALTER TABLE accounts_keyed RENAME TO accounts;
ALTER TABLE groups_keyed RENAME TO groups;
ALTER TABLE memberships_keyed RENAME TO memberships;
CREATE INDEX accounts_name ON accounts (site_id, name);
CREATE INDEX memberships_account ON memberships (account_key);

-- The change feed refers to its run and site without foreign keys: only a
-- sync's writer adds events, with its own run and site, and a first sync
-- writes one per account (PostgreSQL checks each foreign key row by row:
-- 0.6 s of a 100k-user first sync). SQLite rebuilds the table to drop them.
CREATE TABLE change_events_unchecked (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL,
    site_id    INTEGER NOT NULL,
    user_id    TEXT NOT NULL,
    user_name  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    from_value TEXT,
    to_value   TEXT,
    group_id   TEXT,
    detail     TEXT NOT NULL,
    at         TEXT NOT NULL
);
INSERT INTO change_events_unchecked (id, run_id, site_id, user_id, user_name, kind, from_value,
    to_value, group_id, detail, at)
SELECT id, run_id, site_id, user_id, user_name, kind, from_value, to_value, group_id, detail, at
FROM change_events;
DROP TABLE change_events;
ALTER TABLE change_events_unchecked RENAME TO change_events;
CREATE INDEX change_events_site ON change_events (site_id, at);
CREATE INDEX change_events_run ON change_events (run_id);
