//! Money as the seller reads it: the same labels as the app's lists ("$1,234.50",
//! "€12.00", "-$29.00"), plain decimals for spreadsheets ("145.00") and fee rates.
//!
//! The label rule mirrors `sellerdesk_core::view::money_label` (core will depend on this
//! crate, not the reverse). Like it, every currency is assumed to have two decimals.

use crate::InvoiceError;

/// "$1,234.50", "€12.00", "£0.05", "-$29.00"; other currencies as "12.00 CHF".
pub fn money_label(minor: i64, currency: &str) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let units = (abs / 100).to_string();
    let mut grouped = String::with_capacity(units.len() + units.len() / 3);
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let amount = format!("{grouped}.{:02}", abs % 100);
    match currency {
        "USD" => format!("{sign}${amount}"),
        "EUR" => format!("{sign}€{amount}"),
        "GBP" => format!("{sign}£{amount}"),
        other => format!("{sign}{amount} {other}"),
    }
}

/// A plain decimal a spreadsheet reads as a number: no grouping, no symbol, a dot and
/// two places ("145.00", "-29.00", "0.05").
pub fn decimal_amount(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// The inverse of [`decimal_amount`]: "145.00" → 14 500. Exactly two decimals required,
/// so a value a spreadsheet reformatted ("145", "1,450.00") is refused, not misread.
pub fn minor_from_decimal(text: &str) -> Result<i64, InvoiceError> {
    let bad = || InvoiceError::Amount(text.to_string());
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (units, cents) = digits.split_once('.').ok_or_else(bad)?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(units) || cents.len() != 2 || !all_digits(cents) {
        return Err(bad());
    }
    let units: i128 = units.parse().map_err(|_| bad())?;
    let cents: i128 = cents.parse().map_err(|_| bad())?;
    let magnitude = units * 100 + cents;
    let value = if negative { -magnitude } else { magnitude };
    i64::try_from(value).map_err(|_| bad())
}

/// A fee rate in basis points as a percentage: 2000 → "20 %", 1250 → "12.5 %",
/// 575 → "5.75 %".
pub fn percent_label(bps: u32) -> String {
    let whole = bps / 100;
    let frac = bps % 100;
    if frac == 0 {
        format!("{whole} %")
    } else if frac.is_multiple_of(10) {
        format!("{whole}.{} %", frac / 10)
    } else {
        format!("{whole}.{frac:02} %")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case(14_500, "USD", "$145.00")]
    #[case(123_450, "USD", "$1,234.50")]
    #[case(100_000_000, "EUR", "€1,000,000.00")]
    #[case(1_200, "EUR", "€12.00")]
    #[case(5, "GBP", "£0.05")]
    #[case(0, "USD", "$0.00")]
    #[case(-2_900, "USD", "-$29.00")]
    #[case(-2_050, "EUR", "-€20.50")]
    #[case(1_200, "CHF", "12.00 CHF")]
    #[case(i64::MIN, "USD", "-$92,233,720,368,547,758.08")]
    fn money_labels_match_the_app(#[case] minor: i64, #[case] currency: &str, #[case] want: &str) {
        assert_eq!(
            money_label(minor, currency),
            want,
            "{minor} {currency} must read like the app's money_label"
        );
    }

    #[rstest]
    #[case(14_500, "145.00")]
    #[case(5, "0.05")]
    #[case(0, "0.00")]
    #[case(-2_900, "-29.00")]
    #[case(123_456_789, "1234567.89")]
    fn decimals_are_plain_for_spreadsheets(#[case] minor: i64, #[case] want: &str) {
        assert_eq!(decimal_amount(minor), want, "no grouping and no symbol");
    }

    #[rstest]
    #[case("145")]
    #[case("1,450.00")]
    #[case("145.0")]
    #[case("145.000")]
    #[case("$145.00")]
    #[case("-.50")]
    #[case("")]
    #[case("+1.00")]
    #[case("99999999999999999999.00")]
    fn malformed_amounts_are_refused(#[case] text: &str) {
        assert!(
            minor_from_decimal(text).is_err(),
            "{text:?} must be refused rather than misread"
        );
    }

    #[rstest]
    #[case(2000, "20 %")]
    #[case(1250, "12.5 %")]
    #[case(575, "5.75 %")]
    #[case(5, "0.05 %")]
    #[case(0, "0 %")]
    #[case(10_000, "100 %")]
    fn fee_rates_read_as_percentages(#[case] bps: u32, #[case] want: &str) {
        assert_eq!(percent_label(bps), want);
    }

    proptest! {
        #[test]
        fn decimals_round_trip(minor in any::<i64>()) {
            prop_assert_eq!(
                minor_from_decimal(&decimal_amount(minor)).ok(),
                Some(minor),
                "a written amount must parse back to the same minor units"
            );
        }
    }
}
