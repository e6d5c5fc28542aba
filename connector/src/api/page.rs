//! Tableau's paging: `pageSize` up to 1000, `pageNumber` from 1, and a
//! `<pagination totalAvailable>` on every list response.

/// Which page to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// From 1.
    pub number: u32,
    /// 1..=1000.
    pub size: u32,
}

impl PageRequest {
    /// The largest page Tableau serves.
    pub const MAX_SIZE: u32 = 1000;

    /// Page `number` of `size` items.
    pub fn new(number: u32, size: u32) -> PageRequest {
        PageRequest { number, size }
    }
}

/// One decoded page of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub number: u32,
    pub size: u32,
    /// Items in the whole listing, as Tableau counted them for this page.
    pub total_available: u64,
    pub items: Vec<T>,
}

impl<T> Page<T> {
    /// Pages in the whole listing at this page size (at least 1: an empty
    /// listing still has its first page).
    pub fn page_count(&self) -> u32 {
        page_count(self.total_available, self.size)
    }
}

/// Pages needed for `total` items at `size` per page (at least 1).
pub(crate) fn page_count(total: u64, size: u32) -> u32 {
    let size = u64::from(size.max(1));
    u32::try_from(total.div_ceil(size).max(1)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pages() {
        for (total, size, pages) in [
            (0, 1000, 1),
            (1, 1000, 1),
            (1000, 1000, 1),
            (1001, 1000, 2),
            (5000, 100, 50),
        ] {
            assert_eq!(page_count(total, size), pages, "{total}/{size}");
        }
    }
}
