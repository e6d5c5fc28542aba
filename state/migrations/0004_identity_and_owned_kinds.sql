-- Views are owned by their workbook's owner and are no longer stored as
-- owned content; a store synced before holds rows of that kind.
DELETE FROM owned_content WHERE kind = 'view';
