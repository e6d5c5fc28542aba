-- The `externalId` a SCIM client (an identity provider) gave a user or a
-- group: Tableau has nowhere to keep it, and the provider finds its
-- resources again by it (`filter=externalId eq "..."`). Keyed by the
-- Tableau id within the site; a resource gone from the site keeps its row
-- (the provider may still ask for it) until it is set again.
CREATE TABLE scim_external_ids (
    site_id       INTEGER NOT NULL REFERENCES sites (id),
    resource_kind TEXT NOT NULL CHECK (resource_kind IN ('user', 'group')),
    resource_id   TEXT NOT NULL,
    external_id   TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (site_id, resource_kind, resource_id)
);
CREATE INDEX scim_external_ids_lookup ON scim_external_ids (site_id, resource_kind, external_id);
