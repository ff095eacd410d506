//! Draft durability: a child process autosaves a delivery draft as fast as it can and
//! reports each save SQLite acknowledged; the parent SIGKILLs it at random moments. After
//! every kill the database opens, and the draft is the last acknowledged one or a later
//! one, whole — never older, never torn.
//!
//! The child is this test binary run again with `SELLERDESK_DRAFT_CHILD` set.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sellerdesk_core::store::{Account, DraftContent, DraftFile, Store};

const CHILD_ENV: &str = "SELLERDESK_DRAFT_CHILD";

/// The draft content of save number `n`: every field derived from `n`, so the parent can
/// check a stored draft is exactly one save, not a mix of two.
fn content_of(n: u64) -> DraftContent {
    DraftContent {
        description: format!(
            "Draft {n}: {}",
            "here is the final logo — «v2». ".repeat((n % 50) as usize + 1)
        ),
        files: (0..(n % 4))
            .map(|i| DraftFile {
                path: format!("/home/ana/work/file-{n}-{i}.png"),
                name: format!("file-{n}-{i}.png"),
                size: n * 1000 + i,
            })
            .collect(),
        no_file_confirmed: n.is_multiple_of(4),
        outside_platform: false,
        modified: n % 2 == 1,
    }
}

/// The child: saves drafts in a loop, printing "ack <version>" after each commit.
fn child(db: &Path) {
    let store = Store::open(db).expect("the child opens the database");
    let mut base = store.draft("demo", "D-1001").unwrap().map(|d| d.version);
    loop {
        let next = base.unwrap_or(0) + 1;
        let version = store
            .save_draft("demo", "D-1001", base, &content_of(next), next as i64)
            .expect("a save");
        assert_eq!(version, next);
        println!("ack {version}");
        base = Some(version);
    }
}

#[test]
fn a_killed_autosave_keeps_the_last_acknowledged_draft() {
    if let Some(db) = std::env::var_os(CHILD_ENV) {
        child(Path::new(&db));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sellerdesk.db");
    let store = Store::open(&db).unwrap();
    store
        .save_account(&Account::new("demo", "Demo", "http://127.0.0.1:1"))
        .unwrap();
    drop(store);

    // A cheap xorshift, seeded from the clock and printed so a failure can be replayed.
    let mut seed = std::env::var("DRAFT_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("DRAFT_KILL_SEED={seed}");
    let mut next_random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };

    let me = std::env::current_exe().unwrap();
    let mut last_acked = 0u64;
    for round in 0..5 {
        let mut child = Command::new(&me)
            .args([
                "--exact",
                "a_killed_autosave_keeps_the_last_acknowledged_draft",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill after a random number of acknowledged saves (at least one per round).
        let kill_after = 1 + next_random() % 400;
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let started = Instant::now();
        let mut acked_this_round = 0;
        while acked_this_round < kill_after {
            line.clear();
            if reader.read_line(&mut line).unwrap() == 0 {
                break;
            }
            // The harness prints "test … " without a newline before the first ack.
            if let Some((_, v)) = line.trim().rsplit_once("ack ") {
                let v: u64 = v.parse().unwrap();
                assert!(v > last_acked, "versions only grow");
                last_acked = v;
                acked_this_round += 1;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the child stopped saving"
            );
        }
        // SIGKILL: no destructor, no flush — as a crash or a power-off of the process.
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(
            acked_this_round > 0,
            "round {round}: the child saved nothing"
        );
        eprintln!(
            "round {round}: killed after {acked_this_round} acknowledged saves (last {last_acked})"
        );

        let store = Store::open(&db).expect("the database opens after a kill");
        let draft = store
            .draft("demo", "D-1001")
            .unwrap()
            .expect("the draft survives");
        assert!(
            draft.version >= last_acked,
            "round {round}: acknowledged version {last_acked} lost (found {})",
            draft.version
        );
        assert_eq!(
            draft.content,
            content_of(draft.version),
            "round {round}: the draft is exactly save {}",
            draft.version
        );
        last_acked = draft.version;
    }
}
