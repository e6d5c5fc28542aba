-- Actions on groups (create, delete) and on memberships (add) name their
-- group: its LUID, and its name (a group being created has no LUID until
-- Tableau answers). Entries written before have neither.
ALTER TABLE action_journal ADD COLUMN target_group_id TEXT COLLATE "C";
ALTER TABLE action_journal ADD COLUMN target_group_name TEXT COLLATE "C";
