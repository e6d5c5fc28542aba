//! Complete listings: page 1 tells how many pages there are, the rest are
//! fetched concurrently (the transport bounds what is really in flight),
//! items are deduplicated by id, and a listing that does not add up to what
//! Tableau announced is an error, never a silently short list.

use std::collections::HashSet;
use std::sync::OnceLock;

use futures::future::BoxFuture;
use futures::{stream, StreamExt, TryStreamExt};
use tokio::sync::Semaphore;

use crate::api::{ApiRequest, Page, PageRequest};
use crate::transport::Transport;
use crate::{Error, Result};

/// Pages fetched at once per listing; the transport's concurrency limit is
/// the real bound, this only keeps enough requests queued to fill it.
const PAGES_IN_FLIGHT: usize = 32;

/// Fetches every page of a listing.
///
/// `what` names it in errors ("users", "members of group Sales"); `build`
/// makes the request for a page, `decode` reads one, `id` gives an item's id.
/// Pages are decoded on the blocking pool, so that a large listing decodes
/// on every core while more pages are fetched.
///
/// The future is boxed as `Send` here, where its types are concrete:
/// rustc cannot prove the pages' stream `Send` for every lifetime once it
/// is nested in a caller's future, and the service runs syncs and actions
/// on spawned tasks.
pub fn fetch_all<'a, T, B, D, I>(
    transport: &'a Transport,
    what: &'a str,
    build: B,
    decode: D,
    id: I,
) -> BoxFuture<'a, Result<Vec<T>>>
where
    T: Send + 'static,
    B: Fn(PageRequest) -> ApiRequest + Send + Sync + 'a,
    D: Fn(&[u8]) -> Result<Page<T>> + Clone + Send + Sync + 'static,
    I: Fn(&T) -> &str + Send + 'a,
{
    Box::pin(async move {
        let size = transport
            .options()
            .page_size
            .clamp(1, PageRequest::MAX_SIZE);
        let first = fetch_page(transport, &build, &decode, PageRequest::new(1, size)).await?;
        let expected = first.total_available;
        let pages = first.page_count();
        let mut all: Vec<Page<T>> = vec![first];
        let rest: Vec<Page<T>> = stream::iter(2..=pages)
            .map(|n| -> BoxFuture<'_, Result<Page<T>>> {
                Box::pin(fetch_page(
                    transport,
                    &build,
                    &decode,
                    PageRequest::new(n, size),
                ))
            })
            .buffer_unordered(PAGES_IN_FLIGHT)
            .try_collect()
            .await?;
        all.extend(rest);
        assemble(what, expected, size, all, id)
    })
}

async fn fetch_page<T, B, D>(
    transport: &Transport,
    build: &B,
    decode: &D,
    page: PageRequest,
) -> Result<Page<T>>
where
    T: Send + 'static,
    B: Fn(PageRequest) -> ApiRequest,
    D: Fn(&[u8]) -> Result<Page<T>> + Clone + Send + 'static,
{
    let body = transport.send(&build(page)).await?;
    let decode = decode.clone();
    let _decoder = decoders()
        .acquire()
        .await
        .map_err(|e| Error::Internal(format!("no page decoder: {e}")))?;
    let page = tokio::task::spawn_blocking(move || decode(&body))
        .await
        .map_err(|e| Error::Internal(format!("decoding a page stopped: {e}")))??;
    transport.count_page();
    Ok(page)
}

/// Pages decoded at once: one per core. More would only add blocking-pool
/// threads (and their allocator arenas) with nothing to run on.
fn decoders() -> &'static Semaphore {
    static DECODERS: OnceLock<Semaphore> = OnceLock::new();
    DECODERS
        .get_or_init(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())))
}

/// Checks the pages against what page 1 announced and merges them.
///
/// Pure, so every way a listing can come up short is unit-tested.
pub(crate) fn assemble<T, I>(
    what: &str,
    expected: u64,
    size: u32,
    mut pages: Vec<Page<T>>,
    id: I,
) -> Result<Vec<T>>
where
    I: Fn(&T) -> &str,
{
    pages.sort_by_key(|p| p.number);
    let last = pages.last().map_or(1, |p| p.number);
    let mut items = Vec::with_capacity(expected.min(1 << 20) as usize);
    for page in pages {
        if page.total_available != expected {
            return Err(Error::ListingChanged {
                what: what.to_owned(),
                first: expected,
                later: page.total_available,
            });
        }
        if page.number < last && page.items.len() != size as usize {
            return Err(Error::IncompleteListing {
                what: what.to_owned(),
                expected,
                received: page.items.len() as u64,
            });
        }
        items.extend(page.items);
    }
    drop_repeats(&mut items, id);
    if items.len() as u64 != expected {
        return Err(Error::IncompleteListing {
            what: what.to_owned(),
            expected,
            received: items.len() as u64,
        });
    }
    Ok(items)
}

/// Removes every item whose id an earlier item already had (a page boundary
/// that moved while the listing was read repeats items). Ids are borrowed,
/// never copied: a 100k-user listing would otherwise clone 100k strings.
fn drop_repeats<T, I>(items: &mut Vec<T>, id: I)
where
    I: Fn(&T) -> &str,
{
    let repeats: HashSet<usize> = {
        let mut seen: HashSet<&str> = HashSet::with_capacity(items.len());
        items
            .iter()
            .enumerate()
            .filter(|(_, item)| !seen.insert(id(item)))
            .map(|(n, _)| n)
            .collect()
    };
    if !repeats.is_empty() {
        let mut n = 0;
        items.retain(|_| {
            n += 1;
            !repeats.contains(&(n - 1))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(number: u32, total: u64, ids: &[&str]) -> Page<String> {
        Page {
            number,
            size: 2,
            total_available: total,
            items: ids.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn run(pages: Vec<Page<String>>, expected: u64) -> Result<Vec<String>> {
        assemble("users", expected, 2, pages, |s: &String| s.as_str())
    }

    #[test]
    fn merges_pages_in_order() {
        let pages = vec![
            page(2, 5, &["c", "d"]),
            page(1, 5, &["a", "b"]),
            page(3, 5, &["e"]),
        ];
        assert_eq!(run(pages, 5).unwrap(), ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn a_repeated_item_is_kept_once_in_first_place() {
        let pages = vec![page(2, 3, &["b", "c"]), page(1, 3, &["a", "b"])];
        assert_eq!(run(pages, 3).unwrap(), ["a", "b", "c"]);
    }

    #[test]
    fn an_empty_listing_is_complete() {
        assert!(run(vec![page(1, 0, &[])], 0).unwrap().is_empty());
    }

    #[test]
    fn a_short_listing_is_an_error() {
        let cases = vec![
            (
                vec![
                    page(1, 5, &["a", "b"]),
                    page(2, 5, &["c"]),
                    page(3, 5, &["e"]),
                ],
                "short middle page",
            ),
            (
                vec![page(1, 5, &["a", "b"]), page(3, 5, &["e"])],
                "missing page",
            ),
            (
                vec![
                    page(1, 5, &["a", "b"]),
                    page(2, 5, &["b", "c"]),
                    page(3, 5, &["e"]),
                ],
                "duplicate hides a loss",
            ),
            (
                vec![
                    page(1, 5, &["a", "b"]),
                    page(2, 6, &["c", "d"]),
                    page(3, 5, &["e"]),
                ],
                "total moved",
            ),
        ];
        for (pages, why) in cases {
            assert!(run(pages, 5).is_err(), "{why}");
        }
    }
}
