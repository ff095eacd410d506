//! Why an invoice or an export could not be produced, in words the UI can show.

use sellerdesk_rules::RuleError;

#[derive(Debug, thiserror::Error)]
pub enum InvoiceError {
    /// The order's figures are refused by the earnings rules (negative price, overflow).
    #[error("cannot itemize the order: {0}")]
    Rules(#[from] RuleError),
    /// The invoice number is empty: an invoice must carry one.
    #[error("an invoice needs a number")]
    MissingNumber,
    /// A bundled font could not be read (a broken build, never the user's data).
    #[error("the bundled font {0} cannot be read")]
    Font(&'static str),
    /// krilla refused to write the document.
    #[error("cannot write the PDF: {0}")]
    Pdf(String),
    /// A CSV text that does not follow RFC 4180.
    #[error("malformed CSV at line {line}: {message}")]
    Csv { line: usize, message: String },
    /// A CSV amount that is not a plain decimal with two places, such as "145.00".
    #[error("not an amount with two decimals: {0:?}")]
    Amount(String),
}
