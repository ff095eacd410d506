//! The schema, as an append-only list of migrations. Never edit a released step: add one.

use rusqlite_migration::{M, Migrations};

const STEPS: &[M<'static>] = &[M::up(
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
)];

/// Number of schema versions this build knows.
pub const LATEST: usize = STEPS.len();

pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(STEPS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations()
            .validate()
            .expect("every migration must apply cleanly to an empty database");
    }
}
