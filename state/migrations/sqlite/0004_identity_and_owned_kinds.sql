-- Views are owned by their workbook's owner and are no longer stored as
-- owned content; a store synced before holds rows of that kind.
DELETE FROM owned_content WHERE kind = 'view';

-- How a user signs in and their language settings, as Tableau reports them.
ALTER TABLE accounts ADD COLUMN idp_configuration_id TEXT;
ALTER TABLE accounts ADD COLUMN external_auth_user_id TEXT;
ALTER TABLE accounts ADD COLUMN language TEXT;
ALTER TABLE accounts ADD COLUMN locale TEXT;
