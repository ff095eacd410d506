//! Mutated and malformed Marketplace API payloads: decoding never panics, and whatever
//! is not a valid page is reported as a clear "malformed response" error naming the
//! route, never as something else and never silently accepted with wrong types.

use chrono::Utc;
use proptest::prelude::*;
use sellerdesk_api::OrderPage;
use sellerdesk_core::api::{ApiError, decode_body};
use serde_json::Value;

fn valid_page() -> Value {
    let orders = sellerdesk_sim::demo_orders(Utc::now());
    serde_json::to_value(OrderPage {
        orders: orders.into_iter().take(5).collect(),
        next_cursor: "5".into(),
        has_more: true,
    })
    .unwrap()
}

fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    match decode_body::<OrderPage>("/v1/orders", bytes) {
        Ok(page) => {
            // Whatever decodes must be a well-typed page (serde guarantees the types);
            // round-tripping it must give the same page.
            let again: OrderPage =
                serde_json::from_value(serde_json::to_value(&page).unwrap()).unwrap();
            prop_assert_eq!(again, page);
        }
        Err(ApiError::Malformed(message)) => {
            prop_assert!(
                message.starts_with("/v1/orders:"),
                "the route is named: {}",
                message
            );
        }
        Err(other) => prop_assert!(
            false,
            "decoding can only fail as Malformed, got {:?}",
            other
        ),
    }
    Ok(())
}

/// Every JSON pointer to a value inside `v`.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = format!("{at}/{k}");
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn truncated_bodies_are_malformed(cut in 0usize..4000) {
        let bytes = serde_json::to_vec(&valid_page()).unwrap();
        let cut = cut.min(bytes.len().saturating_sub(1));
        let result = decode_body::<OrderPage>("/v1/orders", &bytes[..cut]);
        prop_assert!(matches!(result, Err(ApiError::Malformed(_))), "a cut body must not decode: {:?}", result.map(|_| ()));
    }

    #[test]
    fn flipped_bytes_never_panic(pos in 0usize..4000, byte in any::<u8>()) {
        let mut bytes = serde_json::to_vec(&valid_page()).unwrap();
        let pos = pos % bytes.len();
        bytes[pos] = byte;
        check(&bytes)?;
    }

    #[test]
    fn structural_mutations_never_panic(pick in any::<prop::sample::Index>(), kind in 0u8..5) {
        let mut page = valid_page();
        let mut all = Vec::new();
        pointers(&page, String::new(), &mut all);
        let target = pick.get(&all).clone();
        if let Some(v) = page.pointer_mut(&target) {
            *v = match kind {
                0 => Value::Null,
                1 => Value::String("not what you expect".into()),
                2 => Value::from(-1),
                3 => Value::Array(vec![]),
                _ => Value::from(1e300),
            };
        }
        check(&serde_json::to_vec(&page).unwrap())?;
    }
}

#[test]
fn a_missing_required_field_names_it() {
    let mut page = valid_page();
    page["orders"][0].as_object_mut().unwrap().remove("due_at");
    let err =
        decode_body::<OrderPage>("/v1/orders", &serde_json::to_vec(&page).unwrap()).unwrap_err();
    assert!(
        err.to_string().contains("due_at"),
        "the message must say what is missing: {err}"
    );
    assert!(
        err.is_retryable(),
        "a bad page may be fixed server side: retry later"
    );
}
