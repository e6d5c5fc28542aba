//! Content ownership, which decides whether Tableau lets a user be removed.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

/// The kinds of content whose ownership blocks removal of a user and that
/// Tableau lets a client list with their owners. Views are not among them:
/// a view has no owner of its own (its workbook's owner owns it). Tableau
/// also counts collections, virtual connections and Recycle Bin items,
/// which cannot be listed per owner: a removal that names a new owner
/// always hands those over with `mapAssetsTo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ContentKind {
    Project,
    Workbook,
    Datasource,
    Flow,
    CustomView,
    DataAlert,
}

impl ContentKind {
    pub const ALL: [ContentKind; 6] = [
        ContentKind::Project,
        ContentKind::Workbook,
        ContentKind::Datasource,
        ContentKind::Flow,
        ContentKind::CustomView,
        ContentKind::DataAlert,
    ];

    /// The kinds a sync reads from the site's listings into the store.
    /// Custom views and data alerts are read only when a removal is planned.
    pub const SYNCED: [ContentKind; 4] = [
        ContentKind::Project,
        ContentKind::Workbook,
        ContentKind::Datasource,
        ContentKind::Flow,
    ];

    /// Tableau's element name of one item (`workbook`, `customView`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ContentKind::Project => "project",
            ContentKind::Workbook => "workbook",
            ContentKind::Datasource => "datasource",
            ContentKind::Flow => "flow",
            ContentKind::CustomView => "customView",
            ContentKind::DataAlert => "dataAlert",
        }
    }

    /// The kind in words, for people (`data source`, `custom view`).
    pub fn label(self) -> &'static str {
        match self {
            ContentKind::Project => "project",
            ContentKind::Workbook => "workbook",
            ContentKind::Datasource => "data source",
            ContentKind::Flow => "flow",
            ContentKind::CustomView => "custom view",
            ContentKind::DataAlert => "data alert",
        }
    }

    pub fn parse(s: &str) -> Option<ContentKind> {
        ContentKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for ContentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much content one account owns, per kind. It serialises flat, the
/// counts then their `total` (`{"projects":0,...,"data_alerts":1,"total":1}`),
/// as a refusal and a deprovision result print it; reading ignores `total`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "CountsWithTotal")]
pub struct OwnedContent {
    pub projects: u32,
    pub workbooks: u32,
    pub datasources: u32,
    pub flows: u32,
    pub custom_views: u32,
    pub data_alerts: u32,
}

impl OwnedContent {
    /// Counts one more item of `kind`.
    pub fn add(&mut self, kind: ContentKind) {
        *self.slot(kind) += 1;
    }

    pub fn get(&self, kind: ContentKind) -> u32 {
        match kind {
            ContentKind::Project => self.projects,
            ContentKind::Workbook => self.workbooks,
            ContentKind::Datasource => self.datasources,
            ContentKind::Flow => self.flows,
            ContentKind::CustomView => self.custom_views,
            ContentKind::DataAlert => self.data_alerts,
        }
    }

    fn slot(&mut self, kind: ContentKind) -> &mut u32 {
        match kind {
            ContentKind::Project => &mut self.projects,
            ContentKind::Workbook => &mut self.workbooks,
            ContentKind::Datasource => &mut self.datasources,
            ContentKind::Flow => &mut self.flows,
            ContentKind::CustomView => &mut self.custom_views,
            ContentKind::DataAlert => &mut self.data_alerts,
        }
    }

    pub fn total(&self) -> u32 {
        ContentKind::ALL.into_iter().map(|k| self.get(k)).sum()
    }

    /// True when Tableau would refuse to remove the owner (409003).
    pub fn blocks_removal(&self) -> bool {
        self.total() > 0
    }

    /// Serialises the counts alone, without `total`: for a record that
    /// prints the total under a name of its own (`tabgov accounts` has
    /// `owned_content` beside `owned`). Use with `#[serde(serialize_with)]`.
    pub fn serialize_counts<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Counts::from(*self).serialize(serializer)
    }
}

/// The counts as serialised, field for field.
#[derive(Serialize)]
struct Counts {
    projects: u32,
    workbooks: u32,
    datasources: u32,
    flows: u32,
    custom_views: u32,
    data_alerts: u32,
}

impl From<OwnedContent> for Counts {
    fn from(o: OwnedContent) -> Counts {
        Counts {
            projects: o.projects,
            workbooks: o.workbooks,
            datasources: o.datasources,
            flows: o.flows,
            custom_views: o.custom_views,
            data_alerts: o.data_alerts,
        }
    }
}

/// [`OwnedContent`] as it serialises: the counts, then their total.
#[derive(Serialize)]
struct CountsWithTotal {
    projects: u32,
    workbooks: u32,
    datasources: u32,
    flows: u32,
    custom_views: u32,
    data_alerts: u32,
    total: u32,
}

impl From<OwnedContent> for CountsWithTotal {
    fn from(o: OwnedContent) -> CountsWithTotal {
        CountsWithTotal {
            projects: o.projects,
            workbooks: o.workbooks,
            datasources: o.datasources,
            flows: o.flows,
            custom_views: o.custom_views,
            data_alerts: o.data_alerts,
            total: o.total(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_kind_and_in_total() {
        let mut owned = OwnedContent::default();
        assert!(!owned.blocks_removal());
        for kind in ContentKind::ALL {
            owned.add(kind);
        }
        owned.add(ContentKind::Workbook);
        assert_eq!(owned.workbooks, 2);
        assert_eq!(owned.total(), 7);
        assert!(owned.blocks_removal());
    }

    #[test]
    fn serialises_flat_with_its_total() {
        let owned = OwnedContent {
            workbooks: 2,
            data_alerts: 1,
            ..OwnedContent::default()
        };
        let json = serde_json::to_string(&owned).unwrap();
        assert_eq!(
            json,
            r#"{"projects":0,"workbooks":2,"datasources":0,"flows":0,"custom_views":0,"data_alerts":1,"total":3}"#
        );
        assert_eq!(serde_json::from_str::<OwnedContent>(&json).unwrap(), owned);
        let mut counts = serde_json::Serializer::new(Vec::new());
        owned.serialize_counts(&mut counts).unwrap();
        assert_eq!(
            String::from_utf8(counts.into_inner()).unwrap(),
            r#"{"projects":0,"workbooks":2,"datasources":0,"flows":0,"custom_views":0,"data_alerts":1}"#
        );
    }

    #[test]
    fn kind_names_round_trip() {
        for kind in ContentKind::ALL {
            assert_eq!(ContentKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ContentKind::parse("metric"), None);
        assert_eq!(
            ContentKind::parse("view"),
            None,
            "a view is owned by its workbook"
        );
    }
}
