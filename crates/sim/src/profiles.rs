//! The five marketplaces' rules, from their help pages in `shared/seeds/`. Figures a page
//! states are noted "seed: …"; the rest are assumptions and noted so.

use std::collections::BTreeMap;

use sellerdesk_api::{OrderStatus, Profile};

const GIB: u64 = 1024 * 1024 * 1024;

fn labels(pairs: &[(OrderStatus, &str)]) -> BTreeMap<OrderStatus, String> {
    pairs.iter().map(|(s, l)| (*s, (*l).to_string())).collect()
}

fn notes(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| (*l).to_string()).collect()
}

pub fn profiles() -> Vec<Profile> {
    use OrderStatus::*;
    vec![
        Profile {
            id: "fiverr".into(),
            name: "Fiverr-like".into(),
            fee_bps: 2000,
            review_window_days: 3,
            clearance_days: 14,
            request_expiry_hours: 48,
            max_file_bytes: 5 * GIB,
            status_labels: labels(&[
                (AwaitingAcceptance, "New"),
                (PendingRequirements, "Incomplete"),
                (Accepted, "Active"),
                (InProgress, "Active"),
                (Delivered, "Delivered"),
                (RevisionRequested, "Revision"),
                (Completed, "Completed"),
                (Canceled, "Cancelled"),
                (Disputed, "In dispute"),
            ]),
            notes: notes(&[
                "seed: \"A single file is limited to up to 5 GB.\"",
                "seed: \"If your client doesn't accept or reject your order within three days ... it will be automatically marked as completed.\"",
                "assumed: 20 % seller fee, 14-day clearance (not on the help page)",
                "assumed: requests expire after 48 h as on crackerjack",
            ]),
        },
        Profile {
            id: "podcasterpros".into(),
            name: "PodcasterPros".into(),
            fee_bps: 2000,
            review_window_days: 3,
            clearance_days: 14,
            request_expiry_hours: 48,
            max_file_bytes: 5 * GIB,
            status_labels: labels(&[
                (AwaitingAcceptance, "PENDING JOBS"),
                (PendingRequirements, "ACTIVE"),
                (Accepted, "PENDING JOBS"),
                (InProgress, "ACTIVE"),
                (Delivered, "DELIVERED"),
                (RevisionRequested, "ACTIVE"),
                (Completed, "COMPLETED"),
                (Canceled, "CANCELED"),
                (Disputed, "ACTIVE"),
            ]),
            notes: notes(&[
                "seed: \"ACTIVE: ... orders you are currently working on (In Progress), or an order that was placed, but the information wasn't submitted\"",
                "seed: \"PENDING JOBS: These are new orders you've received or orders in the works that have yet to be delivered.\"",
                "assumed: fee, review window, clearance and file limit (not on the help page)",
            ]),
        },
        Profile {
            id: "crackerjack".into(),
            name: "crackerjack".into(),
            fee_bps: 2000,
            review_window_days: 3,
            clearance_days: 14,
            request_expiry_hours: 48,
            max_file_bytes: 5 * GIB,
            status_labels: labels(&[
                (AwaitingAcceptance, "New"),
                (PendingRequirements, "Pending"),
                (Accepted, "Accepted"),
                (InProgress, "In Progress"),
                (Delivered, "Delivered"),
                (RevisionRequested, "Revision Requested"),
                (Completed, "Completed"),
                (Canceled, "Canceled"),
                (Disputed, "Dispute"),
            ]),
            notes: notes(&[
                "seed: \"If the second party does not respond within 48 hours from the moment the request was opened, the request will be automatically canceled\"",
                "seed: \"An order request can be opened for orders in the following status: Accepted, In Progress, Revision Requested\"",
                "assumed: fee, review window, clearance and file limit (not on the help page)",
            ]),
        },
        Profile {
            id: "izea".into(),
            name: "IZEA Creator Marketplace".into(),
            fee_bps: 2000,
            review_window_days: 7,
            clearance_days: 14,
            request_expiry_hours: 48,
            max_file_bytes: 5 * GIB,
            status_labels: labels(&[
                (AwaitingAcceptance, "Awaiting acceptance"),
                (PendingRequirements, "Awaiting buyer"),
                (Accepted, "Accepted"),
                (InProgress, "In progress"),
                (Delivered, "Submitted"),
                (RevisionRequested, "Revisions requested"),
                (Completed, "Complete"),
                (Canceled, "Canceled"),
                (Disputed, "Disputed"),
            ]),
            notes: notes(&[
                "seed: \"After your content has been submitted the buyer has seven days to accept or request revisions\"",
                "seed: \"You are able to cancel an order if the order delivery date is past due or the number of revisions has been exceeded.\"",
                "assumed: fee, clearance, request expiry and file limit (not on the help page)",
            ]),
        },
        Profile {
            id: "hostjane".into(),
            name: "HostJane".into(),
            fee_bps: 2000,
            review_window_days: 3,
            clearance_days: 5,
            request_expiry_hours: 48,
            max_file_bytes: 5 * GIB,
            status_labels: labels(&[
                (AwaitingAcceptance, "Awaiting acceptance"),
                (PendingRequirements, "Awaiting requirements"),
                (Accepted, "Accepted"),
                (InProgress, "In progress"),
                (Delivered, "Delivered"),
                (RevisionRequested, "Revision requested"),
                (Completed, "Complete"),
                (Canceled, "Cancelled"),
                (Disputed, "Problem reported"),
            ]),
            notes: notes(&[
                "seed: \"After delivering the order, the Buyer will have 3 days exactly to accept or reject the delivery.\"",
                "seed: \"your earnings available for withdrawal to your bank after the clearance period of 5 days\"",
                "seed: \"Take care responding to reviews, you can only do so once.\"",
                "assumed: fee, request expiry and file limit (not on the help page)",
            ]),
        },
    ]
}

pub fn profile(id: &str) -> Option<Profile> {
    profiles().into_iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_figures_table() {
        // (profile, review days, clearance days, request expiry h, the seed sentence)
        let cases = [
            ("fiverr", 3, 14, 48, "within three days ... automatically marked as completed"),
            ("hostjane", 3, 5, 48, "3 days exactly ... clearance period of 5 days"),
            ("izea", 7, 14, 48, "the buyer has seven days to accept or request revisions"),
            ("crackerjack", 3, 14, 48, "does not respond within 48 hours"),
        ];
        for (id, review, clearance, expiry, seed) in cases {
            let p = profile(id).unwrap_or_else(|| panic!("profile {id} exists"));
            assert_eq!(p.review_window_days, review, "{id}: {seed}");
            assert_eq!(p.clearance_days, clearance, "{id}: {seed}");
            assert_eq!(p.request_expiry_hours, expiry, "{id}: {seed}");
        }
        // Fiverr: "A single file is limited to up to 5 GB."
        assert_eq!(profile("fiverr").unwrap().max_file_bytes, 5 * GIB);
    }

    #[test]
    fn every_profile_names_every_status() {
        assert_eq!(profiles().len(), 5);
        for p in profiles() {
            for status in OrderStatus::ALL {
                assert!(p.status_labels.contains_key(&status), "{} names {status:?}", p.id);
            }
        }
        let pp = profile("podcasterpros").unwrap();
        // PodcasterPros: "ACTIVE: ... orders you are currently working on (In Progress)"
        assert_eq!(pp.status_label(OrderStatus::InProgress), "ACTIVE");
        assert_eq!(pp.status_label(OrderStatus::Delivered), "DELIVERED");
    }
}
