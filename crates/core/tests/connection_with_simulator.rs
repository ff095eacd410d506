//! "Test connection" against the real simulator over loopback: what a seller sees for a
//! good account and for each mistake they can make when adding one.

use chrono::Utc;
use sellerdesk_core::ErrorCode;
use sellerdesk_core::connection::{MarketplaceChoice, check_connection};
use sellerdesk_sim::{RunningSim, SimConfig};

async fn sim() -> RunningSim {
    sellerdesk_sim::spawn(SimConfig::demo(Utc::now()), ([127, 0, 0, 1], 0).into())
        .await
        .expect("simulator starts on loopback")
}

fn choice(id: &str, name: &str) -> MarketplaceChoice {
    MarketplaceChoice {
        id: id.into(),
        name: name.into(),
    }
}

#[tokio::test]
async fn a_good_address_and_token_of_the_picked_marketplace_pass() {
    let sim = sim().await;
    let fiverr = choice("fiverr", "Fiverr");
    let ok = check_connection(&sim.base_url(), sim.token(), Some(&fiverr))
        .await
        .expect("the demo simulator is a Fiverr-like marketplace");
    assert_eq!(ok.marketplace_id, "fiverr");
    assert!(!ok.marketplace.is_empty());
    assert_eq!(ok.orders_seen, 30, "the token reads the demo's 30 orders");
    let padded = format!("  {}/  ", sim.base_url());
    check_connection(&padded, &format!(" {} ", sim.token()), None)
        .await
        .expect("pasted spaces and a trailing slash are forgiven");
}

#[tokio::test]
async fn each_mistake_is_told_in_words_a_seller_can_act_on() {
    let sim = sim().await;
    let url = sim.base_url();

    let other = check_connection(&url, sim.token(), Some(&choice("hostjane", "HostJane")))
        .await
        .unwrap_err();
    assert_eq!(other.code, ErrorCode::InvalidInput);
    assert!(
        other.message.contains("not HostJane"),
        "a server of another marketplace is named: {}",
        other.message
    );

    let refused = check_connection(&url, "an-old-token", None)
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::AuthExpired);
    assert!(
        refused.message.contains("refused this token"),
        "{}",
        refused.message
    );

    let not_api = check_connection(&format!("{url}/somewhere-else"), sim.token(), None)
        .await
        .unwrap_err();
    assert!(
        not_api
            .message
            .contains("not as a Marketplace API v1 server"),
        "{}",
        not_api.message
    );

    let typo = check_connection("htps//shop", sim.token(), None)
        .await
        .unwrap_err();
    assert_eq!(typo.code, ErrorCode::InvalidInput, "{}", typo.message);

    let empty = check_connection(&url, "   ", None).await.unwrap_err();
    assert!(empty.message.contains("paste"), "{}", empty.message);

    sim.shutdown().await;
    let gone = check_connection(&url, "any", None).await.unwrap_err();
    assert_eq!(gone.code, ErrorCode::Offline);
    assert!(
        gone.message.contains("nothing answered at"),
        "{}",
        gone.message
    );
}
