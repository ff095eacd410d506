//! The Deliver action: which orders can be delivered, what a delivery must carry, and
//! the check of every file against the tus upload holding it (complete, same size,
//! same SHA-256, within the marketplace's file limit).

use chrono::{DateTime, Utc};
use sellerdesk_api::{DeliveredFile, Delivery, Order, Profile};
use sellerdesk_rules::{Event, status_after_modified, transition};

use crate::actions::Refused;
use crate::uploads::UploadInfo;

/// The order after `delivery`, or why the marketplace refuses it. Pure.
pub(crate) fn deliver(
    order: &Order,
    delivery: &Delivery,
    profile: &Profile,
    now: DateTime<Utc>,
    uploads: &dyn Fn(&str) -> Option<UploadInfo>,
) -> Result<Order, Refused> {
    let refused = |e: &dyn std::fmt::Display| Refused(e.to_string());
    let status = if delivery.modified {
        status_after_modified(order, profile).map_err(|e| refused(&e))?
    } else {
        transition(order.status, Event::Deliver).map_err(|e| refused(&e))?
    };
    if delivery.description.trim().is_empty() && !delivery.outside_platform {
        return Err(Refused(
            "a delivery needs a description of the work (unless it was delivered outside the platform)"
                .to_string(),
        ));
    }
    if delivery.files.is_empty() && !(delivery.no_file_confirmed || delivery.outside_platform) {
        return Err(Refused(
            "a delivery without files must be confirmed (no_file_confirmed) or marked as sent outside the platform (outside_platform)"
                .to_string(),
        ));
    }
    for file in &delivery.files {
        check_file(file, profile, uploads)?;
    }
    let mut delivered = order.clone();
    delivered.status = status;
    if status == sellerdesk_api::OrderStatus::Completed {
        // Fiverr's modified work after completion: the order stays completed and paid;
        // only the revision count moves.
        delivered.revisions_used = delivered.revisions_used.saturating_add(1);
        return Ok(delivered);
    }
    delivered.delivered_at = Some(now);
    delivered.completed_at = None;
    // A new delivery opens a new review window; time the buyer added to the last one
    // does not carry over.
    delivered.review_extension_days = 0;
    if delivery.modified {
        // rules (review.rs): `revisions_used` counts modified deliveries already made.
        delivered.revisions_used = delivered.revisions_used.saturating_add(1);
    }
    Ok(delivered)
}

fn check_file(
    file: &DeliveredFile,
    profile: &Profile,
    uploads: &dyn Fn(&str) -> Option<UploadInfo>,
) -> Result<(), Refused> {
    let name = &file.name;
    if name.trim().is_empty() {
        return Err(Refused(format!(
            "the file of upload {:?} has no name",
            file.upload_id
        )));
    }
    if file.size > profile.max_file_bytes {
        return Err(Refused(format!(
            "file {name:?} is {} bytes, over this marketplace's limit of {} bytes; share a link to it instead",
            file.size, profile.max_file_bytes
        )));
    }
    let Some(upload) = uploads(&file.upload_id) else {
        return Err(Refused(format!(
            "file {name:?}: there is no upload {:?} (never created, deleted or expired)",
            file.upload_id
        )));
    };
    if !upload.is_complete() {
        return Err(Refused(format!(
            "file {name:?}: upload {:?} is incomplete ({} of {} bytes)",
            upload.id, upload.offset, upload.length
        )));
    }
    if upload.length != file.size {
        return Err(Refused(format!(
            "file {name:?} says {} bytes but its upload holds {}",
            file.size, upload.length
        )));
    }
    if !upload.sha256.eq_ignore_ascii_case(file.sha256.trim()) {
        return Err(Refused(format!(
            "file {name:?}: SHA-256 {} does not match the uploaded bytes ({})",
            file.sha256, upload.sha256
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sellerdesk_api::OrderStatus;
    use std::collections::BTreeMap;

    fn upload(offset: u64) -> UploadInfo {
        UploadInfo {
            id: "u1".into(),
            length: 3,
            offset,
            metadata: BTreeMap::new(),
            created_at: Utc::now(),
            expires_at: Utc::now(),
            // SHA-256 of "abc".
            sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".into(),
        }
    }

    fn file(size: u64, sha256: &str) -> DeliveredFile {
        DeliveredFile {
            upload_id: "u1".into(),
            name: "logo.png".into(),
            size,
            sha256: sha256.into(),
        }
    }

    /// (what, the delivered file, the uploads it is checked against, the refusal).
    type Case<'a> = (
        &'a str,
        DeliveredFile,
        &'a dyn Fn(&str) -> Option<UploadInfo>,
        Option<&'a str>,
    );

    #[test]
    fn each_file_must_match_a_complete_upload() {
        let profile = crate::profile("fiverr").expect("fiverr");
        let good = upload(3).sha256;
        let complete = |_: &str| Some(upload(3));
        let partial = |_: &str| Some(upload(1));
        let none = |_: &str| None;
        let cases: [Case; 6] = [
            ("matching", file(3, &good), &complete, None),
            (
                "uppercase hex",
                file(3, &good.to_uppercase()),
                &complete,
                None,
            ),
            (
                "incomplete",
                file(3, &good),
                &partial,
                Some("incomplete (1 of 3 bytes)"),
            ),
            ("unknown", file(3, &good), &none, Some("there is no upload")),
            ("size", file(4, &good), &complete, Some("says 4 bytes")),
            (
                "hash",
                file(3, &"0".repeat(64)),
                &complete,
                Some("does not match"),
            ),
        ];
        for (what, file, uploads, want) in cases {
            let got = check_file(&file, &profile, uploads);
            match want {
                None => assert!(got.is_ok(), "{what}: {got:?}"),
                Some(reason) => {
                    let err = got.expect_err(what);
                    assert!(err.0.contains(reason), "{what}: {err}");
                    assert!(err.0.contains("logo.png"), "{what} names the file: {err}");
                }
            }
        }
        // fiverr: "A single file is limited to up to 5 GB." (5,000,000,000 bytes)
        assert_eq!(profile.max_file_bytes, 5_000_000_000);
        let at_limit = |_: &str| {
            Some(UploadInfo {
                length: 5_000_000_000,
                offset: 5_000_000_000,
                ..upload(3)
            })
        };
        let exact = file(5_000_000_000, &good);
        assert!(
            check_file(&exact, &profile, &at_limit).is_ok(),
            "exactly 5,000,000,000 bytes is accepted"
        );
        let huge = file(profile.max_file_bytes + 1, &good);
        let err = check_file(&huge, &profile, &complete).expect_err("one byte over the limit");
        assert!(err.0.contains("share a link"), "{err}");
    }

    #[test]
    fn only_work_in_progress_is_delivered() {
        let start = Utc::now();
        let profile = crate::profile("fiverr").expect("fiverr");
        let order = crate::demo_orders(start)
            .into_iter()
            .find(|o| o.status == OrderStatus::InProgress)
            .expect("an order in progress");
        let delivery = Delivery {
            description: "Here it is".into(),
            files: vec![],
            no_file_confirmed: true,
            outside_platform: false,
            modified: false,
        };
        let done = deliver(&order, &delivery, &profile, start, &|_| None).expect("delivers");
        assert_eq!(done.status, OrderStatus::Delivered);
        assert_eq!(done.delivered_at, Some(start), "delivered_at is now");
        assert!(
            deliver(&done, &delivery, &profile, start, &|_| None).is_err(),
            "a delivered order is not delivered again without `modified`"
        );
        let blank = Delivery {
            description: " ".into(),
            ..delivery
        };
        let err = deliver(&order, &blank, &profile, start, &|_| None).expect_err("blank");
        assert!(err.0.contains("description"), "{err}");
    }
}
