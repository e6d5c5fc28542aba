-- The tabgov store. Plain types only (TEXT, INTEGER; timestamps as RFC 3339
-- TEXT in UTC with a fixed width, so they sort as text) so that a PostgreSQL
-- migration can mirror this one.

CREATE TABLE sites (
    id                  INTEGER PRIMARY KEY,
    server              TEXT NOT NULL,
    content_url         TEXT NOT NULL,
    site_luid           TEXT,
    last_success_at     TEXT,
    last_success_run_id INTEGER,
    created_at          TEXT NOT NULL,
    UNIQUE (server, content_url)
);

CREATE TABLE sync_runs (
    id           INTEGER PRIMARY KEY,
    site_id      INTEGER NOT NULL REFERENCES sites (id),
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    status       TEXT NOT NULL,
    error        TEXT,
    users        INTEGER NOT NULL DEFAULT 0,
    groups_count INTEGER NOT NULL DEFAULT 0,
    memberships  INTEGER NOT NULL DEFAULT 0,
    joined       INTEGER NOT NULL DEFAULT 0,
    left_count   INTEGER NOT NULL DEFAULT 0,
    changed      INTEGER NOT NULL DEFAULT 0,
    pages        INTEGER NOT NULL DEFAULT 0,
    requests     INTEGER NOT NULL DEFAULT 0,
    retries      INTEGER NOT NULL DEFAULT 0,
    duration_ms  INTEGER
);
CREATE INDEX sync_runs_site ON sync_runs (site_id, status);

CREATE TABLE accounts (
    site_id          INTEGER NOT NULL REFERENCES sites (id),
    id               TEXT NOT NULL,
    name             TEXT NOT NULL,
    email            TEXT,
    full_name        TEXT,
    site_role        TEXT NOT NULL,
    license          TEXT NOT NULL,
    status           TEXT NOT NULL,
    last_login       TEXT,
    auth_setting     TEXT,
    domain           TEXT,
    first_seen       TEXT NOT NULL,
    last_seen        TEXT,
    deprovisioned_at TEXT,
    updated_run_id   INTEGER,
    PRIMARY KEY (site_id, id)
);
CREATE INDEX accounts_name ON accounts (site_id, name);

CREATE TABLE groups (
    site_id            INTEGER NOT NULL REFERENCES sites (id),
    id                 TEXT NOT NULL,
    name               TEXT NOT NULL,
    domain             TEXT,
    minimum_site_role  TEXT,
    grant_license_mode TEXT,
    updated_run_id     INTEGER,
    removed_at         TEXT,
    PRIMARY KEY (site_id, id)
);

CREATE TABLE memberships (
    site_id  INTEGER NOT NULL REFERENCES sites (id),
    group_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    PRIMARY KEY (site_id, group_id, user_id)
);
CREATE INDEX memberships_user ON memberships (site_id, user_id);

CREATE TABLE owned_content (
    site_id    INTEGER NOT NULL REFERENCES sites (id),
    kind       TEXT NOT NULL,
    content_id TEXT NOT NULL,
    name       TEXT,
    owner_id   TEXT NOT NULL,
    PRIMARY KEY (site_id, kind, content_id)
);
CREATE INDEX owned_content_owner ON owned_content (site_id, owner_id);

CREATE TABLE change_events (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL REFERENCES sync_runs (id),
    site_id    INTEGER NOT NULL REFERENCES sites (id),
    user_id    TEXT NOT NULL,
    user_name  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    from_value TEXT,
    to_value   TEXT,
    group_id   TEXT,
    detail     TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX change_events_site ON change_events (site_id, at);
CREATE INDEX change_events_run ON change_events (run_id);

CREATE TABLE action_journal (
    id                 INTEGER PRIMARY KEY,
    site_id            INTEGER NOT NULL REFERENCES sites (id),
    action             TEXT NOT NULL,
    target_user_id     TEXT NOT NULL,
    target_user_name   TEXT,
    actor              TEXT,
    reason             TEXT,
    ticket             TEXT,
    campaign           TEXT,
    reviewer           TEXT,
    previous_site_role TEXT,
    new_site_role      TEXT,
    groups_removed     TEXT NOT NULL,
    transfer_to        TEXT,
    dry_run            INTEGER NOT NULL,
    state              TEXT NOT NULL,
    outcome            TEXT,
    tableau_code       TEXT,
    created_at         TEXT NOT NULL,
    completed_at       TEXT
);
CREATE INDEX action_journal_target ON action_journal (site_id, target_user_id, action, state);
