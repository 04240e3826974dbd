//! Shop and payment exports known by their headers, with the columns a summary of them reads.
//!
//! Each platform's export is recognised when every one of its `required` column names is in the
//! header (ignoring case and surrounding spaces); the mapping then takes, for each role, the first of
//! its names that the header has. The names are those of the platforms' standard CSV exports:
//! Shopify's orders export (one row per line item, the order's fields on its first row), Stripe's
//! payments and invoices exports, BigCommerce's orders export, Magento's orders grid export, WooCommerce's orders
//! export, PayPal's activity download, Square's transactions export and Klaviyo's CSV of events
//! (`Timestamp`, `Email`, `$value`, `$event_id`, as Klaviyo documents its historical order upload),
//! and HubSpot's orders object as its API and data syncs write it, by the properties' internal names
//! (`hs_billing_address_email`, `hs_external_created_date`, `hs_subtotal_price`, `hs_total_price`,
//! `hs_external_order_id`, `hs_external_order_status`: the source shop's status).
//!
//! ```
//! use clvlab::data::recognise_export;
//! let header = ["id", "Created date (UTC)", "Amount", "Amount Refunded", "Status", "Customer ID"];
//! let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
//! let export = recognise_export(&header).unwrap();
//! assert_eq!((export.name, export.customer_column.as_str()), ("stripe-payments", "Customer ID"));
//! ```

use super::orders::EXCLUDED_STATUSES;

/// One platform's export: the names of its columns by role, in order of preference.
struct Known {
    name: &'static str,
    label: &'static str,
    required: &'static [&'static str],
    customer: &'static [&'static str],
    date: &'static [&'static str],
    value: &'static [&'static str],
    order: &'static [&'static str],
    status: &'static [&'static str],
    refund: &'static [&'static str],
    currency: &'static [&'static str],
    /// Statuses this platform writes for orders that brought no money, beyond [`EXCLUDED_STATUSES`].
    no_money: &'static [&'static str],
}

const KNOWN: [Known; 10] = [
    Known {
        name: "shopify-orders",
        label: "Shopify orders export",
        required: &[
            "Name",
            "Email",
            "Financial Status",
            "Subtotal",
            "Lineitem name",
        ],
        customer: &["Email"],
        date: &["Paid at", "Created at"],
        // The merchandise, without shipping and taxes, which are not the shop's margin.
        value: &["Subtotal"],
        order: &["Name"],
        status: &["Financial Status"],
        refund: &["Refunded Amount"],
        currency: &["Currency"],
        no_money: &[],
    },
    Known {
        name: "stripe-payments",
        label: "Stripe payments export",
        required: &["id", "Amount", "Amount Refunded", "Status"],
        customer: &["Customer ID", "Customer Email", "Customer Description"],
        date: &["Created date (UTC)", "Created (UTC)", "Created"],
        value: &["Amount"],
        order: &[],
        status: &["Status"],
        refund: &["Amount Refunded"],
        currency: &["Currency"],
        no_money: &[],
    },
    // Stripe's invoices export: the amount paid on each invoice; draft, open, void and uncollectible
    // invoices brought no money.
    Known {
        name: "stripe-invoices",
        label: "Stripe invoices export",
        required: &["id", "Amount Paid", "Status"],
        customer: &["Customer", "Customer ID", "Customer Email"],
        date: &["Date (UTC)", "Created (UTC)", "Finalized At (UTC)"],
        value: &["Amount Paid"],
        order: &["Number", "id"],
        status: &["Status"],
        refund: &[],
        currency: &["Currency"],
        no_money: &[],
    },
    // Before WooCommerce, whose required columns BigCommerce's export also has.
    Known {
        name: "bigcommerce-orders",
        label: "BigCommerce orders export",
        required: &[
            "Order ID",
            "Order Date",
            "Order Status",
            "Subtotal (ex tax)",
        ],
        customer: &["Customer Email", "Customer ID"],
        date: &["Order Date"],
        value: &["Subtotal (ex tax)", "Subtotal (inc tax)"],
        order: &["Order ID"],
        status: &["Order Status"],
        refund: &["Refund Amount"],
        currency: &[],
        no_money: &[],
    },
    Known {
        name: "magento-orders",
        label: "Magento orders grid export",
        required: &["ID", "Purchase Date", "Grand Total (Purchased)", "Status"],
        // The grid's default columns name the buyer only; an e-mail column, when added, is better.
        customer: &["Customer Email", "Bill-to Name", "Customer Name"],
        date: &["Purchase Date"],
        value: &["Subtotal", "Grand Total (Purchased)", "Grand Total (Base)"],
        order: &["ID"],
        status: &["Status"],
        refund: &["Total Refunded"],
        currency: &[],
        // Magento closes an order once it is refunded in full (a credit memo).
        no_money: &["closed"],
    },
    Known {
        name: "woocommerce-orders",
        label: "WooCommerce orders export",
        required: &["Order Date", "Order Status"],
        customer: &[
            "Billing Email",
            "Customer Email",
            "Customer User",
            "Customer ID",
        ],
        date: &["Order Date", "Paid Date"],
        value: &[
            "Order Subtotal Amount",
            "Order Subtotal",
            "Order Total Amount",
            "Order Total",
        ],
        order: &["Order Number", "Order ID"],
        status: &["Order Status"],
        refund: &["Order Refund Amount", "Refund Amount"],
        currency: &["Order Currency"],
        no_money: &[],
    },
    Known {
        name: "paypal-activity",
        label: "PayPal activity download",
        required: &[
            "Date",
            "Gross",
            "Status",
            "Transaction ID",
            "From Email Address",
        ],
        customer: &["From Email Address"],
        date: &["Date"],
        value: &["Gross"],
        order: &["Transaction ID"],
        status: &["Status"],
        refund: &[],
        currency: &["Currency"],
        no_money: &[],
    },
    Known {
        name: "square-transactions",
        label: "Square transactions export",
        required: &["Date", "Net Sales", "Transaction ID", "Customer ID"],
        customer: &["Customer ID", "Customer Name"],
        date: &["Date"],
        value: &["Net Sales", "Gross Sales"],
        order: &["Transaction ID"],
        status: &[],
        refund: &[],
        currency: &[],
        no_money: &[],
    },
    // Klaviyo's CSV of events (its format for historical orders, a row per order placed).
    Known {
        name: "klaviyo-events",
        label: "Klaviyo events export",
        required: &["Timestamp", "$value"],
        customer: &["Email", "$email", "Person//Email", "$id"],
        date: &["Timestamp"],
        value: &["$value"],
        order: &["$event_id"],
        status: &[],
        refund: &[],
        currency: &[],
        no_money: &[],
    },
    // HubSpot's orders, by their properties' internal names (a row per order, no refund amount).
    Known {
        name: "hubspot-orders",
        label: "HubSpot orders export",
        required: &["hs_total_price"],
        customer: &["hs_billing_address_email"],
        date: &["hs_external_created_date", "hs_createdate", "createdate"],
        value: &["hs_subtotal_price", "hs_total_price"],
        order: &["hs_external_order_id", "hs_object_id", "hs_order_name"],
        status: &["hs_external_order_status"],
        refund: &[],
        currency: &["hs_currency_code"],
        no_money: &[],
    },
];

/// A recognised export and the columns to read, as the header spells them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "KnownExport"))]
pub struct Export {
    /// `"shopify-orders"`, `"stripe-payments"`, `"stripe-invoices"`, `"bigcommerce-orders"`, `"magento-orders"`,
    /// `"woocommerce-orders"`, `"paypal-activity"`, `"square-transactions"`, `"klaviyo-events"` or
    /// `"hubspot-orders"`.
    pub name: &'static str,
    /// The export in words.
    pub label: &'static str,
    pub customer_column: String,
    pub date_column: String,
    pub value_column: String,
    pub order_column: Option<String>,
    pub status_column: Option<String>,
    pub refund_column: Option<String>,
    pub currency_column: Option<String>,
    /// The statuses to leave out (`excludeStatuses`) where the platform's differ from the defaults
    /// (Magento's `closed`, an order refunded in full); `null` for the defaults.
    pub exclude_statuses: Option<Vec<String>>,
}

/// The export whose columns `header` has, if any.
pub fn recognise_export(header: &[String]) -> Option<Export> {
    let find = |names: &[&str]| {
        names.iter().find_map(|n| {
            header
                .iter()
                .find(|h| h.trim().eq_ignore_ascii_case(n))
                .cloned()
        })
    };
    KNOWN.iter().find_map(|k| {
        if !k.required.iter().all(|r| find(&[r]).is_some()) {
            return None;
        }
        Some(Export {
            name: k.name,
            label: k.label,
            customer_column: find(k.customer)?,
            date_column: find(k.date)?,
            value_column: find(k.value)?,
            order_column: find(k.order),
            status_column: find(k.status),
            refund_column: find(k.refund),
            currency_column: find(k.currency),
            exclude_statuses: (!k.no_money.is_empty()).then(|| {
                EXCLUDED_STATUSES
                    .iter()
                    .chain(k.no_money)
                    .map(|s| (*s).to_owned())
                    .collect()
            }),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn each_platforms_header_is_recognised() {
        let shopify = header(&[
            "Name",
            "Email",
            "Financial Status",
            "Paid at",
            "Fulfillment Status",
            "Subtotal",
            "Shipping",
            "Taxes",
            "Total",
            "Refunded Amount",
            "Created at",
            "Lineitem quantity",
            "Lineitem name",
        ]);
        let e = recognise_export(&shopify).unwrap();
        assert_eq!(e.name, "shopify-orders");
        assert_eq!(
            (
                e.customer_column.as_str(),
                e.date_column.as_str(),
                e.value_column.as_str()
            ),
            ("Email", "Paid at", "Subtotal")
        );
        assert_eq!(e.order_column.as_deref(), Some("Name"));
        assert_eq!(e.refund_column.as_deref(), Some("Refunded Amount"));
        let woo = header(&[
            "Order Number",
            "Order Status",
            "Order Date",
            "Billing Email",
            "Order Total Amount",
        ]);
        let e = recognise_export(&woo).unwrap();
        assert_eq!(
            (e.name, e.value_column.as_str()),
            ("woocommerce-orders", "Order Total Amount")
        );
        assert_eq!(e.refund_column, None);
        let paypal = header(&[
            "Date",
            "Time",
            "Name",
            "Type",
            "Status",
            "Currency",
            "Gross",
            "Fee",
            "Net",
            "From Email Address",
            "Transaction ID",
        ]);
        assert_eq!(
            recognise_export(&paypal).unwrap().customer_column,
            "From Email Address"
        );
        let square = header(&[
            "Date",
            "Time",
            "Gross Sales",
            "Net Sales",
            "Transaction ID",
            "Customer ID",
        ]);
        assert_eq!(recognise_export(&square).unwrap().value_column, "Net Sales");
        // A tidy log is no export; an export missing a role's column is not claimed.
        assert_eq!(
            recognise_export(&header(&["customer_id", "date", "spend"])),
            None
        );
        assert_eq!(
            recognise_export(&header(&["id", "Amount", "Amount Refunded", "Status"])),
            None
        );
    }
}
