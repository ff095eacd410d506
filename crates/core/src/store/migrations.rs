//! The schema, as an append-only list of migrations. Never edit a released step: add one.

use rusqlite_migration::{M, Migrations};

const STEPS: &[M<'static>] = &[
    M::up(
        "CREATE TABLE accounts (
        id          TEXT PRIMARY KEY,
        label       TEXT NOT NULL,
        base_url    TEXT NOT NULL,
        profile_json TEXT
    ) STRICT;
    CREATE TABLE orders (
        account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        id          TEXT NOT NULL,
        status      TEXT NOT NULL,
        due_at_ms   INTEGER NOT NULL,
        seq         INTEGER NOT NULL,
        body_json   TEXT NOT NULL,
        PRIMARY KEY (account_id, id)
    ) STRICT;
    CREATE INDEX orders_by_due ON orders(status, due_at_ms);
    CREATE TABLE sync_state (
        account_id       TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        cursor           TEXT,
        clock_offset_ms  INTEGER NOT NULL DEFAULT 0,
        last_success_ms  INTEGER,
        last_error       TEXT
    ) STRICT;",
    ),
    // 2: the outbox of seller actions, pushed in order, each once per idempotency key.
    M::up(
        "CREATE TABLE outbox (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            order_id        TEXT NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            action_json     TEXT NOT NULL,
            state           TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
            attempts        INTEGER NOT NULL DEFAULT 0,
            last_error      TEXT,
            created_ms      INTEGER NOT NULL,
            done_ms         INTEGER
        ) STRICT;
        CREATE INDEX outbox_by_state ON outbox(account_id, state, seq);",
    ),
    // 3: alerts already raised, so each fires once across restarts.
    M::up(
        "CREATE TABLE alerts_shown (
            key       TEXT PRIMARY KEY,
            shown_ms  INTEGER NOT NULL
        ) STRICT;",
    ),
    // 4: issued sales invoices: gap-free numbers per account, one per order. No foreign key
    // to accounts: invoice numbers are accounting records that must outlive a removed
    // account, so that re-adding it never issues the same number twice.
    M::up(
        "CREATE TABLE invoices (
            account_id    TEXT NOT NULL,
            number        INTEGER NOT NULL CHECK (number > 0),
            order_id      TEXT NOT NULL,
            issued_at_ms  INTEGER NOT NULL,
            PRIMARY KEY (account_id, number),
            UNIQUE (account_id, order_id)
        ) STRICT;",
    ),
    // 5: delivery drafts, one per order, versioned so a stale autosave cannot overwrite a
    // newer one. Files are kept as the paths the seller picked, not their bytes.
    M::up(
        "CREATE TABLE delivery_drafts (
            account_id        TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            order_id          TEXT NOT NULL,
            version           INTEGER NOT NULL CHECK (version > 0),
            description       TEXT NOT NULL,
            files_json        TEXT NOT NULL,
            no_file_confirmed INTEGER NOT NULL CHECK (no_file_confirmed IN (0, 1)),
            outside_platform  INTEGER NOT NULL CHECK (outside_platform IN (0, 1)),
            modified          INTEGER NOT NULL CHECK (modified IN (0, 1)),
            updated_ms        INTEGER NOT NULL,
            PRIMARY KEY (account_id, order_id)
        ) STRICT;",
    ),
    // 6: the seller's settings (notification thresholds, quiet hours, muted accounts), one
    // JSON document per key so a setting added later needs no migration.
    M::up(
        "CREATE TABLE settings (
            key         TEXT PRIMARY KEY,
            value_json  TEXT NOT NULL
        ) STRICT;",
    ),
    // 7: what the order looked like when its draft was started (status, due date), so a
    // draft written offline can tell the seller the order changed meanwhile.
    M::up(
        "ALTER TABLE delivery_drafts ADD COLUMN base_status TEXT;
         ALTER TABLE delivery_drafts ADD COLUMN base_due_ms INTEGER;",
    ),
    // 8: deliveries waiting for their files, and one upload job per file (a saved tus
    // state machine: server URL and confirmed offset), so uploads resume after a crash and
    // the deliver action enters the outbox exactly once.
    M::up(
        "CREATE TABLE deliveries (
            id            TEXT PRIMARY KEY,
            account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            order_id      TEXT NOT NULL,
            content_json  TEXT NOT NULL,
            state         TEXT NOT NULL CHECK (state IN ('uploading', 'queued', 'failed', 'canceled')),
            outbox_seq    INTEGER,
            created_ms    INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE upload_jobs (
            id            TEXT PRIMARY KEY,
            delivery_id   TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
            position      INTEGER NOT NULL,
            path          TEXT NOT NULL,
            name          TEXT NOT NULL,
            size          INTEGER NOT NULL CHECK (size >= 0),
            mtime_ns      INTEGER NOT NULL,
            sha256        TEXT,
            upload_url    TEXT,
            offset_bytes  INTEGER NOT NULL DEFAULT 0 CHECK (offset_bytes >= 0),
            state         TEXT NOT NULL CHECK (state IN ('queued', 'uploading', 'paused', 'done', 'failed', 'canceled')),
            last_error    TEXT,
            attempts      INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE INDEX upload_jobs_by_delivery ON upload_jobs(delivery_id, position);",
    ),
    // 9: orders the marketplace sent but the app refused (absurd values, see the api
    // crate's limits), so the window can name each one instead of the sync failing.
    M::up(
        "CREATE TABLE order_problems (
            account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            order_id    TEXT NOT NULL,
            title       TEXT NOT NULL,
            problem     TEXT NOT NULL,
            seen_ms     INTEGER NOT NULL,
            PRIMARY KEY (account_id, order_id)
        ) STRICT;",
    ),
    // 10: the title and buyer name the order search matches, copied out of the body, and
    // the list's index widened to hold them: a search over 100,000 orders reads this
    // index, not every body through json_extract (230 ms → a few ms), and fetches the
    // bodies of its hits only.
    M::up(
        "ALTER TABLE orders ADD COLUMN title TEXT NOT NULL DEFAULT '';
         ALTER TABLE orders ADD COLUMN buyer TEXT NOT NULL DEFAULT '';
         UPDATE orders SET
            title = coalesce(json_extract(body_json, '$.title'), ''),
            buyer = coalesce(json_extract(body_json, '$.buyer.display_name'), '');
         DROP INDEX orders_by_due;
         CREATE INDEX orders_by_due ON orders(status, due_at_ms, id, title, buyer);",
    ),
    // 11: each account's orders by status and due date, so the window's first screen
    // (`first_orders_of`: an account's most urgent orders) sorts index entries, not
    // every order of the account read from the table.
    M::up("CREATE INDEX orders_of_account_by_due ON orders(account_id, status, due_at_ms, id);"),
    // 12: the soonest expiry of the buyer's open requests (`view::request_deadline`),
    // copied out of the body, so the first screen finds the orders whose request is about
    // to expire (the list's urgency) without reading every body. Rows stored before are
    // filled from their JSON.
    M::up(
        "ALTER TABLE orders ADD COLUMN request_expiry_ms INTEGER;
         UPDATE orders SET request_expiry_ms = (
            SELECT min(CAST(round(unixepoch(json_extract(r.value, '$.expires_at'), 'subsec') * 1000) AS INTEGER))
            FROM json_each(body_json, '$.requests') AS r
            WHERE json_extract(r.value, '$.state') = 'pending'
              AND json_extract(r.value, '$.opened_by') = 'buyer');
         CREATE INDEX orders_of_account_by_request ON orders(account_id, status, request_expiry_ms, id)
            WHERE request_expiry_ms IS NOT NULL;",
    ),
    // 13: the paged list's index of every active order (`Store::active_list_keys`) is read
    // from one covering index instead of the table, whose rows hold each order's JSON
    // ahead of the columns read (100,000 orders: the index build read every body's pages).
    // The two per-account indexes of the first screen's query (11, 12) served only it.
    M::up(
        "DROP INDEX orders_of_account_by_due;
         DROP INDEX orders_of_account_by_request;
         CREATE INDEX orders_list ON orders(status, account_id, id, due_at_ms, request_expiry_ms);",
    ),
];

/// Number of schema versions this build knows.
pub const LATEST: usize = STEPS.len();

pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(STEPS)
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;
    use rusqlite_migration::Migrations;

    #[test]
    fn migrations_are_valid() {
        super::migrations()
            .validate()
            .expect("every migration must apply cleanly to an empty database");
    }

    #[test]
    fn orders_stored_before_step_10_get_their_title_and_buyer() {
        let mut conn = Connection::open_in_memory().unwrap();
        Migrations::from_slice(&super::STEPS[..9])
            .to_latest(&mut conn)
            .unwrap();
        conn.execute_batch(
            r#"INSERT INTO accounts (id, label, base_url) VALUES ('a', 'A', 'http://127.0.0.1:1');
               INSERT INTO orders (account_id, id, status, due_at_ms, seq, body_json)
               VALUES ('a', 'D-1', 'in_progress', 1, 1,
                       '{"title": "Logo redesign", "buyer": {"display_name": "Ada"}}');"#,
        )
        .unwrap();
        super::migrations().to_latest(&mut conn).unwrap();
        let (title, buyer): (String, String) = conn
            .query_row(
                "SELECT title, buyer FROM orders WHERE id = 'D-1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (title.as_str(), buyer.as_str()),
            ("Logo redesign", "Ada"),
            "an order synced by an older build must be searchable by title and buyer"
        );
    }

    #[test]
    fn orders_stored_before_step_12_get_their_request_expiry() {
        use chrono::Duration;
        let mut conn = Connection::open_in_memory().unwrap();
        Migrations::from_slice(&super::STEPS[..11])
            .to_latest(&mut conn)
            .unwrap();
        let mut asked = crate::test_orders::order("D-1", 1);
        let expires = crate::test_orders::t0() + Duration::milliseconds(90_123_456);
        asked.requests = vec![sellerdesk_api::OrderRequest {
            id: "R1".into(),
            kind: sellerdesk_api::RequestKind::ChangeOrderTime,
            opened_by: sellerdesk_api::Party::Buyer,
            opened_at: expires - Duration::hours(48),
            expires_at: expires,
            state: sellerdesk_api::RequestState::Pending,
            message: "Earlier?".into(),
            proposed_due_at: None,
            price_minor: None,
            resolved_at: None,
            form: Default::default(),
        }];
        let mut answered = asked.clone();
        answered.id = "D-2".into();
        answered.requests[0].state = sellerdesk_api::RequestState::Declined;
        conn.execute(
            "INSERT INTO accounts (id, label, base_url) VALUES ('a', 'A', 'http://127.0.0.1:1')",
            [],
        )
        .unwrap();
        for o in [&asked, &answered] {
            conn.execute(
                "INSERT INTO orders (account_id, id, status, due_at_ms, seq, body_json)
                 VALUES ('a', ?1, 'in_progress', 1, 1, ?2)",
                rusqlite::params![o.id, serde_json::to_string(o).unwrap()],
            )
            .unwrap();
        }
        super::migrations().to_latest(&mut conn).unwrap();
        let expiry = |id: &str| -> Option<i64> {
            conn.query_row(
                "SELECT request_expiry_ms FROM orders WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(
            expiry("D-1"),
            crate::view::request_deadline(&asked).map(|at| at.timestamp_millis()),
            "an open buyer request stored by an older build counts on the first screen"
        );
        assert_eq!(expiry("D-2"), None, "an answered request has no deadline");
    }
}
