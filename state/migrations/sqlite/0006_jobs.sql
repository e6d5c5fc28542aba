-- Offboarding jobs the service accepted (HTTP 202) and runs in the
-- background: kept here so that a job survives the service being killed and
-- is never acted on twice. A request repeated with the same idempotency key
-- finds its job (UNIQUE; many jobs have no key, and NULLs never collide);
-- `request_hash` tells a repeat from a different request under a reused key.
-- A job names its site as the caller did (a label the service resolves when
-- it runs), not by key: the site may not be in the store yet.
CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT UNIQUE,
    request_hash    TEXT NOT NULL,
    site_label      TEXT NOT NULL,
    dry_run         INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
    request         TEXT NOT NULL,
    state           TEXT NOT NULL
        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'interrupted')),
    results         TEXT,
    error           TEXT,
    submitted_by    TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    started_at      TEXT,
    finished_at     TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0)
);
-- The worker takes the oldest queued job.
CREATE INDEX jobs_queue ON jobs (state, id);

-- Keyset paging of a site's accounts by (name, id) reads the index in
-- order and stops after a page, where (site_id, name) alone leaves every
-- account of the site to sort.
CREATE INDEX accounts_page ON accounts (site_id, name, id);
-- The same for a site's live groups, by (name, id).
CREATE INDEX groups_page ON groups (site_id, name, id);
