//! `pageSize` / `pageNumber` with Tableau's limits and error codes.

use crate::emit::Elem;
use crate::error::ApiError;
use std::collections::HashMap;
use std::ops::Range;

/// Largest page Tableau serves.
pub const MAX_PAGE_SIZE: usize = 1000;
/// Page size when none is asked for.
pub const DEFAULT_PAGE_SIZE: usize = 100;

/// A requested page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// 1-based page number.
    pub number: usize,
    /// Items per page.
    pub size: usize,
}

/// Reads the paging parameters: `400007` invalid size, `403014` size above
/// 1000, `400006` invalid page number.
pub fn parse(query: &HashMap<String, String>) -> Result<Page, ApiError> {
    let size = match query.get("pageSize") {
        None => DEFAULT_PAGE_SIZE,
        Some(s) => match s.trim().parse::<i64>() {
            Ok(n) if n > MAX_PAGE_SIZE as i64 => {
                return Err(ApiError::new(
                    403014,
                    "Page Size Limit Exceeded",
                    format!(
                        "The page size '{n}' exceeds the limit of {MAX_PAGE_SIZE} items per page."
                    ),
                ))
            }
            Ok(n) if n >= 1 => n as usize,
            _ => {
                return Err(ApiError::new(
                    400007,
                    "Invalid page size",
                    format!("The page size '{s}' is not a positive integer."),
                ))
            }
        },
    };
    let number = match query.get("pageNumber") {
        None => 1,
        Some(s) => match s.trim().parse::<i64>() {
            Ok(n) if n >= 1 => n as usize,
            _ => return Err(invalid_page(s)),
        },
    };
    Ok(Page { number, size })
}

fn invalid_page(s: &str) -> ApiError {
    ApiError::new(
        400006,
        "Invalid page number",
        format!("The page number '{s}' is not valid: it must be a positive integer no greater than the number of pages."),
    )
}

impl Page {
    /// The index range of this page among `total` items; `400006` past the
    /// last page (page 1 of an empty list is fine).
    pub fn window(&self, total: usize) -> Result<Range<usize>, ApiError> {
        let start = (self.number - 1).saturating_mul(self.size);
        if self.number > 1 && start >= total {
            return Err(invalid_page(&self.number.to_string()));
        }
        Ok(start.min(total)..(start.saturating_add(self.size)).min(total))
    }

    /// Writes the `<pagination>` element into the answer `doc`.
    pub(crate) fn emit(&self, doc: &mut Elem<'_>, total: usize) {
        doc.child("pagination")
            .num_attr("pageNumber", self.number)
            .num_attr("pageSize", self.size)
            .num_attr("totalAvailable", total);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn limits_and_codes() {
        assert_eq!(
            parse(&q(&[])).unwrap(),
            Page {
                number: 1,
                size: 100
            }
        );
        assert_eq!(parse(&q(&[("pageSize", "1000")])).unwrap().size, 1000);
        assert_eq!(parse(&q(&[("pageSize", "1001")])).unwrap_err().code, 403014);
        assert_eq!(parse(&q(&[("pageSize", "0")])).unwrap_err().code, 400007);
        assert_eq!(parse(&q(&[("pageSize", "x")])).unwrap_err().code, 400007);
        assert_eq!(parse(&q(&[("pageNumber", "0")])).unwrap_err().code, 400006);
        let p = Page {
            number: 3,
            size: 10,
        };
        assert_eq!(p.window(25).unwrap(), 20..25);
        assert_eq!(p.window(20).unwrap_err().code, 400006);
        assert_eq!(
            Page {
                number: 1,
                size: 10
            }
            .window(0)
            .unwrap(),
            0..0
        );
    }
}
