//! Owned content: the items whose ownership blocks removing a user.

use tabgov_mapping::{ContentKind, OwnedContent};

/// Sets the count of one kind (the mapping type only counts up by one).
pub(crate) fn set_count(owned: &mut OwnedContent, kind: ContentKind, count: i64) {
    let count = u32::try_from(count).unwrap_or(u32::MAX);
    match kind {
        ContentKind::Project => owned.projects = count,
        ContentKind::Workbook => owned.workbooks = count,
        ContentKind::Datasource => owned.datasources = count,
        ContentKind::Flow => owned.flows = count,
        ContentKind::CustomView => owned.custom_views = count,
        ContentKind::DataAlert => owned.data_alerts = count,
    }
}
