//! Disputes and support, per marketplace: what each seed calls asking the marketplace to
//! step in, who answers in the order's chat, and when an order can be disputed. The
//! order becomes `disputed`; the marketplace's support settles it (see
//! [`crate::status::DisputeOutcome`]).

use sellerdesk_api::{Order, Profile};
use serde::{Deserialize, Serialize};

use crate::error::Refusal;
use crate::status::{Event, transition};

/// How a marketplace names its dispute path, so the app shows the seed's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeRoute {
    /// The seller's button or menu entry.
    pub action_label: &'static str,
    /// Who answers in the order's chat.
    pub support_name: &'static str,
    /// The seed line this comes from.
    pub seed: &'static str,
}

/// The dispute path of `profile`'s marketplace. assumed: an unknown profile gets a plain
/// "Open a dispute" answered by customer support.
pub fn dispute_route(profile: &Profile) -> DisputeRoute {
    match profile.id.as_str() {
        "crackerjack" => DisputeRoute {
            action_label: "Open a dispute",
            support_name: "crackerjack support",
            seed: "A special case of an order request is a dispute.",
        },
        "izea" => DisputeRoute {
            action_label: "Dispute Order",
            support_name: "IZEA customer experience team",
            seed: "A member of the customer experience team will be alerted and will join your chat as soon as possible.",
        },
        "hostjane" => DisputeRoute {
            action_label: "Problem with order",
            support_name: "HostJane",
            seed: "Problem with order button to report issues",
        },
        "podcasterpros" => DisputeRoute {
            action_label: "Resolution Center",
            support_name: "PodcasterPros support",
            seed: "Create a support ticket and our friendly support team will get back to you shortly.",
        },
        "fiverr" => DisputeRoute {
            action_label: "Contact Customer Support",
            support_name: "Customer Support",
            seed: "For any further issues, our Customer Support team is here to assist. Use the 'Contact us' tab at the bottom of the page.",
        },
        _ => DisputeRoute {
            action_label: "Open a dispute",
            support_name: "Customer support",
            seed: "",
        },
    }
}

/// Whether the order can be disputed now: while work is owed or under review (the state
/// machine's `Dispute` edge; assumed: not once completed, canceled or already disputed).
pub fn can_open_dispute(order: &Order) -> Result<(), Refusal> {
    transition(order.status, Event::Dispute)
        .map(drop)
        .map_err(|_| Refusal::NotDisputable {
            status: order.status,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{order, profile};
    use rstest::rstest;
    use sellerdesk_api::OrderStatus as S;

    #[rstest]
    // crackerjack: "A special case of an order request is a dispute."
    #[case::crackerjack("crackerjack", "Open a dispute")]
    // izea: "Select Dispute Order from your order actions."
    #[case::izea("izea", "Dispute Order")]
    // hostjane: "Problem with order button to report issues"
    #[case::hostjane("hostjane", "Problem with order")]
    // podcasterpros: "RESOLUTION CENTER: ... you can use the Resolution Center"
    #[case::podcasterpros("podcasterpros", "Resolution Center")]
    // fiverr: "our Customer Support team is here to assist. Use the 'Contact us' tab"
    #[case::fiverr("fiverr", "Contact Customer Support")]
    fn each_marketplace_names_its_dispute_path(#[case] id: &str, #[case] label: &str) {
        assert_eq!(dispute_route(&profile(id)).action_label, label, "{id}");
    }

    #[rstest]
    #[case::in_progress(S::InProgress, true)]
    #[case::accepted(S::Accepted, true)]
    #[case::under_review(S::Delivered, true)]
    #[case::revision(S::RevisionRequested, true)]
    #[case::already(S::Disputed, false)]
    #[case::completed(S::Completed, false)]
    #[case::canceled(S::Canceled, false)]
    #[case::new(S::AwaitingAcceptance, false)]
    fn open_orders_can_be_disputed(#[case] status: S, #[case] allowed: bool) {
        let got = can_open_dispute(&order(status));
        assert_eq!(got.is_ok(), allowed, "{status:?}: {got:?}");
    }
}
