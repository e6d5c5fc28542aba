-- The `externalId` a SCIM client gave a user or a group (see
-- migrations/sqlite/0008): Tableau has nowhere to keep it, and the
-- provider finds its resources again by it.
CREATE TABLE scim_external_ids (
    site_id       BIGINT NOT NULL REFERENCES sites (id),
    resource_kind TEXT COLLATE "C" NOT NULL CHECK (resource_kind IN ('user', 'group')),
    resource_id   TEXT COLLATE "C" NOT NULL,
    external_id   TEXT COLLATE "C" NOT NULL,
    updated_at    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (site_id, resource_kind, resource_id)
);
CREATE INDEX scim_external_ids_lookup ON scim_external_ids (site_id, resource_kind, external_id);
