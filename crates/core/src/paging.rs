//! The active list in pages: the window holds only the rows it shows and asks for the
//! ones around the screen. The core keeps a small index of every active order (ids,
//! status, deadlines — no bodies) sorted by urgency, rebuilt when an order is written
//! and re-sorted as time moves on; a page reads only its own orders' bodies.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{OrderStatus, Profile};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::countdown::{CountdownState, offset_from_ms, state_of, time_left};
use crate::error::AppError;
use crate::store::OrderProblem;
use crate::view::{DeadlineKind, OWED, OrderRow, list_rank, order_row, problem_row};
use crate::workspace::Workspace;

/// The most rows one page answers.
pub const MAX_PAGE: usize = 500;

/// An index sorted this long ago is sorted again (rows move up as deadlines near).
const RESORT_AFTER: Duration = Duration::seconds(15);

/// Rows `offset..offset + rows.len()` of the active list, with what the window needs to
/// lay out and sum up the whole list without holding it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderPage {
    /// The index of the first row (the one asked for, or `total` when past the end).
    pub offset: u32,
    pub rows: Vec<OrderRow>,
    /// Rows in the whole list.
    pub total: u32,
    pub summary: ListSummary,
}

/// The summary line over the whole active list, at the instant the page was answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListSummary {
    /// Active orders (refused orders with a row of their own included).
    pub total: u32,
    /// Orders whose soonest deadline passed.
    pub late: u32,
    /// Orders whose soonest deadline falls within a day.
    pub due_soon: u32,
    /// New orders waiting to be accepted.
    pub to_accept: u32,
}

/// One line of the index.
enum Entry {
    /// A refused order with no active stored version: a row of its own, on top.
    Problem(usize, OrderProblem),
    Order {
        /// Index into [`ListIndex::accounts`].
        account: usize,
        id: Box<str>,
        status: OrderStatus,
        due_at_ms: i64,
        /// The soonest deadline (ms, marketplace time) and what it is.
        deadline: Option<(i64, DeadlineKind)>,
    },
}

/// Every active order, in list order as of `sorted_at`.
pub(crate) struct ListIndex {
    generation: u64,
    sorted_at: DateTime<Utc>,
    accounts: Vec<String>,
    /// Each account's clock offset, by the index in `accounts`.
    offsets: Vec<Duration>,
    entries: Vec<Entry>,
    /// Problems of listed orders (the row shows the reason), by (account, order id).
    marks: HashMap<(String, String), String>,
    summary: ListSummary,
}

/// The workspace's cached index (`None` until the first page is asked for).
#[derive(Default)]
pub(crate) struct ListCache(Mutex<Option<ListIndex>>);

impl Workspace {
    /// Rows `offset..offset + limit` of the active list (at most [`MAX_PAGE`]), most
    /// urgent first exactly as [`Workspace::order_rows`] sorts them, with the whole list's
    /// size and summary. Countdowns are as of now.
    pub fn order_page(&self, offset: usize, limit: usize) -> Result<OrderPage, AppError> {
        let now = self.now();
        let mut cache = self
            .list_cache()
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let generation = self.store().orders_generation();
        let fresh = cache.as_ref().is_some_and(|index| {
            index.generation == generation && (now - index.sorted_at).abs() < RESORT_AFTER
        });
        if !fresh {
            let reuse = cache.take().filter(|index| index.generation == generation);
            *cache = Some(match reuse {
                Some(mut index) => {
                    index.offsets = self.offsets_of(&index.accounts)?;
                    index.sort(now);
                    index
                }
                None => self.build_index(generation, now)?,
            });
        }
        let index = cache.as_ref().expect("the index was just built");
        let total = index.entries.len();
        let start = offset.min(total);
        let end = start.saturating_add(limit.min(MAX_PAGE)).min(total);
        let rows = self.page_rows(index, &index.entries[start..end], now)?;
        Ok(OrderPage {
            offset: u32::try_from(start).unwrap_or(u32::MAX),
            rows,
            total: u32::try_from(total).unwrap_or(u32::MAX),
            summary: index.summary,
        })
    }

    fn offsets_of(&self, accounts: &[String]) -> Result<Vec<Duration>, AppError> {
        let mut offsets = Vec::with_capacity(accounts.len());
        for account in accounts {
            offsets.push(offset_from_ms(
                self.store().sync_state(account)?.clock_offset_ms,
            ));
        }
        Ok(offsets)
    }

    fn build_index(&self, generation: u64, now: DateTime<Utc>) -> Result<ListIndex, AppError> {
        let store = self.store();
        // Problems are few: they are looked up as the keys stream by, not the other way.
        let mut problems: HashMap<(String, String), (usize, OrderProblem)> = HashMap::new();
        for (seen, (account_id, problem)) in store.order_problems()?.into_iter().enumerate() {
            problems.insert((account_id, problem.order_id.clone()), (seen, problem));
        }
        let mut accounts: Vec<String> = Vec::new();
        let mut entries = Vec::new();
        let mut marks = HashMap::new();
        store.each_active_list_key(|key| {
            let account = intern(&mut accounts, key.account_id);
            if !problems.is_empty() {
                let at = (key.account_id.to_string(), key.id.to_string());
                if let Some(((account_id, order_id), (_, problem))) = problems.remove_entry(&at) {
                    marks.insert((account_id, order_id), problem.problem);
                }
            }
            let request = key.request_expiry_ms.map(|at| (at, DeadlineKind::Request));
            let delivery =
                (OWED.contains(&key.status)).then_some((key.due_at_ms, DeadlineKind::Delivery));
            entries.push(Entry::Order {
                account,
                id: key.id.into(),
                status: key.status,
                due_at_ms: key.due_at_ms,
                deadline: request.into_iter().chain(delivery).min(),
            });
        })?;
        // The problems whose order is not listed: rows of their own, in the order seen.
        let mut alone: Vec<_> = problems.into_iter().collect();
        alone.sort_by_key(|(_, (seen, _))| *seen);
        for ((account_id, _), (_, problem)) in alone {
            let account = intern(&mut accounts, &account_id);
            entries.push(Entry::Problem(account, problem));
        }
        let mut index = ListIndex {
            generation,
            sorted_at: now,
            offsets: self.offsets_of(&accounts)?,
            accounts,
            entries,
            marks,
            summary: ListSummary::default(),
        };
        index.sort(now);
        Ok(index)
    }

    /// The rows of `entries` (a slice of `index`), reading only their orders.
    fn page_rows(
        &self,
        index: &ListIndex,
        entries: &[Entry],
        now: DateTime<Utc>,
    ) -> Result<Vec<OrderRow>, AppError> {
        let keys: Vec<(&str, &str)> = entries
            .iter()
            .filter_map(|e| match e {
                Entry::Order { account, id, .. } => {
                    Some((index.accounts[*account].as_str(), &**id))
                }
                Entry::Problem(..) => None,
            })
            .collect();
        let mut stored = self.store().orders_by_keys(&keys)?.into_iter();
        let profiles: HashMap<String, Profile> = (self.store().accounts()?.into_iter())
            .filter_map(|a| a.profile.map(|p| (a.id, p)))
            .collect();
        let mut rows = Vec::with_capacity(entries.len());
        for entry in entries {
            let (account, row) = match entry {
                Entry::Problem(account, p) => (*account, problem_row(p)),
                Entry::Order {
                    account,
                    id,
                    due_at_ms,
                    ..
                } => {
                    let account_id = &index.accounts[*account];
                    let row = match stored.next().flatten() {
                        Some(Ok(order)) => {
                            let profile = profiles.get(account_id);
                            let offset = index.offsets[*account];
                            let mut row = order_row(account_id, &order, profile, now, offset);
                            let mark = index.marks.get(&(account_id.clone(), id.to_string()));
                            row.problem = mark.cloned();
                            row
                        }
                        // Written or removed since the index was built (the next page comes
                        // from a rebuilt index), or a stored copy that no longer reads: that
                        // order's own row says so, the others show.
                        None => problem_row(&OrderProblem {
                            order_id: id.to_string(),
                            title: String::new(),
                            problem: "This order is being updated; it shows again in a moment"
                                .into(),
                            seen_ms: *due_at_ms,
                        }),
                        Some(Err(e)) => {
                            tracing::warn!(account_id, id = &**id, error = %e, "a stored order no longer reads");
                            problem_row(&OrderProblem {
                                order_id: id.to_string(),
                                title: String::new(),
                                problem: "The saved copy of this order could not be read; the next sync replaces it".into(),
                                seen_ms: *due_at_ms,
                            })
                        }
                    };
                    (*account, row)
                }
            };
            rows.push(OrderRow {
                account_id: index.accounts[account].clone(),
                clock_offset_ms: index.offsets[account].num_milliseconds(),
                ..row
            });
        }
        Ok(rows)
    }

    fn list_cache(&self) -> &ListCache {
        &self.list
    }
}

/// The index of `account_id` in `accounts`, added at the end when new (a handful of
/// accounts: a scan beats a map).
fn intern(accounts: &mut Vec<String>, account_id: &str) -> usize {
    match accounts.iter().position(|a| a == account_id) {
        Some(at) => at,
        None => {
            accounts.push(account_id.to_string());
            accounts.len() - 1
        }
    }
}

impl ListIndex {
    /// Sorts the entries as of `now` and counts the summary: refused orders first (in the
    /// order they were seen), then [`list_rank`], order id, account id.
    fn sort(&mut self, now: DateTime<Utc>) {
        self.sorted_at = now;
        let mut summary = ListSummary::default();
        let mut keyed: Vec<((u8, u8, i64), Entry)> = Vec::with_capacity(self.entries.len());
        for (seen, entry) in std::mem::take(&mut self.entries).into_iter().enumerate() {
            summary.total += 1;
            let key = match &entry {
                Entry::Problem(..) => (0, 0, i64::try_from(seen).unwrap_or(i64::MAX)),
                Entry::Order {
                    account,
                    status,
                    due_at_ms,
                    deadline,
                    ..
                } => {
                    let left = deadline.map(|(at, _)| {
                        let at = DateTime::from_timestamp_millis(at).unwrap_or(now);
                        time_left(at, now, self.offsets[*account])
                    });
                    match left.map(state_of) {
                        Some(CountdownState::Late | CountdownState::VeryLate) => summary.late += 1,
                        Some(CountdownState::DueSoon) => summary.due_soon += 1,
                        _ => {}
                    }
                    if *status == OrderStatus::AwaitingAcceptance {
                        summary.to_accept += 1;
                    }
                    let (rank, within) = list_rank(left.map(|l| l.num_seconds()), *due_at_ms);
                    (1, rank, within)
                }
            };
            keyed.push((key, entry));
        }
        let accounts = &self.accounts;
        keyed.sort_by(|(ka, a), (kb, b)| {
            ka.cmp(kb).then_with(|| match (a, b) {
                (
                    Entry::Order {
                        account: aa,
                        id: ia,
                        ..
                    },
                    Entry::Order {
                        account: ab,
                        id: ib,
                        ..
                    },
                ) => ia.cmp(ib).then_with(|| accounts[*aa].cmp(&accounts[*ab])),
                _ => std::cmp::Ordering::Equal,
            })
        });
        self.entries = keyed.into_iter().map(|(_, e)| e).collect();
        self.summary = summary;
    }
}
