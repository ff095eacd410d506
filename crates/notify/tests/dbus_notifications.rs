//! Notifications end to end on a real D-Bus session bus: a private one per test (the test
//! binary re-runs itself under `dbus-run-session`), a fake freedesktop notification server
//! on it, the real marketplace simulator, and a Workspace synced from it. The crate must
//! show exactly the demo's due alerts with their buttons, and a button pressed on the
//! server must reach the simulator through the outbox.

mod support;

use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{Duration as Span, Utc};
use sellerdesk_api::{OrderAction, OrderStatus, RequestState};
use sellerdesk_core::Workspace;
use sellerdesk_core::alerts::{Alert, AlertKind};
use sellerdesk_core::detail::{Id, SellerAction};
use sellerdesk_core::store::{Account, Store};
use sellerdesk_core::system_clock;
use sellerdesk_notify::{MissingService, Outcome, show_and_wait};
use sellerdesk_sim::SimConfig;
use support::fake_server::{FakeServer, Shown};
use support::on_private_bus;

type Result = std::result::Result<Outcome, notify_rust::error::Error>;

/// What the crate calls back: how often the sync was woken, which alerts were opened.
#[derive(Default)]
struct Calls {
    wakes: Mutex<usize>,
    opened: Mutex<Vec<String>>,
}

/// Shows `alert` on its own thread (waiting for a button blocks, as in the app).
fn show(ws: &Arc<Workspace>, calls: &Arc<Calls>, alert: &Alert) -> Receiver<Result> {
    let (tx, rx) = mpsc::channel();
    let (ws, calls, alert) = (ws.clone(), calls.clone(), alert.clone());
    std::thread::spawn(move || {
        // What the app's `Desk::perform` does: queue the checked action, wake the sync.
        let act = |a: &Alert, action: &SellerAction| {
            ws.enqueue_action(&a.account_id, &a.order_id, &action.to_wire()?)?;
            *calls.wakes.lock().unwrap() += 1;
            Ok(())
        };
        let open = |a: &Alert| calls.opened.lock().unwrap().push(a.key.clone());
        let _ = tx.send(show_and_wait(&alert, &act, &open));
    });
    rx
}

/// Sends `signal` until `shown` returns. notify-rust subscribes to the signals only after
/// `Notify` returned, so a single early signal could pass unseen; the handler runs once,
/// so repeating cannot act twice.
fn answer(signal: impl Fn(), shown: &Receiver<Result>) -> Outcome {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        signal();
        match shown.recv_timeout(Duration::from_millis(100)) {
            Ok(result) => return result.expect("the notification was shown"),
            Err(RecvTimeoutError::Timeout) if Instant::now() < deadline => {}
            Err(e) => panic!("show_and_wait did not return after the signal: {e}"),
        }
    }
}

/// (summary, body, actions, category, urgency, expire_timeout) of each notification.
type Expected = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    i32,
);

const OPEN: &[&str] = &["default", "Open order"];
const ANSWER: &[&str] = &[
    "accept",
    "Accept",
    "decline",
    "Decline",
    "default",
    "Open order",
];
/// A new order: Accept here; declining it asks first, in the window.
const ACCEPT: &[&str] = &["accept", "Accept", "default", "Open order"];
/// A cancel request: Decline here; accepting it refunds the buyer, so it asks first.
const DECLINE: &[&str] = &["decline", "Decline", "default", "Open order"];
const REQUEST: &str = "x-sellerdesk.request";
const ORDER: &str = "x-sellerdesk.order";
const DELIVERY: &str = "x-sellerdesk.delivery";
/// The freedesktop urgency byte.
const NORMAL: &str = "1";
const CRITICAL: &str = "2";

/// The demo marketplace's due alerts 90 s after its start, sorted by summary and body.
/// A request the seller can answer stays (timeout 0 = never); the rest use the server's
/// default (-1).
#[rustfmt::skip]
const DEMO: &[Expected] = &[
    ("D-1002 is late", "Podcast episode edit (45 min) was due 3 h ago.", OPEN, DELIVERY, CRITICAL, -1),
    ("D-1004 is due in 23 h", "Voice-over for a 60-second explainer video", OPEN, DELIVERY, NORMAL, -1),
    ("D-1014 is late", "Migrate WordPress site to a new host was due 72 h ago.", OPEN, DELIVERY, CRITICAL, -1),
    ("New order from Mika Virtanen", "Illustrated book cover", ACCEPT, ORDER, NORMAL, 0),
    ("New order from Mika Virtanen", "Local SEO setup: Google Business Profile", ACCEPT, ORDER, NORMAL, 0),
    ("New order from Oliver Brown", "Fix mobile menu on a WordPress theme", ACCEPT, ORDER, NORMAL, 0),
    ("New order from Tom Harris", "Fix WordPress white screen after plugin update", ACCEPT, ORDER, NORMAL, 0),
    ("New request on D-1007", "Amélie Dubois: Our rebrand is on hold; can we cancel the style guide?\nIf unanswered, the order is canceled and the buyer refunded.", DECLINE, REQUEST, NORMAL, 0),
    ("New request on D-1010", "José Álvarez: Could you deliver two days earlier? The video goes live on Friday.\nIf unanswered, the request is canceled and the order stays as it is.", ANSWER, REQUEST, NORMAL, 0),
    ("New request on D-1017", "Amélie Dubois: How are the templates coming along? A first draft would help.", OPEN, REQUEST, NORMAL, -1),
    ("Request on D-1010 expires in 7 h", "Spanish subtitles for a YouTube video — answer before it expires.\nIf unanswered, the request is canceled and the order stays as it is.", ANSWER, REQUEST, CRITICAL, 0),
    ("Request on D-1017 expires in 58 min", "Instagram carousel templates (10) — answer before it expires.", OPEN, REQUEST, CRITICAL, -1),
];

/// The notifications by (summary, body): an alert's (title, body) is unique.
fn by_text(shown: &[Shown]) -> BTreeMap<(String, String), Shown> {
    shown
        .iter()
        .map(|s| ((s.summary.clone(), s.body.clone()), s.clone()))
        .collect()
}

#[test]
fn demo_alerts_are_shown_once_and_accept_reaches_the_marketplace() {
    if !on_private_bus("demo_alerts_are_shown_once_and_accept_reaches_the_marketplace") {
        return;
    }
    let started = Instant::now();
    let server = FakeServer::start();
    assert_eq!(
        notify_rust::get_capabilities().unwrap(),
        ["actions", "body"],
        "the fake server answers as a freedesktop server"
    );
    assert_eq!(notify_rust::get_server_information().unwrap().name, "fake");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = rt
        .block_on(sellerdesk_sim::spawn(
            SimConfig::demo(Utc::now()),
            ([127, 0, 0, 1], 0).into(),
        ))
        .unwrap();
    // The demo puts deadlines exactly on thresholds at its start (D-1017's request
    // crosses its 1 h one, D-1004's delivery its 24 h one) and the app's marketplace
    // clock comes from a whole-second Date header, so planning at the start itself would
    // flip between two thresholds. 90 s later, every label is the same on every run.
    sim.handle().advance_clock(Span::seconds(90));
    let ws = Arc::new(
        Workspace::with_store(
            Store::open_in_memory().unwrap(),
            vec![(
                Account::new("acct", "Demo", &sim.base_url()),
                sim.token().to_string(),
            )],
            false,
            system_clock(),
        )
        .unwrap(),
    );
    assert!(
        rt.block_on(ws.sync_once()).error.is_none(),
        "the first sync"
    );

    let alerts = ws.take_due_alerts(*chrono::Local::now().offset()).unwrap();
    let calls = Arc::new(Calls::default());
    let mut waiting: HashMap<String, Receiver<Result>> = alerts
        .iter()
        .map(|a| (a.key.clone(), show(&ws, &calls, a)))
        .collect();
    let shown = server.wait_for(alerts.len());
    assert_eq!(shown.len(), alerts.len(), "one notification per due alert");
    let mut got: Vec<_> = shown
        .iter()
        .map(|s| {
            (
                s.summary.as_str(),
                s.body.as_str(),
                s.actions.iter().map(String::as_str).collect::<Vec<_>>(),
                s.hints["category"].as_str(),
                s.hints["urgency"].as_str(),
                s.expire_timeout,
            )
        })
        .collect();
    got.sort();
    let want: Vec<_> = DEMO
        .iter()
        .map(|&(summary, body, actions, category, urgency, timeout)| {
            (summary, body, actions.to_vec(), category, urgency, timeout)
        })
        .collect();
    assert_eq!(
        got, want,
        "exactly the demo's due alerts, with their buttons"
    );
    for s in &shown {
        assert_eq!(s.app_name, "sellerdesk");
        assert_eq!(
            s.hints.get("desktop-entry").map(String::as_str),
            Some("sellerdesk"),
            "grouped under the app's desktop entry"
        );
        assert_eq!(s.hints.len(), 3, "no other hints: {:?}", s.hints);
    }

    // A second pass raises nothing and shows nothing.
    let again = ws.take_due_alerts(*chrono::Local::now().offset()).unwrap();
    assert!(again.is_empty(), "nothing is raised twice: {again:#?}");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(server.shown().len(), shown.len(), "nothing is shown twice");
    let shown = by_text(&shown);
    assert_eq!(
        shown.len(),
        alerts.len(),
        "each notification is told apart by its text"
    );
    let id_for = |alert: &Alert| shown[&(alert.title.clone(), alert.body.clone())].id;
    let id_of = |kind: AlertKind, order: &str| {
        let alert = alerts
            .iter()
            .find(|a| a.kind == kind && a.order_id == order)
            .unwrap_or_else(|| panic!("a {kind:?} alert on {order}"));
        (alert.clone(), id_for(alert))
    };

    // Accept on D-1010's notification: queued, the sync woken, the order opened.
    let (d1010, id) = id_of(AlertKind::RequestExpiring, "D-1010");
    let request_id = d1010.request_id.clone().unwrap();
    let (keys_before, applied_before) = sim.handle().action_counts();
    let outcome = answer(
        || server.invoke(id, "accept"),
        &waiting.remove(&d1010.key).unwrap(),
    );
    let accept = OrderAction::AcceptRequest {
        request_id: request_id.clone(),
    };
    assert_eq!(
        outcome,
        Outcome::Queued(SellerAction::AcceptRequest {
            request_id: Id::try_from(request_id.as_str()).unwrap()
        })
    );
    assert_eq!(*calls.wakes.lock().unwrap(), 1, "the sync is woken once");
    assert_eq!(
        *calls.opened.lock().unwrap(),
        std::slice::from_ref(&d1010.key),
        "the window shows the answered order"
    );
    let pending = ws.store().pending_actions("acct").unwrap();
    assert_eq!(pending.len(), 1, "one action in the outbox: {pending:?}");
    assert_eq!(
        (pending[0].order_id.as_str(), &pending[0].action),
        ("D-1010", &accept)
    );

    assert!(
        rt.block_on(ws.sync_once()).error.is_none(),
        "the sync pushes it"
    );
    let order = sim.handle().order("D-1010").unwrap();
    let request = order.requests.iter().find(|r| r.id == request_id).unwrap();
    assert_eq!(
        request.state,
        RequestState::Accepted,
        "the simulator accepted the request"
    );
    assert_eq!(
        sim.handle().action_counts(),
        (keys_before + 1, applied_before + 1),
        "exactly one action reached the marketplace, and it applied"
    );
    assert!(ws.store().pending_actions("acct").unwrap().is_empty());

    // The buyer's cancel request (D-1007) offers no Accept (it would refund the buyer
    // without asking, see DEMO): Decline answers it, once.
    let (d1007, id) = id_of(AlertKind::RequestReceived, "D-1007");
    let cancel_id = d1007.request_id.clone().unwrap();
    let waiting_d1007 = waiting.remove(&d1007.key).unwrap();
    let outcome = answer(|| server.invoke(id, "decline"), &waiting_d1007);
    assert_eq!(
        outcome,
        Outcome::Queued(SellerAction::DeclineRequest {
            request_id: Id::try_from(cancel_id.as_str()).unwrap()
        }),
        "Decline on a cancel request declines that request"
    );
    assert!(
        rt.block_on(ws.sync_once()).error.is_none(),
        "the sync pushes it"
    );
    let order = sim.handle().order("D-1007").unwrap();
    assert_eq!(
        order
            .requests
            .iter()
            .find(|r| r.id == cancel_id)
            .unwrap()
            .state,
        RequestState::Declined,
        "the simulator declined the buyer's cancel request"
    );
    assert!(order.status.is_active(), "and the order goes on");
    assert_eq!(
        sim.handle().action_counts(),
        (keys_before + 2, applied_before + 2),
        "the answer reached the marketplace once"
    );

    // A click on D-1002's body opens the order and queues nothing.
    let (d1002, id) = id_of(AlertKind::DeliveryLate, "D-1002");
    let outcome = answer(
        || server.invoke(id, "default"),
        &waiting.remove(&d1002.key).unwrap(),
    );
    assert_eq!(outcome, Outcome::Opened);
    assert_eq!(
        calls.opened.lock().unwrap().last(),
        Some(&d1002.key),
        "the body click opens that order"
    );
    assert_eq!(
        *calls.wakes.lock().unwrap(),
        2,
        "a body click wakes no sync"
    );
    assert!(
        ws.store().pending_actions("acct").unwrap().is_empty(),
        "a body click queues nothing"
    );

    // D-1003's notification dismissed: nothing opened, nothing queued.
    let opened = calls.opened.lock().unwrap().len();
    let (d1003, id) = id_of(AlertKind::NewOrder, "D-1003");
    let outcome = answer(|| server.dismiss(id), &waiting.remove(&d1003.key).unwrap());
    assert_eq!(outcome, Outcome::Dismissed);
    assert_eq!(
        calls.opened.lock().unwrap().len(),
        opened,
        "dismissing opens nothing"
    );
    assert!(
        ws.store().pending_actions("acct").unwrap().is_empty(),
        "dismissing queues nothing"
    );

    // The rest are dismissed too, so every waiting thread ends.
    for (key, rx) in waiting {
        let alert = alerts.iter().find(|a| a.key == key).unwrap();
        let outcome = answer(|| server.dismiss(id_for(alert)), &rx);
        assert_eq!(outcome, Outcome::Dismissed, "{key}");
    }
    assert_eq!(
        *calls.wakes.lock().unwrap(),
        2,
        "only the two Accepts woke the sync"
    );
    rt.block_on(sim.shutdown());
    eprintln!("on the private bus in {:?}", started.elapsed());
}

#[test]
fn a_new_hostjane_order_is_accepted_from_its_notification_once() {
    if !on_private_bus("a_new_hostjane_order_is_accepted_from_its_notification_once") {
        return;
    }
    let server = FakeServer::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut config = SimConfig::demo(Utc::now());
    config.profile_id = "hostjane".to_string();
    let sim = rt
        .block_on(sellerdesk_sim::spawn(config, ([127, 0, 0, 1], 0).into()))
        .unwrap();
    let ws = Arc::new(
        Workspace::with_store(
            Store::open_in_memory().unwrap(),
            vec![(
                Account::new("acct", "HostJane", &sim.base_url()),
                sim.token().to_string(),
            )],
            false,
            system_clock(),
        )
        .unwrap(),
    );
    assert!(
        rt.block_on(ws.sync_once()).error.is_none(),
        "the first sync"
    );
    let alerts = ws.take_due_alerts(*chrono::Local::now().offset()).unwrap();
    let new_order = alerts
        .iter()
        .find(|a| a.kind == AlertKind::NewOrder)
        .expect("a new HostJane order is alerted")
        .clone();
    let labels: Vec<&str> = new_order.actions.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        labels,
        ["accept", "default"],
        "HostJane lets the seller accept a new order from the notification (declining asks first, in the window)"
    );
    let calls = Arc::new(Calls::default());
    let waiting = show(&ws, &calls, &new_order);
    let shown = server.wait_for(1);
    let id = shown
        .iter()
        .find(|s| s.summary == new_order.title && s.body == new_order.body)
        .expect("the notification is shown")
        .id;
    let (keys_before, applied_before) = sim.handle().action_counts();
    let outcome = answer(|| server.invoke(id, "accept"), &waiting);
    assert_eq!(outcome, Outcome::Queued(SellerAction::Accept));
    assert!(
        rt.block_on(ws.sync_once()).error.is_none(),
        "the sync pushes it"
    );
    assert_eq!(
        sim.handle().order(&new_order.order_id).unwrap().status,
        OrderStatus::Accepted,
        "the simulator accepted the order"
    );
    assert_eq!(
        sim.handle().action_counts(),
        (keys_before + 1, applied_before + 1),
        "one Accept, applied once"
    );
    rt.block_on(sim.shutdown());
}

/// Log lines written while a test runs.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn without_a_notification_server_showing_fails_and_is_logged_once() {
    if !on_private_bus("without_a_notification_server_showing_fails_and_is_logged_once") {
        return;
    }
    let logs = Logs::default();
    let writer = logs.clone();
    let _guard = tracing::subscriber::set_default(
        tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish(),
    );
    let alert = Alert {
        key: "acct/D-1/new".into(),
        kind: AlertKind::NewOrder,
        account_id: "acct".into(),
        order_id: "D-1".into(),
        request_id: None,
        title: "New order from Ann".into(),
        body: "Logo".into(),
        actions: vec![("default".into(), "Open order".into())],
    };
    let missing = MissingService::new();
    let opened = Mutex::new(0);
    for attempt in 0..3 {
        let error = show_and_wait(&alert, &|_, _| panic!("nothing to act on"), &|_| {
            *opened.lock().unwrap() += 1
        })
        .expect_err("no server owns org.freedesktop.Notifications on this bus");
        eprintln!("attempt {attempt}: {error}");
        assert!(
            error.to_string().contains("org.freedesktop.Notifications"),
            "the error names the missing service: {error}"
        );
        assert_eq!(
            missing.report(&error),
            attempt == 0,
            "logged on the first failure only"
        );
    }
    assert_eq!(*opened.lock().unwrap(), 0);
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert_eq!(
        logs.matches("no notification service").count(),
        1,
        "the missing service is logged once, not per alert: {logs}"
    );
}
