//! List queries (RFC 7644 §3.4.2): the filter, the 1-based page window
//! and the attribute selection read from the query string, and the
//! ListResponse body. Sorting is not supported (the service provider
//! configuration says so), so `sortBy` and `sortOrder` are ignored, as
//! §3.4.2.3 allows.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::filter::{parse_filter, Filter};
use super::filter_eval::{default_case_exact, matches};
use super::{AttributeSelection, ScimError, LIST_RESPONSE};

/// The most resources one page holds (`count` above it is lowered to it);
/// the service provider configuration's `filter.maxResults`.
pub const MAX_RESULTS: usize = 1000;
/// The page size when the client sends no `count`.
pub const DEFAULT_COUNT: usize = 100;

/// A list request's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    pub filter: Option<Filter>,
    /// 1-based; at least 1.
    pub start_index: usize,
    /// At most [`MAX_RESULTS`]; 0 asks for the total alone.
    pub count: usize,
    pub attributes: AttributeSelection,
}

impl Default for ListQuery {
    fn default() -> ListQuery {
        ListQuery {
            filter: None,
            start_index: 1,
            count: DEFAULT_COUNT,
            attributes: AttributeSelection::default(),
        }
    }
}

/// A whole number, as a page parameter must be.
fn integer(name: &str, value: &str) -> Result<i64, ScimError> {
    value
        .trim()
        .parse()
        .map_err(|_| ScimError::invalid_value(format!("{name} must be an integer, not {value:?}")))
}

impl ListQuery {
    /// Reads the query string's (name, value) pairs; names in any case,
    /// the last of a repeated name wins. A `startIndex` below 1 is 1, a
    /// negative `count` is 0 (RFC 7644 §3.4.2.4); a malformed filter is 400
    /// invalidFilter, a non-integer window 400 invalidValue.
    pub fn parse<'a>(
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<ListQuery, ScimError> {
        let mut query = ListQuery::default();
        let (mut attributes, mut excluded) = (None, None);
        for (name, value) in params {
            match name.to_ascii_lowercase().as_str() {
                "filter" if value.trim().is_empty() => query.filter = None,
                "filter" => query.filter = Some(parse_filter(value)?),
                "startindex" => {
                    query.start_index = integer("startIndex", value)?.max(1) as usize;
                }
                "count" => {
                    query.count = integer("count", value)?.clamp(0, MAX_RESULTS as i64) as usize;
                }
                "attributes" => attributes = Some(value),
                "excludedattributes" => excluded = Some(value),
                _ => {}
            }
        }
        query.attributes = AttributeSelection::parse(attributes, excluded);
        Ok(query)
    }

    /// The 0-based offset of the page's first resource.
    pub fn offset(&self) -> usize {
        self.start_index - 1
    }

    /// The page of `items` (all matching resources, in order) the query
    /// asks for.
    pub fn page<'a, T>(&self, items: &'a [T]) -> &'a [T] {
        let start = self.offset().min(items.len());
        let end = start.saturating_add(self.count).min(items.len());
        &items[start..end]
    }

    /// The answer for a page already chosen (from an index), of `total`
    /// matches: each resource with its attributes selected.
    pub fn answer(&self, total: usize, page: Vec<Value>) -> ListResponse {
        ListResponse {
            total_results: total,
            start_index: self.start_index,
            resources: page.into_iter().map(|r| self.attributes.apply(r)).collect(),
        }
    }

    /// The answer for every candidate rendered: those the filter keeps
    /// (all without one), the window of them, attributes selected.
    pub fn answer_filtered(&self, rendered: Vec<Value>) -> Result<ListResponse, ScimError> {
        let mut found = Vec::with_capacity(rendered.len());
        for resource in rendered {
            let keep = match &self.filter {
                Some(filter) => matches(filter, &resource, &default_case_exact)?,
                None => true,
            };
            if keep {
                found.push(resource);
            }
        }
        Ok(self.answer(found.len(), self.page(&found).to_vec()))
    }
}

/// A ListResponse: `totalResults` counts every match, `Resources` holds
/// the page, `itemsPerPage` is its length.
#[derive(Debug, Clone, PartialEq)]
pub struct ListResponse {
    pub total_results: usize,
    pub start_index: usize,
    pub resources: Vec<Value>,
}

impl ListResponse {
    /// Every resource on one page (discovery lists).
    pub fn all(resources: Vec<Value>) -> ListResponse {
        ListResponse {
            total_results: resources.len(),
            start_index: 1,
            resources,
        }
    }
}

impl Serialize for ListResponse {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("schemas", &[LIST_RESPONSE])?;
        map.serialize_entry("totalResults", &self.total_results)?;
        map.serialize_entry("startIndex", &self.start_index)?;
        map.serialize_entry("itemsPerPage", &self.resources.len())?;
        map.serialize_entry("Resources", &self.resources)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::serve::scim::ScimType;

    /// A query string's pairs.
    type Params = &'static [(&'static str, &'static str)];

    #[test]
    fn answers_keep_what_the_filter_keeps_then_window_and_select() {
        let users: Vec<Value> = (1..=5)
            .map(|i| json!({"id": format!("u{i}"), "userName": format!("user{i}"), "active": i % 2 == 1}))
            .collect();
        let q = ListQuery::parse([
            ("filter", "active eq true"),
            ("startIndex", "2"),
            ("count", "1"),
            ("attributes", "userName"),
        ])
        .unwrap();
        let answer = q.answer_filtered(users.clone()).unwrap();
        assert_eq!(answer.total_results, 3, "u1, u3, u5");
        assert_eq!(answer.start_index, 2);
        assert_eq!(answer.resources, [json!({"id": "u3", "userName": "user3"})]);

        let all = ListQuery::parse([("count", "2")]).unwrap();
        let answer = all.answer_filtered(users.clone()).unwrap();
        assert_eq!(answer.total_results, 5);
        assert_eq!(answer.resources, users[..2].to_vec());
        // A page chosen elsewhere keeps the total it is given.
        assert_eq!(all.answer(40, users[..2].to_vec()).total_results, 40);

        let bad = ListQuery::parse([("filter", "active gt true")]).unwrap();
        assert_eq!(
            bad.answer_filtered(users).unwrap_err().scim_type,
            Some(ScimType::InvalidFilter)
        );
    }

    fn parse(params: &[(&str, &str)]) -> Result<ListQuery, ScimError> {
        ListQuery::parse(params.iter().copied())
    }

    #[test]
    fn the_window_is_read_and_bounded() {
        let table: [(Params, usize, usize); 9] = [
            (&[], 1, DEFAULT_COUNT),
            (&[("startIndex", "11"), ("count", "10")], 11, 10),
            (&[("startindex", "0")], 1, DEFAULT_COUNT),
            (&[("startIndex", "-5")], 1, DEFAULT_COUNT),
            (&[("count", "-1")], 1, 0),
            (&[("COUNT", "0")], 1, 0),
            (&[("count", "1001")], 1, MAX_RESULTS),
            (&[("count", "99999999999999999")], 1, MAX_RESULTS),
            (&[("count", "5"), ("count", " 7 ")], 1, 7),
        ];
        for (params, start_index, count) in table {
            let q = parse(params).unwrap();
            assert_eq!((q.start_index, q.count), (start_index, count), "{params:?}");
        }
    }

    #[test]
    fn filter_attributes_and_sorting_are_read_or_ignored() {
        let q = parse(&[
            ("filter", r#"userName eq "a""#),
            ("attributes", "userName"),
            ("sortBy", "userName"),
            ("sortOrder", "descending"),
        ])
        .unwrap();
        assert_eq!(q.filter, Some(parse_filter(r#"userName eq "a""#).unwrap()));
        assert_eq!(
            q.attributes,
            AttributeSelection::parse(Some("userName"), None)
        );
        let q = parse(&[("filter", "  "), ("excludedAttributes", "groups")]).unwrap();
        assert_eq!(q.filter, None);
        assert_eq!(
            q.attributes,
            AttributeSelection::parse(None, Some("groups"))
        );
    }

    #[test]
    fn bad_parameters_are_refused_with_their_type() {
        let table: [(Params, ScimType); 4] = [
            (&[("filter", "userName eq")], ScimType::InvalidFilter),
            (&[("startIndex", "one")], ScimType::InvalidValue),
            (&[("count", "1.5")], ScimType::InvalidValue),
            (&[("count", "")], ScimType::InvalidValue),
        ];
        for (params, scim_type) in table {
            assert_eq!(
                parse(params).unwrap_err().scim_type,
                Some(scim_type),
                "{params:?}"
            );
        }
    }

    #[test]
    fn pages_are_cut_from_the_window() {
        let items: Vec<u32> = (1..=5).collect();
        let table = [
            (1, 2, vec![1, 2]),
            (4, 10, vec![4, 5]),
            (6, 1, vec![]),
            (9, 1, vec![]),
            (2, 0, vec![]),
        ];
        for (start_index, count, expected) in table {
            let q = ListQuery {
                start_index,
                count,
                ..ListQuery::default()
            };
            assert_eq!(q.page(&items), expected.as_slice(), "{start_index} {count}");
        }
    }

    #[test]
    fn a_list_response_renders_rfc_7644s_body() {
        let response = ListResponse {
            total_results: 12,
            start_index: 11,
            resources: vec![json!({"id": "u11"}), json!({"id": "u12"})],
        };
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                "totalResults": 12,
                "startIndex": 11,
                "itemsPerPage": 2,
                "Resources": [{"id": "u11"}, {"id": "u12"}]
            })
        );
        let all = ListResponse::all(vec![json!(1)]);
        assert_eq!((all.total_results, all.start_index), (1, 1));
    }
}
