//! The pure planning step of a pull: which received orders must be written.

use std::collections::HashMap;

use sellerdesk_api::Order;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageOp {
    /// The order is new here or newer than the stored copy.
    Upsert(Box<Order>),
    /// Already stored at this or a newer version (e.g. a page overlap).
    Skip { id: String, local_seq: u64 },
}

/// Diff one received page against the stored versions. The same order may appear twice
/// in a page (an overlap); the highest `seq` wins. Output is sorted by order id.
pub fn plan_page(local_seqs: &HashMap<String, u64>, remote: &[Order]) -> Vec<PageOp> {
    let mut newest: HashMap<&str, &Order> = HashMap::new();
    for order in remote {
        match newest.get(order.id.as_str()) {
            Some(seen) if seen.seq >= order.seq => {}
            _ => {
                newest.insert(order.id.as_str(), order);
            }
        }
    }
    let mut ops: Vec<PageOp> = newest
        .into_values()
        .map(|order| match local_seqs.get(&order.id) {
            Some(&local_seq) if local_seq >= order.seq => PageOp::Skip {
                id: order.id.clone(),
                local_seq,
            },
            _ => PageOp::Upsert(Box::new(order.clone())),
        })
        .collect();
    ops.sort_by(|a, b| op_id(a).cmp(op_id(b)));
    ops
}

fn op_id(op: &PageOp) -> &str {
    match op {
        PageOp::Upsert(order) => &order.id,
        PageOp::Skip { id, .. } => id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_orders::order;

    fn ids(ops: &[PageOp]) -> Vec<String> {
        ops.iter()
            .map(|op| match op {
                PageOp::Upsert(o) => format!("up:{}@{}", o.id, o.seq),
                PageOp::Skip { id, local_seq } => format!("skip:{id}@{local_seq}"),
            })
            .collect()
    }

    #[test]
    fn plan_table() {
        type Versions = Vec<(&'static str, u64)>;
        let cases: Vec<(&str, Versions, Versions, Vec<&str>)> = vec![
            (
                "new order is written",
                vec![],
                vec![("a", 1)],
                vec!["up:a@1"],
            ),
            (
                "newer remote wins",
                vec![("a", 1)],
                vec![("a", 2)],
                vec!["up:a@2"],
            ),
            (
                "same version is skipped",
                vec![("a", 2)],
                vec![("a", 2)],
                vec!["skip:a@2"],
            ),
            (
                "older remote never overwrites",
                vec![("a", 5)],
                vec![("a", 3)],
                vec!["skip:a@5"],
            ),
            (
                "duplicate in page keeps highest",
                vec![],
                vec![("a", 1), ("a", 4), ("a", 2)],
                vec!["up:a@4"],
            ),
            (
                "sorted by id",
                vec![],
                vec![("c", 1), ("a", 2), ("b", 3)],
                vec!["up:a@2", "up:b@3", "up:c@1"],
            ),
        ];
        for (name, local, remote, expected) in cases {
            let local: HashMap<String, u64> =
                local.into_iter().map(|(i, s)| (i.to_string(), s)).collect();
            let remote: Vec<Order> = remote.into_iter().map(|(i, s)| order(i, s)).collect();
            assert_eq!(ids(&plan_page(&local, &remote)), expected, "{name}");
        }
    }
}
