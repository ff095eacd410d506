//! Invoices a seller can send: the business profile from Settings is printed as the
//! seller (read back with pdftotext), and an order the marketplace has not been paid for
//! is refused with a clear message without using up an invoice number.

mod common;

use std::path::Path;

use common::pdf_text;

use chrono::{FixedOffset, Utc};
use sellerdesk_api::OrderStatus;
use sellerdesk_core::business::BusinessProfile;
use sellerdesk_core::{ErrorCode, Workspace};
use sellerdesk_sim::SimConfig;

fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).unwrap()
}

async fn synced_demo(dir: &Path) -> (sellerdesk_sim::RunningSim, Workspace) {
    let sim = sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let ws = common::seller_workspace(&dir.join("sellerdesk.db"), &sim);
    assert!(ws.sync_once().await.error.is_none(), "the demo syncs");
    (sim, ws)
}

#[tokio::test]
async fn an_invoice_carries_the_business_profile_as_the_seller() {
    let dir = tempfile::tempdir().unwrap();
    let (_sim, ws) = synced_demo(dir.path()).await;
    let saved = ws
        .save_business_profile(&BusinessProfile {
            name: " Ana Lopez Design Studio ".into(),
            address_lines: vec![
                "12 Rue des Lilas".into(),
                "".into(),
                "75011 Paris, France".into(),
            ],
            tax_id: "FR40303265045".into(),
        })
        .expect("a valid profile is saved");
    assert_eq!(saved.name, "Ana Lopez Design Studio", "saved trimmed");
    assert_eq!(ws.business_profile().unwrap(), saved, "read back as saved");

    let file = ws
        .save_invoice("demo", "D-1001", utc(), &dir.path().join("exports"))
        .expect("D-1001 is paid for and invoiced");
    let text = pdf_text(Path::new(&file.path));
    for want in [
        "Ana Lopez Design Studio",
        "12 Rue des Lilas",
        "75011 Paris, France",
        "Tax id: FR40303265045",
    ] {
        assert!(
            text.contains(want),
            "the invoice must print {want:?}:\n{text}"
        );
    }
    assert!(
        !text.contains("Ana Seller"),
        "the business name replaces the account's"
    );

    let refused = ws
        .save_business_profile(&BusinessProfile {
            name: "".into(),
            address_lines: vec!["somewhere".into()],
            tax_id: "".into(),
        })
        .expect_err("an address without a name is refused");
    assert_eq!(refused.code, ErrorCode::InvalidInput);
    assert_eq!(
        ws.business_profile().unwrap(),
        saved,
        "a refused profile is not saved"
    );
}

#[tokio::test]
async fn an_unpaid_order_is_refused_without_using_up_an_invoice_number() {
    let dir = tempfile::tempdir().unwrap();
    let (_sim, ws) = synced_demo(dir.path()).await;
    let orders = ws.store().all_orders().unwrap();
    for status in [
        OrderStatus::AwaitingAcceptance,
        OrderStatus::PendingRequirements,
        OrderStatus::Canceled,
    ] {
        let (account, order) = orders
            .iter()
            .find(|(_, o)| o.status == status)
            .unwrap_or_else(|| panic!("the demo has an order {status:?}"));
        let err = ws
            .invoice_pdf(account, &order.id, utc())
            .expect_err("no invoice for an order the marketplace has not been paid for");
        assert_eq!(err.code, ErrorCode::NotAllowed, "{status:?}: {err:?}");
        assert!(
            err.message.contains(&order.id) && err.message.contains("paid"),
            "the message names the order and why: {}",
            err.message
        );
        assert!(
            ws.store()
                .issued_invoice(account, &order.id)
                .unwrap()
                .is_none(),
            "a refused order must not be given a number"
        );
    }
    let first = ws
        .invoice_pdf("demo", "D-1001", utc())
        .expect("a paid order is invoiced");
    assert_eq!(
        first.number, "SD-DEMO-000001",
        "the refusals must not have used up numbers"
    );
}
