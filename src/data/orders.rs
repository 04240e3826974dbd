//! The rows of a shop's export that are not purchases: the other line items of an order, orders that
//! were never paid, and refunds.
//!
//! - **Orders** (`orderColumn`): shop exports write one row per line item, repeating the order number
//!   (Shopify leaves the order's other fields blank on the later rows; WooCommerce repeats them). The
//!   first row of an order with a usable date is the purchase, with its value; every other row of that
//!   order is merged into it (counted in `lineItemsMerged`, not skipped, and its value not added), and
//!   so are the other rows of an order left out by its status.
//! - **Statuses** (`statusColumn`): rows whose status is in `excludeStatuses` are left out and
//!   counted by status. Statuses are compared ignoring case, a `wc-` prefix, and `_` / `-` against
//!   spaces (`partially_refunded` is `partially refunded`). The default list, [`EXCLUDED_STATUSES`],
//!   is what the platforms call orders and payments that brought no money: pending, unpaid, failed,
//!   declined, cancelled, voided, expired, authorised but not captured, on hold (Magento's `holded`),
//!   drafts, trash, test, refunded, denied and reversed (PayPal), awaiting payment (BigCommerce), in
//!   payment review or suspected of fraud (Magento).
//! - **Refunds** (`refundColumn`, the amount refunded on the row, in the value column's currency):
//!   with `refunds: "reduce"` (the default) a refund reduces the purchase's value, and a purchase
//!   refunded in full is left out; with `"remove"` any refunded purchase is left out.
//! - **Refund rows** (a negative value, as PayPal and Square write refunds): with `negatives: "net"`
//!   (the default) each reduces the same customer's latest earlier purchase (on an earlier day, or
//!   on its day and earlier in the file); a purchase refunded in full is left out, and a refund beyond
//!   its value is not carried to earlier ones; a refund with no earlier purchase is skipped with its
//!   reason. With `"skip"` every negative row is skipped.
//!
//! ```
//! use clvlab::data::{normalized_status, EXCLUDED_STATUSES};
//! assert_eq!(normalized_status(" wc-On-Hold "), "on hold");
//! assert!(EXCLUDED_STATUSES.contains(&normalized_status("wc-on_hold").as_str()));
//! assert!(!EXCLUDED_STATUSES.contains(&normalized_status("Partially_Refunded").as_str()));
//! ```

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

/// The statuses left out when `statusColumn` is given without `excludeStatuses`, normalised
/// ([`normalized_status`]).
pub const EXCLUDED_STATUSES: [&str; 28] = [
    "pending",
    "pending payment",
    "unpaid",
    "failed",
    "declined",
    "cancelled",
    "canceled",
    "voided",
    "void",
    "expired",
    "authorized",
    "authorised",
    "on hold",
    "draft",
    "checkout draft",
    "trash",
    "test",
    "refunded",
    "incomplete",
    "abandoned",
    // PayPal: a payment denied or reversed (charged back).
    "denied",
    "reversed",
    // BigCommerce, Magento: not paid yet, held, or under review.
    "awaiting payment",
    "holded",
    "payment review",
    "suspected fraud",
    // Stripe invoices: sent and not paid yet, or written off.
    "open",
    "uncollectible",
];

/// The statuses of money received, normalised: a status neither here nor excluded is reported as
/// unknown (counted as a purchase, and said so).
pub const PAID_STATUSES: [&str; 20] = [
    "paid",
    "partially paid",
    "partially refunded",
    "completed",
    "complete",
    "processing",
    "succeeded",
    "success",
    "captured",
    "settled",
    "approved",
    "fulfilled",
    "shipped",
    "delivered",
    "closed",
    "accepted",
    // BigCommerce: paid, not yet sent.
    "awaiting fulfillment",
    "awaiting shipment",
    "awaiting pickup",
    "partially shipped",
];

/// How refunds count (`refunds`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Refunds {
    /// A refund reduces the purchase's value; one refunded in full is left out.
    #[default]
    Reduce,
    /// A purchase with any refund is left out.
    Remove,
}

/// What a negative value is (`negatives`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Negatives {
    /// A refund row: it reduces the purchase it refunds (the default).
    #[default]
    Net,
    /// A row to skip, with its reason.
    Skip,
}

/// A status as compared: lower case, trimmed, without a `wc-` prefix, `_` and `-` as spaces.
pub fn normalized_status(status: &str) -> String {
    let lower = status.trim().to_lowercase();
    let bare = lower.strip_prefix("wc-").unwrap_or(&lower);
    bare.replace(['_', '-'], " ")
}

/// How many rows had one status, and whether they were left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "StatusCount"))]
pub struct StatusCount {
    /// The status as first written in the file.
    pub status: String,
    pub rows: usize,
    pub excluded: bool,
    /// Neither a status of money received ([`PAID_STATUSES`]) nor one left out: its rows count as
    /// purchases, which the caller should confirm.
    pub unknown: bool,
}

/// The most distinct statuses counted one by one.
pub const MAX_STATUSES: usize = 50;

/// What happened to the rows that are not purchases.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrderReport {
    /// Rows merged into an earlier row of their order.
    pub line_items_merged: usize,
    /// Rows left out by their status.
    pub excluded_by_status: usize,
    /// Each status seen (at most [`MAX_STATUSES`]), most rows first.
    pub statuses: Vec<StatusCount>,
    /// Purchases whose value a partial refund reduced.
    pub refunds_deducted: usize,
    /// Purchases left out as refunded (in full, or at all with `refunds: "remove"`).
    pub refunded_removed: usize,
    /// Refund rows (negative values) netted against the purchase they refund.
    pub refund_rows_netted: usize,
}

/// The verdict on one row before its date and value are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A purchase (the first usable row of its order, or a row without an order).
    Purchase,
    /// Another row of an order already counted.
    Merged,
    /// Left out by its status.
    Excluded,
}

/// The order, status and refund rules of one log.
#[derive(Debug, Clone, Default)]
pub struct OrderRules {
    excluded: Vec<String>,
    refunds: Refunds,
    orders: HashSet<Box<[u8]>>,
    /// Normalised status → (as first written, rows, excluded, unknown).
    statuses: HashMap<String, (String, usize, bool, bool)>,
    report: OrderReport,
}

impl OrderRules {
    /// Rules leaving out `exclude` (normalised here; [`EXCLUDED_STATUSES`] when `None`).
    pub fn new(exclude: Option<&[String]>, refunds: Refunds) -> Self {
        let excluded = match exclude {
            Some(list) => list.iter().map(|s| normalized_status(s)).collect(),
            None => EXCLUDED_STATUSES.iter().map(|s| (*s).to_owned()).collect(),
        };
        OrderRules {
            excluded,
            refunds,
            ..OrderRules::default()
        }
    }

    /// The verdict on a row of order `order` (blank: none) with status `status` (`None` without a
    /// status column); a row of an order already counted, or left out by its status, is merged
    /// whatever its own status.
    pub fn classify(&mut self, order: Option<&[u8]>, status: Option<&[u8]>) -> Row {
        if let Some(order) = order.filter(|o| !o.is_empty()) {
            if self.orders.contains(order) {
                self.report.line_items_merged += 1;
                return Row::Merged;
            }
        }
        let Some(status) = status else {
            return Row::Purchase;
        };
        let written = String::from_utf8_lossy(status.trim_ascii()).into_owned();
        if written.is_empty() {
            return Row::Purchase;
        }
        let key = normalized_status(&written);
        let excluded = self.excluded.contains(&key);
        if self.statuses.len() < MAX_STATUSES || self.statuses.contains_key(&key) {
            let unknown = !excluded && !PAID_STATUSES.contains(&key.as_str());
            self.statuses
                .entry(key)
                .or_insert((written, 0, excluded, unknown))
                .1 += 1;
        }
        if excluded {
            self.report.excluded_by_status += 1;
            // Its other line items go with it.
            self.counted(order);
            Row::Excluded
        } else {
            Row::Purchase
        }
    }

    /// Marks order `order` as counted, once its purchase is read.
    pub fn counted(&mut self, order: Option<&[u8]>) {
        if let Some(order) = order.filter(|o| !o.is_empty()) {
            self.orders.insert(order.into());
        }
    }

    /// A purchase's value after its refund `refund` (0 when none): `None` when it is left out.
    pub fn after_refund(&mut self, value: f64, refund: f64) -> Option<f64> {
        if refund <= 0.0 {
            return Some(value);
        }
        let left = value - refund;
        if self.refunds == Refunds::Remove || left <= 0.0 {
            self.report.refunded_removed += 1;
            return None;
        }
        self.report.refunds_deducted += 1;
        Some(left)
    }

    /// The report, statuses most rows first.
    pub fn finish(mut self) -> OrderReport {
        let mut statuses: Vec<StatusCount> = self
            .statuses
            .into_values()
            .map(|(status, rows, excluded, unknown)| StatusCount {
                status,
                rows,
                excluded,
                unknown,
            })
            .collect();
        statuses.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.status.cmp(&b.status)));
        self.report.statuses = statuses;
        self.report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_items_merge_statuses_are_counted_and_refunds_reduce() {
        let mut rules = OrderRules::new(None, Refunds::Reduce);
        assert_eq!(rules.classify(Some(b"#1"), Some(b"paid")), Row::Purchase);
        rules.counted(Some(b"#1"));
        assert_eq!(rules.classify(Some(b"#1"), Some(b"")), Row::Merged);
        assert_eq!(rules.classify(Some(b"#2"), Some(b"Voided")), Row::Excluded);
        assert_eq!(
            rules.classify(Some(b"#3"), Some(b"wc-on-hold")),
            Row::Excluded
        );
        assert_eq!(
            rules.classify(None, Some(b"Partially_refunded")),
            Row::Purchase
        );
        assert_eq!(rules.after_refund(50.0, 20.0), Some(30.0));
        assert_eq!(rules.after_refund(50.0, 50.0), None);
        assert_eq!(rules.after_refund(50.0, 0.0), Some(50.0));
        let report = rules.finish();
        assert_eq!(report.line_items_merged, 1);
        assert_eq!(report.excluded_by_status, 2);
        assert_eq!((report.refunds_deducted, report.refunded_removed), (1, 1));
        let voided = report
            .statuses
            .iter()
            .find(|s| s.status == "Voided")
            .unwrap();
        assert_eq!((voided.rows, voided.excluded), (1, true));
        let mut remove = OrderRules::new(Some(&["Test".to_owned()]), Refunds::Remove);
        assert_eq!(remove.after_refund(50.0, 1.0), None);
        assert_eq!(remove.classify(None, Some(b"voided")), Row::Purchase);
        assert_eq!(remove.classify(None, Some(b"TEST")), Row::Excluded);
        assert_eq!(remove.classify(None, Some(b"Gift")), Row::Purchase);
        let report = remove.finish();
        let gift = report.statuses.iter().find(|s| s.status == "Gift").unwrap();
        assert!(gift.unknown && !gift.excluded);
    }
}
