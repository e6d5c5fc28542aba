//! Content ownership, which decides whether Tableau lets a user be removed.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kinds of content whose ownership blocks removal of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ContentKind {
    Project,
    Workbook,
    View,
    Datasource,
    Flow,
}

impl ContentKind {
    pub const ALL: [ContentKind; 5] = [
        ContentKind::Project,
        ContentKind::Workbook,
        ContentKind::View,
        ContentKind::Datasource,
        ContentKind::Flow,
    ];

    /// Singular lower-case name, as in Tableau's element names.
    pub fn as_str(self) -> &'static str {
        match self {
            ContentKind::Project => "project",
            ContentKind::Workbook => "workbook",
            ContentKind::View => "view",
            ContentKind::Datasource => "datasource",
            ContentKind::Flow => "flow",
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

/// How much content one account owns, per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnedContent {
    pub projects: u32,
    pub workbooks: u32,
    pub views: u32,
    pub datasources: u32,
    pub flows: u32,
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
            ContentKind::View => self.views,
            ContentKind::Datasource => self.datasources,
            ContentKind::Flow => self.flows,
        }
    }

    fn slot(&mut self, kind: ContentKind) -> &mut u32 {
        match kind {
            ContentKind::Project => &mut self.projects,
            ContentKind::Workbook => &mut self.workbooks,
            ContentKind::View => &mut self.views,
            ContentKind::Datasource => &mut self.datasources,
            ContentKind::Flow => &mut self.flows,
        }
    }

    pub fn total(&self) -> u32 {
        ContentKind::ALL.into_iter().map(|k| self.get(k)).sum()
    }

    /// True when Tableau would refuse to remove the owner (409003).
    pub fn blocks_removal(&self) -> bool {
        self.total() > 0
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
        assert_eq!(owned.total(), 6);
        assert!(owned.blocks_removal());
    }

    #[test]
    fn kind_names_round_trip() {
        for kind in ContentKind::ALL {
            assert_eq!(ContentKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ContentKind::parse("metric"), None);
    }
}
