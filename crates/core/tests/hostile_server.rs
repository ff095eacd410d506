//! A marketplace that answers with well-typed but absurd values, oversized bodies, a
//! revoked token or a wild clock: the app refuses what it cannot trust, names each bad
//! order, keeps every other order, and opens again after a restart.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use sellerdesk_api::{Order, OrderAction, OrderPage, Profile};
use sellerdesk_core::Workspace;
use sellerdesk_core::store::{Account, OutboxState, Store};
use sellerdesk_core::sync::SyncState;
use sellerdesk_core::system_clock;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One canned answer: status, extra headers, body.
#[derive(Clone)]
struct Canned {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn json(value: &impl serde::Serialize) -> Canned {
    Canned {
        status: 200,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: serde_json::to_vec(value).unwrap(),
    }
}

/// A loopback HTTP/1.1 server answering each path (without query) from a table, one
/// request per connection. Unknown paths get 404.
async fn serve(routes: Arc<Mutex<HashMap<String, Canned>>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let routes = routes.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let text = String::from_utf8_lossy(&head);
                let target = text.split_whitespace().nth(1).unwrap_or("/");
                let path = target.split('?').next().unwrap_or("/").to_string();
                let canned = routes.lock().unwrap().get(&path).cloned();
                let canned = canned.unwrap_or(Canned {
                    status: 404,
                    headers: vec![],
                    body: b"{}".to_vec(),
                });
                let mut out = format!(
                    "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                    canned.status,
                    canned.body.len()
                );
                for (k, v) in &canned.headers {
                    out.push_str(&format!("{k}: {v}\r\n"));
                }
                out.push_str("\r\n");
                let _ = socket.write_all(out.as_bytes()).await;
                let _ = socket.write_all(&canned.body).await;
            });
        }
    });
    format!("http://{addr}")
}

fn good_profile() -> Profile {
    sellerdesk_sim::profile("fiverr").unwrap()
}

fn page(orders: Vec<Order>) -> OrderPage {
    OrderPage {
        next_cursor: orders.len().to_string(),
        orders,
        has_more: false,
    }
}

/// Five demo orders, two of them spoiled: an overflowing price, a due date in the year
/// 262143.
fn hostile_orders() -> (Vec<Order>, [String; 2]) {
    let mut orders: Vec<Order> = sellerdesk_sim::demo_orders(Utc::now())
        .into_iter()
        .filter(|o| o.status.is_active())
        .take(5)
        .collect();
    orders[1].base_price_minor = i64::MAX;
    orders[3].due_at = DateTime::<Utc>::MAX_UTC;
    let bad = [orders[1].id.clone(), orders[3].id.clone()];
    (orders, bad)
}

fn open(path: &std::path::Path, base_url: &str) -> Workspace {
    Workspace::open(
        path,
        vec![(Account::new("acct", "Hostile", base_url), "t".into())],
        false,
        system_clock(),
    )
    .expect("the workspace opens")
}

#[tokio::test]
async fn absurd_orders_are_named_the_rest_sync_and_the_app_reopens() {
    let (orders, bad) = hostile_orders();
    let mut absurd_rules = good_profile();
    absurd_rules.review_window_days = u32::MAX;
    absurd_rules.request_expiry_hours = u32::MAX;
    let routes = Arc::new(Mutex::new(HashMap::from([
        ("/v1/profile".to_string(), json(&absurd_rules)),
        ("/v1/orders".to_string(), json(&page(orders.clone()))),
    ])));
    let base = serve(routes.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sellerdesk.db");

    let ws = open(&db, &base);
    let round = ws.sync_once().await;
    assert!(
        round.error.is_none(),
        "absurd values are not a sync failure: {:?}",
        round.error
    );
    let check = |ws: &Workspace| {
        let rows = ws.order_rows().expect("the list is shown");
        assert_eq!(
            rows.len(),
            5,
            "three good orders and two named problems: {rows:#?}"
        );
        for id in &bad {
            let row = rows
                .iter()
                .find(|r| &r.id == id)
                .expect("the bad order has a row");
            assert_eq!(
                row.status,
                sellerdesk_core::view::RowStatus::Problem,
                "{id} is marked as a problem"
            );
            assert!(
                row.problem
                    .as_deref()
                    .is_some_and(|p| p.contains("could not be read")),
                "{id} says why: {row:?}"
            );
        }
        let good: Vec<_> = rows.iter().filter(|r| r.problem.is_none()).collect();
        assert_eq!(good.len(), 3, "every other order is listed");
        let detail = ws
            .order_detail("acct", &bad[0])
            .expect_err("a refused order has no detail");
        assert!(
            detail.message.contains("base_price_minor"),
            "the detail names the field: {detail:?}"
        );
        assert!(
            ws.store().profile("acct").unwrap().is_none(),
            "absurd rules are never stored"
        );
        ws.earnings_of(chrono::FixedOffset::east_opt(0).unwrap(), None)
            .expect("earnings work with the good orders");
    };
    check(&ws);
    assert!(
        ws.store()
            .sync_state("acct")
            .unwrap()
            .last_error
            .unwrap()
            .contains("review_window_days"),
        "the refused rules are reported on the account"
    );
    drop(ws);

    // A restart, offline: the same list, no crash.
    let ws = open(&db, "http://127.0.0.1:9");
    check(&ws);
    drop(ws);

    // The marketplace fixes the orders and the rules: the problems clear themselves.
    let fixed: Vec<Order> = sellerdesk_sim::demo_orders(Utc::now())
        .into_iter()
        .filter(|o| o.status.is_active())
        .take(5)
        .map(|mut o| {
            o.seq += 1000;
            o
        })
        .collect();
    {
        let mut r = routes.lock().unwrap();
        r.insert("/v1/profile".into(), json(&good_profile()));
        r.insert("/v1/orders".into(), json(&page(fixed)));
    }
    let ws = open(&db, &base);
    ws.store()
        .save_sync_state("acct", &Default::default())
        .unwrap();
    assert!(ws.sync_once().await.error.is_none());
    let rows = ws.order_rows().unwrap();
    assert!(
        rows.iter().all(|r| r.problem.is_none()),
        "valid versions clear the problems: {rows:#?}"
    );
    assert!(
        ws.store().profile("acct").unwrap().is_some(),
        "good rules are stored"
    );
    ws.order_detail("acct", &bad[0])
        .expect("the fixed order opens");
}

#[tokio::test]
async fn a_refused_token_keeps_queued_actions_pending_and_asks_to_sign_in() {
    let orders: Vec<Order> = sellerdesk_sim::demo_orders(Utc::now());
    let routes = Arc::new(Mutex::new(HashMap::from([
        ("/v1/profile".to_string(), json(&good_profile())),
        ("/v1/orders".to_string(), json(&page(orders.clone()))),
    ])));
    let base = serve(routes.clone()).await;
    let ws = common::workspace(&base, "t");
    assert!(ws.sync_once().await.error.is_none(), "first sync");
    let order = orders.iter().find(|o| o.status.is_active()).unwrap();
    ws.enqueue_action(
        "acct",
        &order.id,
        &OrderAction::SendMessage { text: "hi".into() },
    )
    .unwrap();
    ws.enqueue_action(
        "acct",
        &order.id,
        &OrderAction::SendMessage {
            text: "again".into(),
        },
    )
    .unwrap();

    // The token is revoked: every route answers 401.
    let revoked = Canned {
        status: 401,
        headers: vec![("Content-Type".into(), "application/problem+json".into())],
        body: br#"{"title":"Unauthorized","status":401,"detail":"token revoked"}"#.to_vec(),
    };
    let action_path = format!("/v1/orders/{}/actions", order.id);
    {
        let mut r = routes.lock().unwrap();
        for path in ["/v1/profile", "/v1/orders", action_path.as_str()] {
            r.insert(path.to_string(), revoked.clone());
        }
    }
    let round = ws.sync_once().await;
    assert!(
        round.error.as_ref().is_some_and(|e| e.is_unauthorized()),
        "{:?}",
        round.error
    );
    let pending = ws.store().pending_actions("acct").unwrap();
    assert_eq!(pending.len(), 2, "both actions wait, none refused");
    assert!(pending.iter().all(|i| i.state == OutboxState::Pending));
    let status = ws.status_after(&round, None);
    assert_eq!(status.state, SyncState::SignIn, "{status:?}");
    assert!(
        status.message.contains("Sign in again to Test"),
        "names the account: {status:?}"
    );
}

#[tokio::test]
async fn oversized_bodies_and_wild_clocks_are_refused_clearly() {
    let routes = Arc::new(Mutex::new(HashMap::from([
        ("/v1/profile".to_string(), json(&good_profile())),
        (
            "/v1/orders".to_string(),
            Canned {
                status: 200,
                headers: vec![
                    ("Content-Type".into(), "application/json".into()),
                    // A server clock a year ahead of this device.
                    (
                        "Date".into(),
                        (Utc::now() + Duration::days(365))
                            .to_rfc2822()
                            .replace("+0000", "GMT"),
                    ),
                ],
                body: serde_json::to_vec(&page(vec![])).unwrap(),
            },
        ),
    ])));
    let base = serve(routes.clone()).await;
    let ws = common::workspace(&base, "t");
    assert!(ws.sync_once().await.error.is_none());
    assert_eq!(
        ws.store().sync_state("acct").unwrap().clock_offset_ms,
        0,
        "a clock a year off is ignored, not stored"
    );

    // A page larger than the cap is refused with a clear error, before decoding.
    let huge = vec![b' '; sellerdesk_core::api::MAX_PAGE_BYTES + 1];
    routes.lock().unwrap().insert(
        "/v1/orders".into(),
        Canned {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: huge,
        },
    );
    ws.store()
        .save_sync_state("acct", &Default::default())
        .unwrap();
    let err = ws
        .sync_once()
        .await
        .error
        .expect("an oversized page fails the sync");
    assert!(err.to_string().contains("too large"), "{err}");
    // The store is untouched and still opens.
    assert!(Store::open_in_memory().is_ok());
}
