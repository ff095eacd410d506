//! End-to-end: the seller's actions through the real window reach the marketplace once —
//! accepting an order, delivering a file picked in the system dialog, a chat message, a
//! progress update, one reply to a completed order's review found through the filters,
//! and a dispute — checked on the simulator's side.

#[path = "e2e/window.rs"]
mod window;

use std::time::Duration;

use window::{ONE_WINDOW, Window};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_a_new_order_in_the_window_reaches_the_marketplace_once() {
    let _one = ONE_WINDOW.lock().await;
    let (sim, w) = Window::launch_on_demo_sim().await;
    let s = &w.session;
    let row = "[data-order-id='D-1003']";
    s.wait_text(
        &format!("{row} [data-testid=order-title]"),
        Duration::from_secs(60),
    )
    .await
    .expect("the new order D-1003 is listed");
    assert_eq!(
        s.attribute(&s.find_all(row).await.unwrap()[0], "data-status")
            .await
            .unwrap()
            .as_deref(),
        Some("awaiting_acceptance")
    );
    let title = s
        .find_all(&format!("{row} [data-testid=order-title]"))
        .await
        .unwrap();
    s.click(&title[0]).await.unwrap();
    let accept = s
        .wait_for(
            "an enabled Accept button",
            Duration::from_secs(20),
            || async {
                let buttons = s
                    .find_all(
                        "[data-testid=order-detail] [data-action=accept] button:not([disabled])",
                    )
                    .await?;
                Ok(buttons.first().cloned())
            },
        )
        .await
        .expect("a new order can be accepted");
    // The badge counts new orders and open buyer requests; D-1003 is one of them.
    let badge_count = || async {
        let el = s.find_all("[data-testid=needs-response]").await?;
        Ok::<_, anyhow::Error>(match el.first() {
            Some(el) => s
                .attribute(el, "data-count")
                .await?
                .and_then(|c| c.parse::<usize>().ok()),
            None => Some(0),
        })
    };
    let before = s
        .wait_for("the badge", Duration::from_secs(20), || async {
            Ok(badge_count().await?.filter(|n| *n > 0))
        })
        .await
        .expect("the demo has items waiting for an answer");
    s.click(&accept).await.unwrap();

    let handle = sim.handle();
    s.wait_for(
        "the marketplace to apply the accept",
        Duration::from_secs(30),
        || {
            let handle = handle.clone();
            async move {
                Ok((handle.order("D-1003").map(|o| o.status)
                    == Some(sellerdesk_api::OrderStatus::Accepted))
                .then_some(()))
            }
        },
    )
    .await
    .expect("the click reaches the marketplace through the outbox");
    s.wait_for(
        "the row to show the accepted order",
        Duration::from_secs(30),
        || async {
            let rows = s.find_all(row).await?;
            let status = match rows.first() {
                Some(r) => s.attribute(r, "data-status").await?,
                None => None,
            };
            Ok((status.as_deref() == Some("accepted")).then_some(()))
        },
    )
    .await
    .expect("the window shows the order as accepted after sync");
    assert_eq!(
        sim.handle().action_counts(),
        (1, 1),
        "one click, one action applied once"
    );
    s.wait_for(
        "the badge to drop the accepted order",
        Duration::from_secs(30),
        || async { Ok((badge_count().await? == Some(before - 1)).then_some(())) },
    )
    .await
    .expect("the badge follows the answered order");
    w.screenshot("accepted.png").await;
    w.session.close().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_picked_in_the_system_dialog_is_uploaded_and_delivered_once() {
    let _one = ONE_WINDOW.lock().await;
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("logo-final.zip");
    let bytes: Vec<u8> = (0..3 * 1024 * 1024 + 123)
        .map(|i| (i % 253) as u8)
        .collect();
    std::fs::write(&file, &bytes).unwrap();
    let (sim, w) = Window::launch_on_demo_sim().await;
    let s = &w.session;
    w.open_order("D-1001").await;
    let deliver = s
        .wait_first(
            "[data-testid=order-detail] [data-action=deliver] button:not([disabled])",
            Duration::from_secs(20),
        )
        .await
        .expect("an order in progress can be delivered");
    s.click(&deliver).await.unwrap();
    let pick = s
        .wait_first("[data-testid=delivery-pick]", Duration::from_secs(10))
        .await
        .expect("Deliver now opens the composer");
    s.click(&pick).await.unwrap();
    let display = w.display().to_string();
    let chosen = file.clone();
    tokio::task::spawn_blocking(move || {
        sellerdesk_tests::display::choose_in_file_dialog(
            &display,
            "Files to deliver",
            &chosen,
            Duration::from_secs(20),
        )
    })
    .await
    .unwrap()
    .expect("the system file dialog takes the file");
    let attached = s
        .wait_for("the attached file", Duration::from_secs(20), || async {
            let files = s.find_all("[data-testid=delivery-file]").await?;
            match files.first() {
                Some(f) => Ok(s.attribute(f, "data-path").await?),
                None => Ok(None),
            }
        })
        .await
        .expect("the picked file is listed in the composer");
    assert_eq!(attached, file.display().to_string());
    s.fill(
        "[data-testid=delivery-description]",
        "The final logo, three sizes",
    )
    .await
    .unwrap();
    w.screenshot("composer.png").await;
    let send = s
        .wait_first(
            "[data-testid=delivery-send]:not([disabled])",
            Duration::from_secs(10),
        )
        .await
        .expect("a described delivery with a file can be sent");
    s.click(&send).await.unwrap();
    let row = "[data-order-id='D-1001']";
    s.wait_for(
        "the order to show as delivered",
        Duration::from_secs(60),
        || async {
            let rows = s.find_all(row).await?;
            let status = match rows.first() {
                Some(r) => s.attribute(r, "data-status").await?,
                None => None,
            };
            Ok((status.as_deref() == Some("delivered")).then_some(()))
        },
    )
    .await
    .expect("the file is uploaded and the delivery synced");
    let delivered = sim.handle().deliveries("D-1001");
    assert_eq!(delivered.len(), 1, "delivered exactly once");
    let files: Vec<(String, u64)> = delivered[0]
        .files
        .iter()
        .map(|f| (f.name.clone(), f.size))
        .collect();
    assert_eq!(
        files,
        vec![("logo-final.zip".to_string(), bytes.len() as u64)]
    );
    assert_eq!(delivered[0].description, "The final logo, three sizes");
    let upload = sim
        .handle()
        .uploads()
        .into_iter()
        .next()
        .expect("the upload");
    assert_eq!(upload.sha256, {
        use sha2::Digest as _;
        hex::encode(sha2::Sha256::digest(&bytes))
    });

    s.click(&s.find_all("[data-testid=tab-uploads]").await.unwrap()[0])
        .await
        .unwrap();
    let state = s
        .wait_for("the uploads tab", Duration::from_secs(10), || async {
            let rows = s.find_all("[data-testid=upload]").await?;
            match rows.first() {
                Some(r) => s.attribute(r, "data-state").await,
                None => Ok(None),
            }
        })
        .await
        .expect("the upload is listed");
    assert_eq!(state, "done");
    w.screenshot("uploads.png").await;
    w.session.close().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_message_sent_from_the_order_reaches_the_marketplace_once() {
    let _one = ONE_WINDOW.lock().await;
    let (sim, w) = Window::launch_on_demo_sim().await;
    let s = &w.session;
    w.open_order("D-1001").await;
    let before = sim.handle().order("D-1001").unwrap().messages.len();
    let shown = s
        .wait_for("the demo conversation", Duration::from_secs(20), || async {
            let m = s.find_all("[data-testid=chat-message]").await?;
            Ok((!m.is_empty()).then_some(m.len()))
        })
        .await
        .expect("the order's chat is shown");
    assert_eq!(shown, before, "every message of the order is shown");
    s.fill(
        "[data-testid=chat-input]",
        "The dark version is on its way.",
    )
    .await
    .unwrap();
    let send = s
        .wait_first(
            "[data-testid=chat-send]:not([disabled])",
            Duration::from_secs(10),
        )
        .await
        .unwrap();
    s.click(&send).await.unwrap();
    s.wait_for(
        "the message to be sent and pulled back",
        Duration::from_secs(30),
        || async {
            let sent = s
                .find_all("[data-testid=chat-message][data-from=seller][data-pending=false]")
                .await?;
            let mut found = false;
            for m in &sent {
                found |= s.text(m).await?.contains("The dark version is on its way.");
            }
            Ok(found.then_some(()))
        },
    )
    .await
    .expect("the message shows as sent after sync");
    let on_server: Vec<_> = sim
        .handle()
        .order("D-1001")
        .unwrap()
        .messages
        .into_iter()
        .filter(|m| m.text == "The dark version is on its way.")
        .collect();
    assert_eq!(on_server.len(), 1, "sent exactly once");
    w.screenshot("chat.png").await;
    w.session.close().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_progress_update_answered_in_the_window_resolves_the_buyers_request() {
    let _one = ONE_WINDOW.lock().await;
    let (sim, w) = Window::launch_on_demo_sim().await;
    let s = &w.session;
    // The request expires within the hour: the inbox has an alert for it.
    let alert_for_d1017 = "[data-testid=inbox-group][data-inbox-order='D-1017']";
    s.click(
        &s.wait_first("[data-testid=inbox-bell]", Duration::from_secs(60))
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    s.wait_first(alert_for_d1017, Duration::from_secs(60))
        .await
        .expect("the inbox lists the request about to expire");
    s.click(&s.find_all("[data-testid=inbox-bell]").await.unwrap()[0])
        .await
        .unwrap();
    w.open_order("D-1017").await;
    s.wait_first("[data-testid=progress-text]", Duration::from_secs(20))
        .await
        .expect("the buyer's progress-update request can be answered");
    s.fill(
        "[data-testid=progress-text]",
        "Six of ten templates are done.",
    )
    .await
    .unwrap();
    let send = s
        .wait_first(
            "[data-testid=progress-send]:not([disabled])",
            Duration::from_secs(10),
        )
        .await
        .unwrap();
    s.click(&send).await.unwrap();
    s.wait_for(
        "the request to show as accepted",
        Duration::from_secs(30),
        || async {
            let r = s.find_all("[data-testid=detail-request]").await?;
            let state = match r.first() {
                Some(r) => s.attribute(r, "data-state").await?,
                None => None,
            };
            Ok((state.as_deref() == Some("accepted")).then_some(()))
        },
    )
    .await
    .expect("the answer reaches the marketplace and comes back");
    s.click(&s.find_all("[data-testid=inbox-bell]").await.unwrap()[0])
        .await
        .unwrap();
    s.wait_first("[data-testid=inbox]", Duration::from_secs(10))
        .await
        .expect("the inbox opens again");
    s.wait_for(
        "the answered request's alert to leave the inbox",
        Duration::from_secs(30),
        || async { Ok(s.find_all(alert_for_d1017).await?.is_empty().then_some(())) },
    )
    .await
    .expect("answering the request resolves its alert in the same window");
    let order = sim.handle().order("D-1017").unwrap();
    assert_eq!(
        order.requests[0].state,
        sellerdesk_api::RequestState::Accepted
    );
    assert_eq!(
        order
            .messages
            .iter()
            .filter(|m| m.text.ends_with("Six of ten templates are done."))
            .count(),
        1,
        "posted once in the chat"
    );
    w.screenshot("progress.png").await;
    w.session.close().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_completed_orders_review_is_answered_once_from_the_past_orders() {
    let _one = ONE_WINDOW.lock().await;
    let sim = sellerdesk_sim::spawn(
        sellerdesk_sim::SimConfig::demo(chrono::Utc::now()),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .expect("simulator");
    // D-1009 is a completed demo order with its buyer's review, not answered yet.
    let review = sim.handle().order("D-1009").unwrap().review;
    assert!(
        review.is_some_and(|r| r.reply.is_none()),
        "the demo's D-1009 has a review waiting for the seller's reply"
    );
    let w = Window::launch_on(&sim).await;
    let s = &w.session;
    s.wait_first("[data-order-id='D-1001']", Duration::from_secs(60))
        .await
        .expect("the active list after the first sync");
    assert!(
        s.find_all("[data-order-id='D-1009']")
            .await
            .unwrap()
            .is_empty(),
        "a completed order is not in the active list"
    );
    s.choose("[data-testid=order-filter]", "completed")
        .await
        .unwrap();
    w.open_order("D-1009").await;
    let status = s
        .wait_first(
            "[data-order-id='D-1009'][data-status=completed]",
            Duration::from_secs(10),
        )
        .await;
    assert!(status.is_ok(), "the found row shows the order as completed");
    s.wait_text("[data-testid=review-reply-text]", Duration::from_secs(20))
        .await
        .expect("the completed order's review offers the one reply");
    s.fill("[data-testid=review-reply-text]", "Thank you, Sam!")
        .await
        .unwrap();
    let send = s
        .wait_first(
            "[data-testid=review-reply-send]:not([disabled])",
            Duration::from_secs(10),
        )
        .await
        .unwrap();
    s.click(&send).await.unwrap();
    s.wait_text("[data-testid=review-reply]", Duration::from_secs(30))
        .await
        .expect("the reply shows once the marketplace has it");
    let on_server = sim.handle().order("D-1009").unwrap().review.unwrap().reply;
    assert_eq!(
        on_server.as_deref(),
        Some("Thank you, Sam!"),
        "the reply reached the marketplace"
    );
    assert_eq!(
        sim.handle().action_counts(),
        (1, 1),
        "one reply, applied once"
    );
    assert!(
        s.find_all("[data-testid=review-reply-text]")
            .await
            .unwrap()
            .is_empty(),
        "a second reply is not offered"
    );
    let blocked = s
        .find_all("[data-testid=detail-action][data-action=reply_to_review][data-allowed=false]")
        .await
        .unwrap();
    assert_eq!(
        blocked.len(),
        1,
        "reply to review is listed under 'Why can't I…?'"
    );
    let why: String = s
        .execute("return document.querySelector('[data-testid=why-not]').textContent")
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        why.to_lowercase().contains("repl"),
        "the rule's reason is shown: {why}"
    );
    let again = sim.handle().perform(
        "D-1009",
        &sellerdesk_api::OrderAction::ReplyToReview {
            text: "Once more".into(),
        },
        "second-reply",
    );
    assert!(again.is_err(), "the marketplace refuses a second reply");
    w.screenshot("review-reply.png").await;
    w.session.close().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispute_opened_from_more_actions_reaches_support_and_shows_on_the_order() {
    let _one = ONE_WINDOW.lock().await;
    let (sim, w) = Window::launch_on_demo_sim().await;
    let s = &w.session;
    w.open_order("D-1001").await;
    let more = s
        .wait_first("[data-testid=more-actions]", Duration::from_secs(20))
        .await
        .expect("D-1001 has more actions");
    s.click(&more).await.unwrap();
    let item = "[data-testid=detail-action][data-action=open_dispute] button";
    let label = s
        .wait_text(item, Duration::from_secs(10))
        .await
        .expect("the dispute path is offered under More actions");
    assert_eq!(
        label, "Contact Customer Support",
        "the demo marketplace's own words (Fiverr-like)"
    );
    let button = s.find_all(item).await.unwrap();
    s.click(&button[0]).await.unwrap();
    s.wait_first("[data-testid=confirm-reason]", Duration::from_secs(10))
        .await
        .expect("the confirmation asks the reason");
    s.fill(
        "[data-testid=confirm-reason]",
        "The buyer stopped answering.",
    )
    .await
    .unwrap();
    let yes = s
        .wait_first("[data-testid=confirm-yes]", Duration::from_secs(5))
        .await
        .unwrap();
    s.click(&yes).await.unwrap();
    let handle = sim.handle();
    s.wait_for(
        "the marketplace to report the order disputed",
        Duration::from_secs(30),
        || {
            let handle = handle.clone();
            async move {
                Ok((handle.order("D-1001").map(|o| o.status)
                    == Some(sellerdesk_api::OrderStatus::Disputed))
                .then_some(()))
            }
        },
    )
    .await
    .expect("the dispute reaches the marketplace through the outbox");
    assert_eq!(sim.handle().action_counts(), (1, 1), "opened once");
    s.wait_first(
        "[data-order-id='D-1001'][data-status=disputed]",
        Duration::from_secs(30),
    )
    .await
    .expect("the row shows the order disputed after sync");
    let chat = s
        .wait_for(
            "the dispute in the chat",
            Duration::from_secs(30),
            || async {
                for m in s.find_all("[data-testid=chat-message]").await? {
                    let text = s.text(&m).await?;
                    if text.contains("The buyer stopped answering.") {
                        return Ok(Some(text));
                    }
                }
                Ok(None)
            },
        )
        .await
        .expect("the dispute's words show in the order's chat");
    assert!(chat.contains("Contact Customer Support"), "{chat}");
    w.screenshot("dispute.png").await;
    w.session.close().await;
    sim.shutdown().await;
}
