//! The order change feed over HTTP: walking every page by cursor, changes reappearing
//! after the cursor, and refused cursors and limits.

mod common;

use common::{Api, demo_sim, expect_problem, start};
use reqwest::StatusCode;
use sellerdesk_api::{OrderPage, OrderStatus};
use sellerdesk_sim::SimConfig;

async fn page(api: &Api, since: Option<&str>, limit: u32) -> OrderPage {
    let mut query = vec![("limit", limit.to_string())];
    if let Some(since) = since {
        query.push(("since", since.to_string()));
    }
    let response = Api::send(api.get("/v1/orders").query(&query)).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "page since {since:?} limit {limit}"
    );
    response.json().await.expect("an OrderPage body")
}

#[tokio::test]
async fn paging_by_seven_walks_all_thirty_orders_once_in_seq_order() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let (mut cursor, mut seen, mut pages) = (None::<String>, Vec::new(), 0);
    loop {
        let page = page(&api, cursor.as_deref(), 7).await;
        pages += 1;
        assert!(
            page.orders.len() <= 7,
            "a page holds at most `limit` orders"
        );
        if let Some(last) = page.orders.last() {
            assert_eq!(
                page.next_cursor,
                last.seq.to_string(),
                "the cursor is the last seq returned"
            );
        }
        seen.extend(page.orders);
        cursor = Some(page.next_cursor);
        if !page.has_more {
            break;
        }
        assert!(pages < 10, "paging must end");
    }
    assert_eq!(pages, 5, "30 orders at 7 per page take 5 pages");
    let seqs: Vec<u64> = seen.iter().map(|o| o.seq).collect();
    assert_eq!(
        seqs,
        (1..=30).collect::<Vec<_>>(),
        "every order once, by ascending seq"
    );
    let ids: Vec<String> = seen.iter().map(|o| o.id.clone()).collect();
    let want: Vec<String> = (1001..=1030).map(|n| format!("D-{n}")).collect();
    assert_eq!(ids, want, "seq order is id order in the demo data");
    let after = page(&api, cursor.as_deref(), 7).await;
    assert!(after.orders.is_empty(), "nothing after the last cursor");
    assert_eq!(
        after.next_cursor, "30",
        "an empty page hands back the cursor it was given"
    );
    assert!(!after.has_more);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_changed_order_reappears_after_the_cursor_with_a_higher_seq() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let all = page(&api, None, 100).await;
    assert_eq!(
        (all.orders.len(), all.next_cursor.as_str()),
        (30, "30"),
        "one page of 100 holds the demo"
    );

    // Less than an hour: D-1017's demo request expires 1 h after start and would
    // change that order too.
    sim.handle().advance_clock(chrono::Duration::minutes(30));
    let changed = sim
        .handle()
        .set_status("D-1005", OrderStatus::InProgress)
        .expect("D-1005 exists");
    let delta = page(&api, Some(&all.next_cursor), 100).await;
    assert_eq!(
        delta.orders,
        vec![changed.clone()],
        "only the changed order follows the cursor"
    );
    assert_eq!(
        delta.orders[0].seq, 31,
        "a change takes a seq above every earlier one"
    );
    assert_eq!(delta.orders[0].status, OrderStatus::InProgress);
    assert_eq!(delta.next_cursor, "31");
    assert!(
        (changed.updated_at - sim.handle().now())
            .num_seconds()
            .abs()
            <= 1,
        "updated_at is the simulator's clock at the change"
    );

    let mut new = changed.clone();
    new.id = "D-2000".into();
    let stored = sim.handle().upsert_order(new);
    let delta = page(&api, Some("31"), 100).await;
    assert_eq!(
        delta.orders,
        vec![stored],
        "an upserted order shows up after the last cursor"
    );
    let full = page(&api, None, 500).await;
    assert_eq!(
        full.orders.len(),
        31,
        "a change replaces its order, it does not duplicate it"
    );
    assert_eq!(full.orders.iter().filter(|o| o.id == "D-1005").count(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_default_limit_is_100_and_an_empty_server_pages_from_zero() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    let page: OrderPage = api.json("/v1/orders").await;
    assert_eq!(
        page.orders.len(),
        30,
        "no since and no limit: everything up to 100"
    );
    assert!(!page.has_more);
    sim.shutdown().await;

    let mut config = SimConfig::demo(start());
    config.demo_data = false;
    let empty = common::sim(config).await;
    assert!(
        empty.handle().orders().is_empty(),
        "demo_data false starts empty"
    );
    let api = Api::new(&empty);
    let page: OrderPage = api.json("/v1/orders").await;
    assert_eq!(
        (page.orders.len(), page.next_cursor.as_str(), page.has_more),
        (0, "0", false)
    );
    empty.shutdown().await;
}

#[tokio::test]
async fn malformed_cursors_and_limits_are_400_problems() {
    let sim = demo_sim().await;
    let api = Api::new(&sim);
    // (parameter, value, word the detail must contain)
    let cases: [(&str, &str, &str); 11] = [
        ("since", "abc", "cursor"),
        ("since", "-1", "cursor"),
        ("since", "", "cursor"),
        ("since", "1.5", "cursor"),
        ("since", "99999999999999999999999", "cursor"),
        ("since", "MzA=", "cursor"),
        ("limit", "0", "limit"),
        ("limit", "501", "limit"),
        ("limit", "-3", "limit"),
        ("limit", "ten", "limit"),
        ("limit", "4294967296", "limit"),
    ];
    for (name, value, word) in cases {
        let response = Api::send(api.get("/v1/orders").query(&[(name, value)])).await;
        let what = format!("{name}={value:?}");
        let problem = expect_problem(response, StatusCode::BAD_REQUEST, &what).await;
        assert!(
            problem.detail.unwrap_or_default().contains(word),
            "{what}: the detail must say the {word} is wrong"
        );
    }
    for limit in ["1", "500"] {
        let response = Api::send(api.get("/v1/orders").query(&[("limit", limit)])).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "limit={limit} is within 1..=500"
        );
    }
    sim.shutdown().await;
}
