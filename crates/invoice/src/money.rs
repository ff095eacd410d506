//! Money as the seller reads it — the one formatter of the app's lists, the detail, the
//! earnings, invoices and CSV ("$1,234.50", "€12.00", "¥14,500", "-$29.00"), plain
//! decimals for spreadsheets ("145.00") and fee rates. Each currency has its ISO 4217
//! minor-unit digits: none for the yen, three for the Kuwaiti dinar, two otherwise.

use crate::InvoiceError;

/// Digits after the decimal point of `currency` (ISO 4217's minor unit).
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// `minor` units as (sign, whole units, fraction padded to the currency's digits).
fn split(minor: i64, currency: &str) -> (&'static str, u64, String) {
    let digits = minor_digits(currency);
    let scale = 10u64.pow(digits);
    let abs = minor.unsigned_abs();
    let sign = if minor < 0 { "-" } else { "" };
    let fraction = match digits {
        0 => String::new(),
        d => format!(".{:0width$}", abs % scale, width = d as usize),
    };
    (sign, abs / scale, fraction)
}

/// "$1,234.50", "€12.00", "£0.05", "¥14,500", "-$29.00"; other currencies as
/// "12.00 CHF", "1.250 KWD".
pub fn money_label(minor: i64, currency: &str) -> String {
    let (sign, units, fraction) = split(minor, currency);
    let units = units.to_string();
    let mut grouped = String::with_capacity(units.len() + units.len() / 3);
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let amount = format!("{grouped}{fraction}");
    match currency {
        "USD" => format!("{sign}${amount}"),
        "EUR" => format!("{sign}€{amount}"),
        "GBP" => format!("{sign}£{amount}"),
        "JPY" => format!("{sign}¥{amount}"),
        other => format!("{sign}{amount} {other}"),
    }
}

/// A plain decimal a spreadsheet reads as a number: no grouping, no symbol, a dot and the
/// currency's digits ("145.00", "-29.00", "0.05"; "14500" for yen).
pub fn decimal_amount(minor: i64, currency: &str) -> String {
    let (sign, units, fraction) = split(minor, currency);
    format!("{sign}{units}{fraction}")
}

/// The inverse of [`decimal_amount`]: "145.00" USD → 14 500. Exactly the currency's
/// digits required, so a value a spreadsheet reformatted ("145", "1,450.00") is refused,
/// not misread.
pub fn minor_from_decimal(text: &str, currency: &str) -> Result<i64, InvoiceError> {
    let bad = || InvoiceError::Amount(text.to_string());
    let digits = minor_digits(currency);
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (units, fraction) = match (digits, body.split_once('.')) {
        (0, None) => (body, ""),
        (0, Some(_)) => return Err(bad()),
        (_, Some(parts)) => parts,
        (_, None) => return Err(bad()),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let fraction_ok = digits == 0 || (fraction.len() == digits as usize && all_digits(fraction));
    if !all_digits(units) || !fraction_ok {
        return Err(bad());
    }
    let units: i128 = units.parse().map_err(|_| bad())?;
    let fraction: i128 = if digits == 0 {
        0
    } else {
        fraction.parse().map_err(|_| bad())?
    };
    let magnitude = units * 10i128.pow(digits) + fraction;
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
    #[case(14_500, "JPY", "¥14,500")]
    #[case(1_250, "KWD", "1.250 KWD")]
    #[case(-7, "KRW", "-7 KRW")]
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
        assert_eq!(
            decimal_amount(minor, "USD"),
            want,
            "no grouping and no symbol"
        );
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
            minor_from_decimal(text, "USD").is_err(),
            "{text:?} must be refused rather than misread"
        );
    }

    #[test]
    fn each_currency_is_written_and_read_with_its_own_digits() {
        assert_eq!(decimal_amount(14_500, "JPY"), "14500");
        assert_eq!(decimal_amount(1_250, "KWD"), "1.250");
        assert_eq!(minor_from_decimal("14500", "JPY").unwrap(), 14_500);
        assert!(
            minor_from_decimal("145.00", "JPY").is_err(),
            "the yen has no decimals"
        );
        assert!(
            minor_from_decimal("1.25", "KWD").is_err(),
            "the dinar has three"
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
        fn decimals_round_trip(
            minor in any::<i64>(),
            currency in prop::sample::select(vec!["USD", "JPY", "KWD", "CHF"]),
        ) {
            prop_assert_eq!(
                minor_from_decimal(&decimal_amount(minor, currency), currency).ok(),
                Some(minor),
                "a written amount must parse back to the same minor units"
            );
        }
    }
}
