//! What a sales invoice says, decided once from the order and the marketplace profile so
//! the PDF only lays it out. Every figure comes from `sellerdesk_rules::breakdown`.

use chrono::NaiveDate;
use sellerdesk_api::{Order, OrderStatus, Profile};
use sellerdesk_rules::{LineKind, breakdown};

use crate::InvoiceError;
use crate::money::percent_label;

/// The seller or the buyer: a name and the lines printed under it (address, username,
/// country, tax id…).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Party {
    pub name: String,
    pub lines: Vec<String>,
}

impl Party {
    pub fn new(name: impl Into<String>, lines: impl IntoIterator<Item = String>) -> Party {
        Party {
            name: name.into(),
            lines: lines.into_iter().collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvoiceStatus {
    /// The order is completed: the buyer has paid and the marketplace releases the money.
    Paid,
    /// Any other state: the sale is not final yet.
    Pending,
}

impl InvoiceStatus {
    pub fn label(self) -> &'static str {
        match self {
            InvoiceStatus::Paid => "Paid",
            InvoiceStatus::Pending => "Pending",
        }
    }
}

/// Everything printed on one sales invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceData {
    /// The invoice number, e.g. "SD-DEMO-000042" (see [`invoice_number_label`]).
    pub number: String,
    pub issue_date: NaiveDate,
    pub seller: Party,
    pub buyer: Party,
    pub order_id: String,
    pub order_title: String,
    /// The marketplace's display name.
    pub marketplace: String,
    /// ISO 4217 code, e.g. "EUR".
    pub currency: String,
    /// Description and amount of each line: the base package first, then each extra.
    pub lines: Vec<(String, i64)>,
    pub gross_minor: i64,
    /// "Marketplace fee (20 %)".
    pub fee_label: String,
    /// The fee as a positive amount; the invoice prints it negated.
    pub fee_minor: i64,
    pub net_minor: i64,
    pub status: InvoiceStatus,
}

impl InvoiceData {
    /// The invoice of `order` on the marketplace `profile`, with the figures of
    /// [`sellerdesk_rules::breakdown`]. Paid when the order is completed, else Pending.
    pub fn from_order(
        number: String,
        issue_date: NaiveDate,
        seller: Party,
        order: &Order,
        profile: &Profile,
    ) -> Result<InvoiceData, InvoiceError> {
        if number.trim().is_empty() {
            return Err(InvoiceError::MissingNumber);
        }
        let b = breakdown(order, profile)?;
        let lines = b
            .lines
            .into_iter()
            .map(|line| {
                let description = match line.kind {
                    LineKind::Base => format!("Base package: {}", line.title),
                    LineKind::Extra => format!("Extra: {}", line.title),
                };
                (description, line.amount_minor)
            })
            .collect();
        let mut buyer_lines = vec![format!("@{} on {}", order.buyer.username, profile.name)];
        buyer_lines.extend(order.buyer.country.iter().cloned());
        Ok(InvoiceData {
            number,
            issue_date,
            seller,
            buyer: Party::new(order.buyer.display_name.clone(), buyer_lines),
            order_id: order.id.clone(),
            order_title: order.title.clone(),
            marketplace: profile.name.clone(),
            currency: b.currency,
            lines,
            gross_minor: b.gross_minor,
            fee_label: format!("Marketplace fee ({})", percent_label(b.fee_bps)),
            fee_minor: b.fee_minor,
            net_minor: b.net_minor,
            status: if order.status == OrderStatus::Completed {
                InvoiceStatus::Paid
            } else {
                InvoiceStatus::Pending
            },
        })
    }
}

/// The printed form of a per-account invoice number: "SD-" + the account id in capitals
/// (anything but letters and digits becomes "-") + the number on at least six digits,
/// e.g. ("demo", 42) → "SD-DEMO-000042".
pub fn invoice_number_label(account_id: &str, number: u64) -> String {
    let account: String = account_id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_uppercase().next().unwrap_or(c)
            } else {
                '-'
            }
        })
        .collect();
    format!("SD-{account}-{number:06}")
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::{TimeZone, Utc};
    use rstest::rstest;
    use sellerdesk_api::{Buyer, Extra};

    use super::*;

    pub(crate) fn order(status: OrderStatus) -> Order {
        let t = Utc
            .with_ymd_and_hms(2026, 3, 1, 9, 0, 0)
            .single()
            .unwrap_or_default();
        Order {
            id: "o-77".into(),
            title: "Podcast intro".into(),
            buyer: Buyer {
                username: "zoe".into(),
                display_name: "Zoë Müller".into(),
                country: Some("DE".into()),
            },
            status,
            currency: "EUR".into(),
            base_price_minor: 12_000,
            extras: vec![Extra {
                title: "Express 24 h".into(),
                price_minor: 2_500,
            }],
            revisions_included: 1,
            revisions_used: 0,
            created_at: t,
            due_at: t,
            delivered_at: None,
            completed_at: None,
            requests: vec![],
            review: None,
            messages: Vec::new(),
            review_extension_days: 0,
            updated_at: t,
            seq: 1,
        }
    }

    pub(crate) fn profile() -> Profile {
        Profile {
            id: "fiverr".into(),
            name: "Fiverr".into(),
            fee_bps: 2000,
            review_window_days: 3,
            clearance_days: 14,
            request_expiry_hours: 48,
            max_file_bytes: 1 << 30,
            status_labels: Default::default(),
            notes: vec![],
        }
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 14).unwrap_or_default()
    }

    #[test]
    fn figures_come_from_the_breakdown() {
        let o = order(OrderStatus::Completed);
        let inv = InvoiceData::from_order("SD-1".into(), day(), Party::default(), &o, &profile())
            .unwrap();
        let b = breakdown(&o, &profile()).unwrap();
        assert_eq!(
            inv.gross_minor, b.gross_minor,
            "gross must be the breakdown's"
        );
        assert_eq!(inv.fee_minor, b.fee_minor, "fee must be the breakdown's");
        assert_eq!(inv.net_minor, b.net_minor, "net must be the breakdown's");
        assert_eq!(
            inv.lines,
            vec![
                ("Base package: Podcast intro".to_string(), 12_000),
                ("Extra: Express 24 h".to_string(), 2_500)
            ],
            "base first, then each extra"
        );
        assert_eq!(inv.fee_label, "Marketplace fee (20 %)");
        assert_eq!(inv.buyer.name, "Zoë Müller");
        assert_eq!(inv.buyer.lines, vec!["@zoe on Fiverr", "DE"]);
    }

    #[rstest]
    #[case(OrderStatus::Completed, InvoiceStatus::Paid)]
    #[case(OrderStatus::Delivered, InvoiceStatus::Pending)]
    #[case(OrderStatus::InProgress, InvoiceStatus::Pending)]
    #[case(OrderStatus::Disputed, InvoiceStatus::Pending)]
    fn paid_only_once_completed(#[case] status: OrderStatus, #[case] want: InvoiceStatus) {
        let inv = InvoiceData::from_order(
            "SD-1".into(),
            day(),
            Party::default(),
            &order(status),
            &profile(),
        )
        .unwrap();
        assert_eq!(inv.status, want, "{status:?} must invoice as {want:?}");
    }

    #[test]
    fn refusals_are_errors_not_wrong_figures() {
        let mut o = order(OrderStatus::Completed);
        o.extras[0].price_minor = -1;
        let err = InvoiceData::from_order("SD-1".into(), day(), Party::default(), &o, &profile());
        assert!(
            matches!(err, Err(InvoiceError::Rules(_))),
            "a negative extra must be refused, got {err:?}"
        );
        let err = InvoiceData::from_order(
            " ".into(),
            day(),
            Party::default(),
            &order(OrderStatus::Completed),
            &profile(),
        );
        assert!(
            matches!(err, Err(InvoiceError::MissingNumber)),
            "a blank number must be refused, got {err:?}"
        );
    }

    #[rstest]
    #[case("demo", 42, "SD-DEMO-000042")]
    #[case("acct_7", 1, "SD-ACCT-7-000001")]
    #[case("x", 1_234_567, "SD-X-1234567")]
    fn invoice_numbers_are_labelled(#[case] account: &str, #[case] n: u64, #[case] want: &str) {
        assert_eq!(invoice_number_label(account, n), want);
    }
}
