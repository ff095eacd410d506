//! The order list as the window shows it: every active row, or only the rows a change
//! batch named, each with its countdown as of now and its account's clock offset (the
//! window recomputes the countdowns on its own minute tick).

use std::collections::HashMap;

use chrono::Duration;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::AppError;
use crate::view::{OrderRow, add_problems, order_rows};
use crate::workspace::Workspace;

/// An order named across accounts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderKey {
    pub account_id: crate::actions::Id,
    pub order_id: crate::actions::Id,
}

impl Workspace {
    /// The active order list with countdowns as of now, most urgent first.
    pub fn order_rows(&self) -> Result<Vec<OrderRow>, AppError> {
        let orders = self.store().active_orders()?;
        self.rows_of(&orders, &self.store().order_problems()?)
    }

    /// The rows of the named orders that are still listed (active, or refused with a
    /// problem); a named order absent from the answer has left the list.
    pub fn order_rows_of(&self, keys: &[OrderKey]) -> Result<Vec<OrderRow>, AppError> {
        let mut orders = Vec::new();
        for key in keys {
            if let Some(order) = self.store().order(&key.account_id, &key.order_id)? {
                orders.push((key.account_id.to_string(), order));
            }
        }
        let problems: Vec<_> = self
            .store()
            .order_problems()?
            .into_iter()
            .filter(|(a, p)| {
                keys.iter()
                    .any(|k| *k.account_id == **a && *k.order_id == p.order_id)
            })
            .collect();
        self.rows_of(&orders, &problems)
    }

    pub(crate) fn rows_of(
        &self,
        orders: &[(String, sellerdesk_api::Order)],
        problems: &[(String, crate::store::OrderProblem)],
    ) -> Result<Vec<OrderRow>, AppError> {
        let mut profiles = HashMap::new();
        let mut offsets = HashMap::new();
        for account in self.store().accounts()? {
            let state = self.store().sync_state(&account.id)?;
            let offset = crate::countdown::offset_from_ms(state.clock_offset_ms);
            offsets.insert(account.id.clone(), offset);
            if let Some(p) = account.profile {
                profiles.insert(account.id, p);
            }
        }
        let offset_of = |id: &str| offsets.get(id).copied().unwrap_or_else(Duration::zero);
        let mut rows = order_rows(orders, &|id| profiles.get(id), self.now(), &offset_of);
        add_problems(&mut rows, problems);
        for row in &mut rows {
            row.clock_offset_ms = offset_of(&row.account_id).num_milliseconds();
        }
        Ok(rows)
    }
}
