//! `openapi/marketplace-v1.json` against the code: its paths are exactly the routes the
//! router serves, its schemas name exactly the fields the wire types (de)serialize,
//! and every response documents `Date` and problem+json errors.

use std::collections::BTreeSet;

use chrono::{TimeZone, Utc};
use sellerdesk_api::{
    Buyer, DEFAULT_PAGE_LIMIT, DeliveredFile, Delivery, Extra, MAX_PAGE_LIMIT, Order, OrderPage,
    OrderStatus, Problem, Profile,
};
use sellerdesk_sim::{V1_ROUTES, demo_orders, profile};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

const DOCUMENT: &str = include_str!("../../../openapi/marketplace-v1.json");

fn document() -> Value {
    serde_json::from_str(DOCUMENT).expect("openapi/marketplace-v1.json must be valid JSON")
}

/// Follows a local `$ref` (`#/components/...`), or returns the value itself.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("only local $refs");
            doc.pointer(pointer)
                .unwrap_or_else(|| panic!("dangling $ref {reference}"))
        }
        None => value,
    }
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc.pointer(&format!("/components/schemas/{name}"))
        .unwrap_or_else(|| panic!("schema {name} must be documented"))
}

fn keys(object: &Map<String, Value>) -> BTreeSet<String> {
    object.keys().cloned().collect()
}

/// (method, path, operation) for every operation in the document.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let paths = doc["paths"].as_object().expect("paths is an object");
    let mut ops = Vec::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("a path item is an object") {
            if [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                ops.push((method.clone(), path.clone(), op));
            }
        }
    }
    ops
}

#[test]
fn the_documented_paths_are_exactly_the_served_v1_routes() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0", "the document is OpenAPI 3.1");
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(m, p, _)| (m, p))
        .collect();
    let served: BTreeSet<(String, String)> = V1_ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        documented, served,
        "OpenAPI operations must equal sellerdesk_sim::V1_ROUTES"
    );
    let paths = keys(doc["paths"].as_object().expect("paths"));
    let served_paths: BTreeSet<String> = V1_ROUTES.iter().map(|(_, p)| p.to_string()).collect();
    assert_eq!(
        paths, served_paths,
        "`paths` keys must be the /v1 routes, admin routes left out"
    );
}

/// A sample of each wire type, serialized as the simulator sends it.
fn samples() -> Vec<(&'static str, Value)> {
    let start = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 15, 0)
        .single()
        .expect("valid");
    let mut orders = demo_orders(start);
    let completed = orders
        .iter()
        .find(|o| o.status == OrderStatus::Completed)
        .cloned()
        .expect("a completed demo order");
    let order = orders.remove(0);
    let page = OrderPage {
        orders: vec![completed.clone()],
        next_cursor: "9".into(),
        has_more: true,
    };
    let json = |v: Result<Value, serde_json::Error>| v.expect("wire types serialize");
    let delivery = Delivery {
        description: "The final logo files".into(),
        files: vec![DeliveredFile {
            upload_id: "u000001-0badcafe".into(),
            name: "logo.png".into(),
            size: 3,
            sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".into(),
        }],
        no_file_confirmed: false,
        outside_platform: false,
        modified: false,
    };
    vec![
        ("Order", json(serde_json::to_value(&completed))),
        ("Buyer", json(serde_json::to_value(&order.buyer))),
        ("Extra", json(serde_json::to_value(&order.extras[0]))),
        ("OrderPage", json(serde_json::to_value(&page))),
        (
            "Profile",
            json(serde_json::to_value(
                profile("podcasterpros").expect("profile"),
            )),
        ),
        ("Delivery", json(serde_json::to_value(&delivery))),
        (
            "DeliveredFile",
            json(serde_json::to_value(&delivery.files[0])),
        ),
        (
            "Problem",
            json(serde_json::to_value(Problem::new(
                404,
                "Not Found",
                "no order",
            ))),
        ),
    ]
}

#[test]
fn schema_properties_are_the_fields_on_the_wire() {
    let doc = document();
    for (name, sample) in samples() {
        let properties = schema(&doc, name)["properties"]
            .as_object()
            .expect("properties");
        let fields = sample.as_object().expect("wire types are JSON objects");
        assert_eq!(
            keys(properties),
            keys(fields),
            "{name}: documented properties vs serialized fields"
        );
    }
}

/// Deserializes `value` as the wire type the schema `name` describes.
fn accepts(name: &str, value: Value) -> bool {
    fn ok<T: DeserializeOwned>(value: Value) -> bool {
        serde_json::from_value::<T>(value).is_ok()
    }
    match name {
        "Order" => ok::<Order>(value),
        "Buyer" => ok::<Buyer>(value),
        "Extra" => ok::<Extra>(value),
        "OrderPage" => ok::<OrderPage>(value),
        "Profile" => ok::<Profile>(value),
        "Problem" => ok::<Problem>(value),
        "Delivery" => ok::<Delivery>(value),
        "DeliveredFile" => ok::<DeliveredFile>(value),
        other => panic!("no wire type for schema {other}"),
    }
}

#[test]
fn required_lists_exactly_what_the_wire_types_cannot_do_without() {
    let doc = document();
    for (name, sample) in samples() {
        let required: BTreeSet<String> = schema(&doc, name)["required"]
            .as_array()
            .expect("required is listed")
            .iter()
            .map(|v| v.as_str().expect("field names").to_string())
            .collect();
        let fields = sample.as_object().expect("an object");
        let minimal: Map<String, Value> = fields
            .iter()
            .filter(|(k, _)| required.contains(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert!(
            accepts(name, Value::Object(minimal.clone())),
            "{name}: the required fields alone must parse"
        );
        for field in &required {
            let mut missing = minimal.clone();
            missing.remove(field);
            assert!(
                !accepts(name, Value::Object(missing)),
                "{name}.{field} is required, so omitting it must fail"
            );
        }
    }
}

#[test]
fn order_status_lists_every_canonical_status() {
    let doc = document();
    let documented: Vec<&str> = schema(&doc, "OrderStatus")["enum"]
        .as_array()
        .expect("an enum")
        .iter()
        .map(|v| v.as_str().expect("names"))
        .collect();
    let canonical: Vec<&str> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(
        documented, canonical,
        "OrderStatus enum must match sellerdesk_api::OrderStatus::ALL"
    );
}

#[test]
fn every_response_has_date_and_errors_are_problems() {
    let doc = document();
    for (method, path, op) in operations(&doc) {
        let what = format!("{method} {path}");
        let responses = op["responses"].as_object().expect("responses");
        assert!(
            responses.keys().any(|code| code.starts_with('2')),
            "{what} must document its success"
        );
        for code in ["401", "429", "500"] {
            assert!(responses.contains_key(code), "{what} must document {code}");
        }
        for (code, response) in responses {
            let response = resolve(&doc, response);
            let date = response.pointer("/headers/Date").map(|h| resolve(&doc, h));
            assert!(
                date.is_some_and(|h| h["required"] == true),
                "{what} {code} must document the Date header"
            );
            if !code.starts_with('2') {
                let problem = response.pointer("/content/application~1problem+json/schema");
                assert_eq!(
                    problem.and_then(|s| s["$ref"].as_str()),
                    Some("#/components/schemas/Problem"),
                    "{what} {code} must be application/problem+json with a Problem body"
                );
            }
        }
        let retry = resolve(&doc, &responses["429"]).pointer("/headers/Retry-After");
        assert!(retry.is_some(), "{what} 429 must document Retry-After");
        let challenge = resolve(&doc, &responses["401"]).pointer("/headers/WWW-Authenticate");
        assert!(
            challenge.is_some(),
            "{what} 401 must document WWW-Authenticate"
        );
    }
    let list = doc
        .pointer("/paths/~1v1~1orders/get/responses")
        .expect("listOrders");
    assert!(
        list.get("400").is_some(),
        "a bad cursor or limit is a documented 400"
    );
    let patch = doc
        .pointer("/paths/~1v1~1uploads~1{id}/patch/responses")
        .expect("appendToUpload");
    for code in ["409", "412", "415", "460"] {
        assert!(patch.get(code).is_some(), "PATCH documents tus's {code}");
    }
    let one = doc
        .pointer("/paths/~1v1~1orders~1{id}/get/responses")
        .expect("getOrder");
    assert!(
        one.get("404").is_some(),
        "an unknown order is a documented 404"
    );
}

#[test]
fn bearer_auth_and_page_limits_match_the_code() {
    let doc = document();
    let scheme = doc
        .pointer("/components/securitySchemes/bearerAuth")
        .expect("bearerAuth");
    assert_eq!(
        (scheme["type"].as_str(), scheme["scheme"].as_str()),
        (Some("http"), Some("bearer"))
    );
    assert_eq!(
        doc["security"][0]["bearerAuth"],
        Value::Array(vec![]),
        "every operation needs the bearer token"
    );
    let limit = doc
        .pointer("/components/parameters/Limit/schema")
        .expect("the limit parameter");
    assert_eq!(
        limit["default"], DEFAULT_PAGE_LIMIT,
        "documented default limit"
    );
    assert_eq!(limit["maximum"], MAX_PAGE_LIMIT, "documented largest limit");
    assert_eq!(limit["minimum"], 1, "documented smallest limit");
}
