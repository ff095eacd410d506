//! The `invoices` table: sales invoice numbers, gap-free per account and fixed per order.
//! An order asked for again keeps its number; a new order gets the account's highest
//! number plus one, decided and written in one write transaction so that concurrent
//! exports (other windows, other processes on the same file) never skip or repeat one.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreError};

/// An invoice number already given to an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedInvoice {
    pub number: u64,
    pub order_id: String,
    /// When the number was first issued: the invoice's issue date on every reprint.
    pub issued_at: DateTime<Utc>,
}

impl Store {
    /// The invoice number of `order_id` in `account_id`, and whether this call issued it.
    ///
    /// An order already invoiced keeps its number (`false`); otherwise it gets the
    /// account's highest number plus one, starting at 1 (`true`), recorded with
    /// `issued_at`. Numbers never skip: nothing but this call inserts into the table.
    pub fn invoice_number(
        &self,
        account_id: &str,
        order_id: &str,
        issued_at: DateTime<Utc>,
    ) -> Result<(u64, bool), StoreError> {
        // A number handed to the seller must never be handed out again after a power
        // loss: the commit is synced.
        self.with_durable_tx(|tx| {
            // The write comes first: it takes the database's write lock as it starts
            // (waiting up to the busy timeout), so the MAX it reads cannot change before it
            // writes. Reading first would hold a snapshot that SQLite refuses to upgrade
            // once another connection has committed (SQLITE_BUSY_SNAPSHOT, not retried).
            let inserted = tx.execute(
                "INSERT INTO invoices (account_id, number, order_id, issued_at_ms)
                 SELECT ?1, COALESCE(MAX(number), 0) + 1, ?2, ?3
                 FROM invoices WHERE account_id = ?1
                 ON CONFLICT (account_id, order_id) DO NOTHING",
                params![account_id, order_id, issued_at.timestamp_millis()],
            )?;
            let number: i64 = tx.query_row(
                "SELECT number FROM invoices WHERE account_id = ?1 AND order_id = ?2",
                params![account_id, order_id],
                |r| r.get(0),
            )?;
            let number = u64::try_from(number).map_err(|_| {
                StoreError::Corrupt(format!("invoice number {number} of order {order_id}"))
            })?;
            Ok((number, inserted == 1))
        })
    }

    /// The invoice already issued for `order_id`, if any (read only: issues nothing).
    pub fn issued_invoice(
        &self,
        account_id: &str,
        order_id: &str,
    ) -> Result<Option<IssuedInvoice>, StoreError> {
        self.read(|conn| {
            conn.query_row(
                "SELECT number, order_id, issued_at_ms FROM invoices
                 WHERE account_id = ?1 AND order_id = ?2",
                params![account_id, order_id],
                raw,
            )
            .optional()?
            .map(decode)
            .transpose()
        })
    }

    /// Every invoice of `account_id` issued in `[from, to)`, by number (a month's batch).
    pub fn issued_invoices(
        &self,
        account_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<IssuedInvoice>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT number, order_id, issued_at_ms FROM invoices
                 WHERE account_id = ?1 AND issued_at_ms >= ?2 AND issued_at_ms < ?3
                 ORDER BY number",
            )?;
            let rows = stmt.query_map(
                params![account_id, from.timestamp_millis(), to.timestamp_millis()],
                raw,
            )?;
            rows.map(|row| decode(row?)).collect()
        })
    }
}

type RawInvoice = (i64, String, i64);

fn raw(r: &Row<'_>) -> rusqlite::Result<RawInvoice> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

fn decode((number, order_id, issued_at_ms): RawInvoice) -> Result<IssuedInvoice, StoreError> {
    let bad = || StoreError::Corrupt(format!("stored invoice {number} of order {order_id}"));
    Ok(IssuedInvoice {
        number: u64::try_from(number).map_err(|_| bad())?,
        issued_at: DateTime::from_timestamp_millis(issued_at_ms).ok_or_else(bad)?,
        order_id,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::{Arc, Barrier};

    use chrono::TimeZone;

    use super::*;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, 12, 0, 0).unwrap()
    }

    #[test]
    fn numbers_start_at_one_per_account_and_never_skip() {
        let store = Store::open_in_memory().unwrap();
        let cases = [
            ("demo", "o-a", 1, true),
            ("demo", "o-b", 2, true),
            ("other", "o-a", 1, true),
            ("demo", "o-c", 3, true),
            ("demo", "o-a", 1, false),
            ("other", "o-z", 2, true),
            ("demo", "o-d", 4, true),
        ];
        for (account, order, want, newly) in cases {
            assert_eq!(
                store.invoice_number(account, order, at(1)).unwrap(),
                (want, newly),
                "{account}/{order} must get number {want} (newly issued: {newly})"
            );
        }
    }

    #[test]
    fn an_invoiced_order_keeps_its_number_and_issue_date() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(
            store.invoice_number("demo", "o-1", at(1)).unwrap(),
            (1, true)
        );
        assert_eq!(
            store.invoice_number("demo", "o-1", at(9)).unwrap(),
            (1, false),
            "asking again must return the same number and issue nothing"
        );
        let issued = store.issued_invoice("demo", "o-1").unwrap();
        assert_eq!(
            issued,
            Some(IssuedInvoice {
                number: 1,
                order_id: "o-1".into(),
                issued_at: at(1)
            }),
            "the first issue date must stay the invoice's date"
        );
        assert_eq!(store.issued_invoice("demo", "o-2").unwrap(), None);
        assert_eq!(
            store.invoice_number("demo", "o-2", at(2)).unwrap(),
            (2, true),
            "a read must not consume a number"
        );
    }

    #[test]
    fn a_month_lists_its_invoices_by_number() {
        let store = Store::open_in_memory().unwrap();
        for (order, day) in [("o-1", 1), ("o-2", 15), ("o-3", 31)] {
            store.invoice_number("demo", order, at(day)).unwrap();
        }
        let from = Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).unwrap();
        let numbers: Vec<u64> = store
            .issued_invoices("demo", from, at(31))
            .unwrap()
            .iter()
            .map(|i| i.number)
            .collect();
        assert_eq!(numbers, vec![2], "the range is [from, to)");
    }

    #[test]
    fn numbers_survive_reopening_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = Store::open(&path).unwrap();
        for order in ["o-1", "o-2", "o-3"] {
            store.invoice_number("demo", order, at(1)).unwrap();
        }
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.invoice_number("demo", "o-2", at(2)).unwrap(),
            (2, false),
            "an order keeps its number across restarts"
        );
        assert_eq!(
            store.invoice_number("demo", "o-4", at(2)).unwrap(),
            (4, true),
            "the sequence continues after a restart"
        );
    }

    #[test]
    fn concurrent_connections_issue_exactly_one_to_n() {
        const THREADS: usize = 8;
        const ORDERS: usize = 200;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        // Create and migrate the file once; each thread then opens its own connection.
        drop(Store::open(&path).unwrap());
        let barrier = Arc::new(Barrier::new(THREADS));
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (path, barrier) = (path.clone(), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    let store = Store::open(&path).unwrap();
                    barrier.wait();
                    // Every thread asks for every order, each starting elsewhere, so new
                    // and already-issued orders race.
                    (0..ORDERS)
                        .map(|k| {
                            let order = format!("o-{:03}", (k + t * ORDERS / THREADS) % ORDERS);
                            let (n, newly) = store.invoice_number("demo", &order, at(1)).unwrap();
                            (order, n, newly)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut by_order: BTreeMap<String, (u64, usize)> = BTreeMap::new();
        for handle in handles {
            for (order, n, newly) in handle.join().unwrap() {
                let entry = by_order.entry(order.clone()).or_insert((n, 0));
                assert_eq!(
                    entry.0, n,
                    "every connection must see one number for {order}"
                );
                entry.1 += usize::from(newly);
            }
        }
        assert_eq!(by_order.len(), ORDERS);
        for (order, (_, issues)) in &by_order {
            assert_eq!(*issues, 1, "{order} must be issued exactly once");
        }
        let mut numbers: Vec<u64> = by_order.values().map(|(n, _)| *n).collect();
        numbers.sort_unstable();
        assert_eq!(
            numbers,
            (1..=ORDERS as u64).collect::<Vec<_>>(),
            "concurrent issue must yield exactly 1..=200: no gap, no duplicate"
        );
    }
}
