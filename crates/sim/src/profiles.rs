//! The five built-in marketplace profiles, with their rules taken from the
//! marketplaces' help pages (`shared/seeds/`). Every figure is either quoted from its
//! seed ("seed: …") or listed as an assumption ("assumed: …") in the profile's notes.

use std::collections::BTreeMap;

use sellerdesk_api::{OrderStatus, Profile};

/// 5 GB, the largest single delivery file, read as decimal gigabytes: 5,000,000,000
/// bytes. The seed writes "GB", not "GiB"; marketplaces and storage vendors quote SI
/// units; and it is the safe reading for the seller: a file within 5,000,000,000 bytes is
/// accepted under either reading, while one between 5 GB and 5 GiB (7 % more) could be
/// refused by a marketplace that means decimal. See each profile's notes.
pub(crate) const FIVE_GB: u64 = 5_000_000_000;

struct Spec {
    id: &'static str,
    name: &'static str,
    fee_bps: u32,
    review_window_days: u32,
    clearance_days: u32,
    request_expiry_hours: u32,
    max_file_bytes: u64,
    labels: &'static [(OrderStatus, &'static str)],
    notes: &'static [&'static str],
}

const FIVERR: Spec = Spec {
    id: "fiverr",
    name: "Fiverr-like",
    fee_bps: 2000,
    review_window_days: 3,
    clearance_days: 14,
    request_expiry_hours: 48,
    max_file_bytes: FIVE_GB,
    labels: &[
        (OrderStatus::InProgress, "Active"),
        (OrderStatus::Completed, "Completed"),
    ],
    notes: &[
        "seed: \"A single file is limited to up to 5 GB\": enforced as 5,000,000,000 bytes (decimal GB, as the page writes it; a file within that limit is accepted under either reading, a binary 5 GiB would promise 7 % more than a marketplace meaning GB allows)",
        "seed: \"If your client doesn't accept or reject your order within three days of the delivery's due date, it will be automatically marked as completed\"",
        "seed: \"find the active order you want to deliver\" (in_progress shown as Active)",
        "seed: \"Your order status will change to \"completed\"\"",
        "assumed: fee 20 % (2000 bps); the seed states no fee",
        "assumed: clearance 14 days; the seed states no clearance period",
        "assumed: order requests expire after 48 hours, as on crackerjack; the seed has no order requests",
        "assumed: other statuses use the default labels",
        "seed: \"For any further issues, our Customer Support team is here to assist. Use the 'Contact us' tab\" (the dispute path, \"Contact Customer Support\"; support answers in the order's chat)",
    ],
};

const PODCASTERPROS: Spec = Spec {
    id: "podcasterpros",
    name: "PodcasterPros-like",
    fee_bps: 2000,
    review_window_days: 3,
    clearance_days: 14,
    request_expiry_hours: 48,
    max_file_bytes: FIVE_GB,
    labels: &[
        (OrderStatus::AwaitingAcceptance, "PENDING JOBS"),
        (OrderStatus::PendingRequirements, "ACTIVE"),
        (OrderStatus::Accepted, "PENDING JOBS"),
        (OrderStatus::InProgress, "ACTIVE"),
        (OrderStatus::Delivered, "DELIVERED"),
        (OrderStatus::RevisionRequested, "ACTIVE"),
        (OrderStatus::Completed, "COMPLETED"),
        (OrderStatus::Canceled, "CANCELED"),
    ],
    notes: &[
        "seed: \"ACTIVE: These are orders you are currently working on (In Progress), or an order that was placed, but the information wasn't submitted\" (in_progress, pending_requirements)",
        "seed: \"PENDING JOBS: These are new orders you've received or orders in the works that have yet to be delivered\" (awaiting_acceptance, accepted)",
        "seed: \"DELIVERED: These are all the orders you've delivered but are not yet marked as completed by the buyer\"",
        "seed: \"COMPLETED: These are all the orders you've completed\"",
        "seed: \"CANCELED: These are all the canceled orders\"",
        "assumed: revision_requested shown as ACTIVE (being worked on again); disputed keeps the default label (no sales status in the seed)",
        "assumed: review window 3 days, clearance 14 days, fee 20 % (2000 bps), as the Fiverr-like profile; the seed states none",
        "assumed: order requests expire after 48 hours; max file 5 GB (5,000,000,000 bytes) as on Fiverr",
        "seed: \"Create a support ticket and our friendly support team will get back to you shortly\" (the dispute path, with the \"Resolution Center\")",
    ],
};

const CRACKERJACK: Spec = Spec {
    id: "crackerjack",
    name: "crackerjack-like",
    fee_bps: 2000,
    review_window_days: 3,
    clearance_days: 14,
    request_expiry_hours: 48,
    max_file_bytes: FIVE_GB,
    labels: &[
        (OrderStatus::Accepted, "Accepted"),
        (OrderStatus::InProgress, "In Progress"),
        (OrderStatus::RevisionRequested, "Revision Requested"),
    ],
    notes: &[
        "seed: \"If the second party does not respond within 48 hours from the moment the request was opened, the request will be automatically canceled\"",
        "seed: \"An order request can be opened for orders in the following status: Accepted, In Progress, Revision Requested\"",
        "assumed: review window 3 days, clearance 14 days, fee 20 % (2000 bps); the seed states none",
        "assumed: max file 5 GB (5,000,000,000 bytes) as on Fiverr; other statuses use the default labels",
        "seed: \"A special case of an order request is a dispute\" (support joins the chat and settles it)",
    ],
};

const IZEA: Spec = Spec {
    id: "izea",
    name: "IZEA Creator Marketplace-like",
    fee_bps: 2000,
    review_window_days: 7,
    clearance_days: 14,
    request_expiry_hours: 48,
    max_file_bytes: FIVE_GB,
    labels: &[],
    notes: &[
        "seed: \"After your content has been submitted the buyer has seven days to accept or request revisions\"",
        "assumed: clearance 14 days, fee 20 % (2000 bps); the seed states neither",
        "assumed: order requests (contract updates) expire after 48 hours; max file 5 GB (5,000,000,000 bytes) as on Fiverr",
        "assumed: default status labels; the seed names no statuses",
        "seed: \"A member of the customer experience team will be alerted and will join your chat as soon as possible\" (after \"Dispute Order\" and after Cancel Order: no instant refund)",
        "seed: \"You can edit the time left to complete the order, amount of revisions and the price of the listing\" (contract_update requests, several fields at once)",
    ],
};

const HOSTJANE: Spec = Spec {
    id: "hostjane",
    name: "HostJane-like",
    fee_bps: 2000,
    review_window_days: 3,
    clearance_days: 5,
    request_expiry_hours: 48,
    max_file_bytes: FIVE_GB,
    labels: &[],
    notes: &[
        "seed: \"After delivering the order, the Buyer will have 3 days exactly to accept or reject the delivery\"",
        "seed: \"your earnings available for withdrawal to your bank after the clearance period of 5 days\"",
        "assumed: fee 20 % (2000 bps); the seed states no fee",
        "assumed: requests for more time expire after 48 hours; max file 5 GB (5,000,000,000 bytes) as on Fiverr",
        "assumed: default status labels; the seed names no statuses",
        "seed: \"Problem with order button to report issues\" (the dispute path)",
        "seed: \"please send the Buyer their Final Work within 24 hours\"; assumed: unsent after 24 hours, the order is closed as complete; clearance counts from completion",
    ],
};

const SPECS: [&Spec; 5] = [&FIVERR, &PODCASTERPROS, &CRACKERJACK, &IZEA, &HOSTJANE];

impl Spec {
    fn profile(&self) -> Profile {
        Profile {
            id: self.id.to_string(),
            name: self.name.to_string(),
            fee_bps: self.fee_bps,
            review_window_days: self.review_window_days,
            clearance_days: self.clearance_days,
            request_expiry_hours: self.request_expiry_hours,
            max_file_bytes: self.max_file_bytes,
            status_labels: self
                .labels
                .iter()
                .map(|(status, label)| (*status, label.to_string()))
                .collect::<BTreeMap<_, _>>(),
            notes: self.notes.iter().map(|n| n.to_string()).collect(),
        }
    }
}

/// The five built-in profiles: fiverr, podcasterpros, crackerjack, izea, hostjane.
pub fn profiles() -> Vec<Profile> {
    SPECS.iter().map(|spec| spec.profile()).collect()
}

/// The built-in profile with this id.
pub fn profile(id: &str) -> Option<Profile> {
    SPECS
        .iter()
        .find(|spec| spec.id == id)
        .map(|spec| spec.profile())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(id: &str) -> Profile {
        profile(id).unwrap_or_else(|| panic!("profile {id} must exist"))
    }

    #[test]
    fn all_five_marketplaces_are_built_in() {
        let ids: Vec<String> = profiles().into_iter().map(|p| p.id).collect();
        assert_eq!(
            ids,
            ["fiverr", "podcasterpros", "crackerjack", "izea", "hostjane"]
        );
        assert_eq!(profile("etsy"), None, "an unknown id has no profile");
    }

    #[test]
    fn seed_figures_are_honoured() {
        type Field = fn(&Profile) -> u64;
        let review: Field = |p| p.review_window_days.into();
        let clearance: Field = |p| p.clearance_days.into();
        let expiry: Field = |p| p.request_expiry_hours.into();
        let max_file: Field = |p| p.max_file_bytes;
        // (profile, field, figure, where it comes from)
        let cases: [(&str, &str, Field, u64, &str); 8] = [
            (
                "fiverr",
                "review_window_days",
                review,
                3,
                "000-fiverr: \"If your client doesn't accept or reject your order within three days of the delivery's due date, it will be automatically marked as completed.\"",
            ),
            (
                "izea",
                "review_window_days",
                review,
                7,
                "003-izea: \"After your content has been submitted the buyer has seven days to accept or request revisions\"",
            ),
            (
                "hostjane",
                "review_window_days",
                review,
                3,
                "004-hostjane: \"After delivering the order, the Buyer will have 3 days exactly to accept or reject the delivery.\"",
            ),
            (
                "hostjane",
                "clearance_days",
                clearance,
                5,
                "004-hostjane: \"your earnings available for withdrawal to your bank after the clearance period of 5 days\"",
            ),
            (
                "fiverr",
                "clearance_days",
                clearance,
                14,
                "assumed (not in 000-fiverr): Fiverr-like 14-day clearance, listed in the profile notes",
            ),
            (
                "crackerjack",
                "request_expiry_hours",
                expiry,
                48,
                "002-crackerjack: \"If the second party does not respond within 48 hours from the moment the request was opened, the request will be automatically canceled\"",
            ),
            (
                "fiverr",
                "max_file_bytes",
                max_file,
                FIVE_GB,
                "000-fiverr: \"A single file is limited to up to 5 GB.\" (decimal: 5,000,000,000 bytes)",
            ),
            (
                "hostjane",
                "max_file_bytes",
                max_file,
                5_000_000_000,
                "default for every profile whose seed states no limit: 5 GB",
            ),
        ];
        for (id, field, read, want, source) in cases {
            assert_eq!(
                read(&get(id)),
                want,
                "{id}.{field} must be {want} — {source}"
            );
        }
    }

    #[test]
    fn unstated_figures_use_the_defaults() {
        for p in profiles() {
            assert_eq!(
                p.request_expiry_hours, 48,
                "{}: requests expire after 48 h",
                p.id
            );
            assert_eq!(
                p.max_file_bytes, FIVE_GB,
                "{}: 5 GB per file unless stated",
                p.id
            );
            assert_eq!(p.fee_bps, 2000, "{}: assumed 20 % fee", p.id);
        }
    }

    #[test]
    fn podcasterpros_names_statuses_as_its_sales_page_does() {
        let p = get("podcasterpros");
        let cases = [
            (OrderStatus::AwaitingAcceptance, "PENDING JOBS"),
            (OrderStatus::PendingRequirements, "ACTIVE"),
            (OrderStatus::Accepted, "PENDING JOBS"),
            (OrderStatus::InProgress, "ACTIVE"),
            (OrderStatus::Delivered, "DELIVERED"),
            (OrderStatus::RevisionRequested, "ACTIVE"),
            (OrderStatus::Completed, "COMPLETED"),
            (OrderStatus::Canceled, "CANCELED"),
            (OrderStatus::Disputed, "Disputed"),
        ];
        for (status, label) in cases {
            assert_eq!(
                p.status_label(status),
                label,
                "podcasterpros label of {status:?}"
            );
        }
        let cj = get("crackerjack");
        assert_eq!(
            cj.status_label(OrderStatus::RevisionRequested),
            "Revision Requested"
        );
        assert_eq!(cj.status_label(OrderStatus::InProgress), "In Progress");
    }

    #[test]
    fn every_note_says_whether_it_is_quoted_or_assumed() {
        for p in profiles() {
            assert!(!p.notes.is_empty(), "{} must explain its figures", p.id);
            for note in &p.notes {
                assert!(
                    note.starts_with("seed: \"") || note.starts_with("assumed: "),
                    "{}: a note must start with `seed: \"` or `assumed: `: {note}",
                    p.id
                );
            }
            assert!(
                p.notes
                    .iter()
                    .any(|n| n.starts_with("assumed: ") && n.contains("fee")),
                "{}: the fee is not in any seed, so it must be listed as assumed",
                p.id
            );
        }
    }
}
