//! Shop and payment exports made from a known ledger of paid purchases, in the shapes the platforms
//! export (a Shopify-style orders export with line items, voided and pending orders and partial
//! refunds; a Stripe-style payments export with failed and refunded charges), recognised by
//! `inspect` and summarised back to the ledger. The two files are shipped with the page
//! (`www/data/sample_shopify_orders.csv`, `www/data/sample_stripe_payments.csv`);
//! `UPDATE_SAMPLE=1 cargo test --test exports` rewrites them, and the test fails when they are stale.
//! The other platforms' exports (BigCommerce, Magento, WooCommerce, PayPal, Square, Klaviyo, HubSpot) and a German
//! file (`Kundennummer;Datum;Umsatz`, day-first dates, decimal commas) are made from ledgers the same
//! way and checked alike, without being shipped.

use clvlab::data::{
    civil_from_days, days_from_civil, format_iso, inspect, summarize, Decimal, Negatives, Options,
    Refunds, Summary, TimeUnit,
};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Customers in each sample.
const CUSTOMERS: usize = 250;

/// One paid purchase of the ledger: customer, day number, value after refunds.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Paid {
    customer: usize,
    day: i32,
    value: f64,
}

/// How a purchase appears in an export, besides being paid.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fate {
    Paid,
    /// Partly refunded: the refund, in cents.
    PartRefunded(i64),
    /// Not money: voided or pending (Shopify), failed (Stripe).
    NotPaid,
    /// Refunded in full.
    Refunded,
}

/// One order or charge as generated: customer, day, gross value in cents, fate, line items.
struct Order {
    customer: usize,
    day: i32,
    cents: i64,
    fate: Fate,
    items: usize,
}

/// The orders of [`CUSTOMERS`] customers over 2023–2024: each makes 1 + Geometric(0.45) purchases
/// on days drawn uniformly, of a value drawn uniformly from 5.00 to 400.00 (one in twenty from 1,000.00
/// to 3,000.00, written with a thousands separator); 6 % are not paid, 3 % refunded in full, 5 % partly
/// refunded (10–50 %); each has 1–3 line items.
fn orders(seed: u64) -> Vec<Order> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let first = days_from_civil(2023, 1, 1).unwrap();
    let last = days_from_civil(2024, 12, 31).unwrap();
    let mut orders = Vec::new();
    for customer in 0..CUSTOMERS {
        let mut n = 1;
        while rng.random::<f64>() < 0.55 {
            n += 1;
        }
        for _ in 0..n {
            let day = rng.random_range(first..=last);
            let cents = if rng.random::<f64>() < 0.05 {
                rng.random_range(100_000..=300_000)
            } else {
                rng.random_range(500..=40_000)
            };
            let u = rng.random::<f64>();
            let fate = if u < 0.06 {
                Fate::NotPaid
            } else if u < 0.09 {
                Fate::Refunded
            } else if u < 0.14 {
                Fate::PartRefunded(cents * rng.random_range(10..=50) / 100)
            } else {
                Fate::Paid
            };
            let items = rng.random_range(1..=3);
            orders.push(Order {
                customer,
                day,
                cents,
                fate,
                items,
            });
        }
    }
    orders.sort_by_key(|o| o.day);
    orders
}

/// The paid purchases of `orders`, refunds deducted.
fn ledger(orders: &[Order]) -> Vec<Paid> {
    orders
        .iter()
        .filter_map(|o| {
            let cents = match o.fate {
                Fate::Paid => o.cents,
                Fate::PartRefunded(r) => o.cents - r,
                Fate::NotPaid | Fate::Refunded => return None,
            };
            Some(Paid {
                customer: o.customer,
                day: o.day,
                value: cents as f64 / 100.0,
            })
        })
        .collect()
}

/// Cents as an export writes them: `12.50`, `"1,234.50"`.
fn money(cents: i64) -> String {
    let whole = cents / 100;
    let text = if whole >= 1000 {
        format!(
            "\"{},{:03}.{:02}\"",
            whole / 1000,
            whole % 1000,
            cents % 100
        )
    } else {
        format!("{whole}.{:02}", cents % 100)
    };
    text
}

/// A Shopify-style orders export: one row per line item, the order's fields on its first row only;
/// not-paid orders alternate between `voided` and `pending`, refunded ones are `refunded`, partly
/// refunded ones `partially_refunded` with their `Refunded Amount`. Voided and refunded orders were
/// cancelled, a day later (`Cancelled at`): the financial status, not the cancellation, says that
/// no money stayed, so the summary reads the status alone.
fn shopify(orders: &[Order]) -> String {
    let mut csv = String::from(
        "Name,Email,Financial Status,Paid at,Subtotal,Shipping,Taxes,Total,Refunded Amount,Cancelled at,Lineitem quantity,Lineitem name\n",
    );
    for (i, o) in orders.iter().enumerate() {
        let (status, refund) = match o.fate {
            Fate::Paid => ("paid", 0),
            Fate::PartRefunded(r) => ("partially_refunded", r),
            Fate::NotPaid if i % 2 == 0 => ("voided", 0),
            Fate::NotPaid => ("pending", 0),
            Fate::Refunded => ("refunded", o.cents),
        };
        let cancelled = if matches!(status, "voided" | "refunded") {
            format!("{} 09:30:00 +0100", format_iso(o.day + 1))
        } else {
            String::new()
        };
        let name = format!("#{}", 1001 + i);
        let email = format!("customer{:03}@example.com", o.customer);
        csv += &format!(
            "{name},{email},{status},{} 10:00:00 +0100,{},5.00,{},{},{},{cancelled},1,Item A\n",
            format_iso(o.day),
            money(o.cents),
            money(o.cents / 5),
            money(o.cents + 500 + o.cents / 5),
            money(refund),
        );
        for item in 1..o.items {
            csv += &format!(
                "{name},{email},,,,,,,,,1,Item {}\n",
                (b'A' + item as u8) as char
            );
        }
    }
    csv
}

/// A Stripe-style payments export: one charge per order; not-paid ones `Failed`, refunded ones
/// `Refunded` with the whole amount refunded, partly refunded ones `Paid` with their refund.
fn stripe(orders: &[Order]) -> String {
    let mut csv = String::from(
        "id,Created date (UTC),Amount,Amount Refunded,Currency,Status,Customer ID,Customer Email\n",
    );
    for (i, o) in orders.iter().enumerate() {
        let (status, refund) = match o.fate {
            Fate::Paid => ("Paid", 0),
            Fate::PartRefunded(r) => ("Paid", r),
            Fate::NotPaid => ("Failed", 0),
            Fate::Refunded => ("Refunded", o.cents),
        };
        csv += &format!(
            "ch_{i:05},{} 14:30:00,{},{},usd,{status},cus_{:03},customer{:03}@example.com\n",
            format_iso(o.day),
            money(o.cents),
            money(refund),
            o.customer,
            o.customer
        );
    }
    csv
}

const SHOPIFY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/www/data/sample_shopify_orders.csv"
);
const STRIPE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/www/data/sample_stripe_payments.csv"
);

/// The summary a ledger should give, by hand: per customer (by first purchase), distinct days − 1,
/// the last day less the first, and the mean of the repeat days' totals.
fn expected(ledger: &[Paid], id: impl Fn(usize) -> String) -> Vec<(String, f64, f64, f64)> {
    let mut order: Vec<usize> = Vec::new();
    let mut days: Vec<Vec<(i32, f64)>> = vec![Vec::new(); CUSTOMERS];
    for p in ledger {
        if days[p.customer].is_empty() {
            order.push(p.customer);
        }
        match days[p.customer].iter_mut().find(|(d, _)| *d == p.day) {
            Some((_, v)) => *v += p.value,
            None => days[p.customer].push((p.day, p.value)),
        }
    }
    order
        .into_iter()
        .map(|c| {
            let mut d = days[c].clone();
            d.sort_by_key(|(day, _)| *day);
            let repeats = &d[1..];
            let mean = if repeats.is_empty() {
                0.0
            } else {
                repeats.iter().map(|(_, v)| v).sum::<f64>() / repeats.len() as f64
            };
            (
                id(c),
                repeats.len() as f64,
                f64::from(d[d.len() - 1].0 - d[0].0),
                mean,
            )
        })
        .collect()
}

/// `summary`'s customers against `want`, in the summary's order.
fn assert_summary(summary: &Summary, want: &[(String, f64, f64, f64)]) {
    let mut got: Vec<(String, f64, f64, f64)> = (0..summary.customer_ids.len())
        .map(|i| {
            (
                summary.customer_ids[i].clone(),
                summary.frequency[i],
                summary.recency[i],
                summary.monetary_value[i],
            )
        })
        .collect();
    let mut want = want.to_vec();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    want.sort_by(|a, b| a.0.cmp(&b.0));
    let extra: Vec<&String> = got
        .iter()
        .map(|g| &g.0)
        .filter(|id| !want.iter().any(|w| &w.0 == *id))
        .collect();
    assert_eq!(
        got.len(),
        want.len(),
        "customers not in the ledger: {extra:?}"
    );
    for (g, w) in got.iter().zip(&want) {
        assert_eq!((&g.0, g.1, g.2), (&w.0, w.1, w.2), "{}", w.0);
        // Cents summed and divided: rounding only.
        assert!(
            (g.3 - w.3).abs() <= 1e-9 * w.3.max(1.0),
            "{}: {} vs {}",
            w.0,
            g.3,
            w.3
        );
    }
}

/// The options `inspect` proposes for `text`.
fn proposed(text: &str) -> (Options, &'static str) {
    let i = inspect(text.as_bytes()).unwrap();
    let export = i.export.expect("a recognised export");
    let options = Options {
        value_column: Some(export.value_column.clone()),
        order_column: export.order_column.clone(),
        status_column: export.status_column.clone(),
        refund_column: export.refund_column.clone(),
        currency_column: export.currency_column.clone(),
        exclude_statuses: export.exclude_statuses.clone(),
        time_unit: TimeUnit::Day,
        date_format: i.date_format.unwrap(),
        ..Options::new(&export.customer_column, &export.date_column)
    };
    (options, export.name)
}

fn shipped(path: &str, made: &str) {
    if std::env::var_os("UPDATE_SAMPLE").is_some() {
        std::fs::write(path, made).unwrap();
    }
    let shipped = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        shipped == made,
        "{path} is stale: run UPDATE_SAMPLE=1 cargo test --test exports"
    );
}

#[test]
fn a_shopify_style_export_is_recognised_and_summarised_to_its_ledger() {
    let orders = orders(18);
    let text = shopify(&orders);
    shipped(SHOPIFY, &text);
    let (options, name) = proposed(&text);
    assert_eq!(name, "shopify-orders");
    let s = summarize(&text, &options).unwrap();
    let want = expected(&ledger(&orders), |c| format!("customer{c:03}@example.com"));
    assert_summary(&s, &want);
    let extra: usize = orders.iter().map(|o| o.items - 1).sum();
    assert_eq!(s.orders.line_items_merged, extra);
    let not_paid = orders
        .iter()
        .filter(|o| matches!(o.fate, Fate::NotPaid | Fate::Refunded))
        .count();
    assert_eq!(s.orders.excluded_by_status, not_paid);
    assert_eq!(s.skipped_count, 0);
}

#[test]
fn a_stripe_style_export_is_recognised_and_summarised_to_its_ledger() {
    let orders = orders(19);
    let text = stripe(&orders);
    shipped(STRIPE, &text);
    let (options, name) = proposed(&text);
    assert_eq!(name, "stripe-payments");
    let s = summarize(&text, &options).unwrap();
    let want = expected(&ledger(&orders), |c| format!("cus_{c:03}"));
    assert_summary(&s, &want);
    let part = orders
        .iter()
        .filter(|o| matches!(o.fate, Fate::PartRefunded(_)))
        .count();
    assert_eq!(s.orders.refunds_deducted, part);
}

/// A generator of one platform's export from orders.
type Export = fn(&[Order]) -> String;
/// How an export writes customer `c`'s id.
type Id = fn(usize) -> String;

/// Cents as a German file writes them: `12,50`, `1.234,50`.
fn german_money(cents: i64) -> String {
    let whole = cents / 100;
    if whole >= 1000 {
        format!("{}.{:03},{:02}", whole / 1000, whole % 1000, cents % 100)
    } else {
        format!("{whole},{:02}", cents % 100)
    }
}

/// The paid purchases of `orders` at their gross value: what a file without refunds on the
/// purchase's own row (PayPal, Square: a refund is a row of its own, with a negative amount) gives.
fn gross_ledger(orders: &[Order]) -> Vec<Paid> {
    orders
        .iter()
        .filter(|o| o.fate != Fate::NotPaid)
        .map(at_full_value)
        .collect()
}

/// An order as a purchase of its gross value.
fn at_full_value(o: &Order) -> Paid {
    Paid {
        customer: o.customer,
        day: o.day,
        value: o.cents as f64 / 100.0,
    }
}

/// A BigCommerce-style orders export: one row per order; unpaid ones `Awaiting Payment` or
/// `Declined`, refunded ones `Refunded`, partly refunded ones `Partially Refunded` with their
/// `Refund Amount`, paid ones `Completed`, `Shipped` or `Awaiting Fulfillment`.
fn bigcommerce(orders: &[Order]) -> String {
    let mut csv = String::from(
        "Order ID,Customer ID,Customer Name,Customer Email,Order Date,Order Status,Subtotal (inc tax),Subtotal (ex tax),Order Total (inc tax),Refund Amount\n",
    );
    for (i, o) in orders.iter().enumerate() {
        let (status, refund) = match o.fate {
            Fate::Paid => (["Completed", "Shipped", "Awaiting Fulfillment"][i % 3], 0),
            Fate::PartRefunded(r) => ("Partially Refunded", r),
            Fate::NotPaid => (["Awaiting Payment", "Declined"][i % 2], 0),
            Fate::Refunded => ("Refunded", o.cents),
        };
        csv += &format!(
            "{},{},Customer {},customer{:03}@example.com,{},{status},{},{},{},{}\n",
            100 + i,
            o.customer + 1,
            o.customer,
            o.customer,
            format_iso(o.day),
            money(o.cents + o.cents / 5),
            money(o.cents),
            money(o.cents + o.cents / 5 + 500),
            money(refund),
        );
    }
    csv
}

/// A Magento-style orders grid export (the default columns, with Customer Email, Subtotal and Total
/// Refunded added): dates as the grid writes them (`Mar 9, 2024 10:00:00 AM`); unpaid orders
/// `canceled` or `pending`, refunded ones `closed` with the whole subtotal refunded, partly refunded
/// ones `complete` with their refund.
fn magento(orders: &[Order]) -> String {
    magento_grid(orders, true)
}

/// The Magento grid, with its Total Refunded column or without it (the grid's default columns).
fn magento_grid(orders: &[Order], refunds: bool) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut csv = String::from(
        "ID,Purchase Point,Purchase Date,Bill-to Name,Ship-to Name,Grand Total (Base),Grand Total (Purchased),Status,Customer Email,Subtotal",
    );
    csv += if refunds { ",Total Refunded\n" } else { "\n" };
    for (i, o) in orders.iter().enumerate() {
        let (status, refund) = match o.fate {
            Fate::Paid => (["complete", "processing"][i % 2], 0),
            Fate::PartRefunded(r) => ("complete", r),
            Fate::NotPaid => (["canceled", "pending"][i % 2], 0),
            Fate::Refunded => ("closed", o.cents),
        };
        let (y, m, d) = civil_from_days(o.day);
        let total = money(o.cents + 500);
        csv += &format!(
            "{},Main Website,\"{} {d}, {y} 10:00:00 AM\",Customer {},Customer {},{total},{total},{status},customer{:03}@example.com,{}",
            100_000_001 + i,
            MONTHS[m as usize - 1],
            o.customer,
            o.customer,
            o.customer,
            money(o.cents),
        );
        csv += &if refunds {
            format!(",{}\n", money(refund))
        } else {
            "\n".to_owned()
        };
    }
    csv
}

/// A WooCommerce-style orders export: one row per line item, every field repeated; unpaid orders
/// `wc-failed` or `wc-cancelled`, refunded ones `wc-refunded`, partly refunded ones `wc-completed`
/// with their `Order Refund Amount`.
fn woocommerce(orders: &[Order]) -> String {
    let mut csv = String::from(
        "Order Number,Order Status,Order Date,Billing Email,Order Subtotal Amount,Order Refund Amount,Item Name\n",
    );
    for (i, o) in orders.iter().enumerate() {
        let (status, refund) = match o.fate {
            Fate::Paid => (["wc-completed", "wc-processing"][i % 2], 0),
            Fate::PartRefunded(r) => ("wc-completed", r),
            Fate::NotPaid => (["wc-failed", "wc-cancelled"][i % 2], 0),
            Fate::Refunded => ("wc-refunded", o.cents),
        };
        for item in 0..o.items {
            csv += &format!(
                "{},{status},{} 10:00,customer{:03}@example.com,{},{},Item {}\n",
                5000 + i,
                format_iso(o.day),
                o.customer,
                money(o.cents),
                money(refund),
                (b'A' + item as u8) as char
            );
        }
    }
    csv
}

/// A PayPal-style activity download: US dates (`MM/DD/YYYY`), unpaid payments `Denied` or `Pending`,
/// and each refund a row of its own (type `Refund`, negative gross) after the payment.
fn paypal(orders: &[Order]) -> String {
    let mut csv = String::from(
        "Date,Time,TimeZone,Name,Type,Status,Currency,Gross,Fee,Net,From Email Address,To Email Address,Transaction ID\n",
    );
    for (i, o) in orders.iter().enumerate() {
        let (y, m, d) = civil_from_days(o.day);
        let date = format!("{m:02}/{d:02}/{y}");
        let email = format!("customer{:03}@example.com", o.customer);
        let status = match o.fate {
            Fate::NotPaid => ["Denied", "Pending"][i % 2],
            _ => "Completed",
        };
        let gross = money(o.cents);
        csv += &format!(
            "{date},10:00:00,PST,Customer {},Express Checkout Payment,{status},USD,{gross},-0.30,{gross},{email},shop@example.com,TX{i:06}\n",
            o.customer
        );
        let Some(refund) = refunded(o) else { continue };
        let minus = minus(refund);
        csv += &format!(
            "{date},16:00:00,PST,Customer {},Payment Refund,Completed,USD,{minus},0.00,{minus},{email},shop@example.com,RF{i:06}\n",
            o.customer,
        );
    }
    csv
}

/// A Square-style transactions export: sales only (an unpaid sale is not in it), and each refund a
/// row of its own with negative sales.
fn square(orders: &[Order]) -> String {
    let mut csv = String::from(
        "Date,Time,Time Zone,Gross Sales,Discounts,Net Sales,Tax,Total Collected,Transaction ID,Customer ID,Customer Name\n",
    );
    for (i, o) in orders.iter().enumerate() {
        if o.fate == Fate::NotPaid {
            continue;
        }
        let sales = money(o.cents);
        csv += &format!(
            "{},12:00:00,Europe/London,{sales},0.00,{sales},0.00,{sales},T{i:06},C{:03},Customer {}\n",
            format_iso(o.day),
            o.customer,
            o.customer
        );
        let Some(refund) = refunded(o) else { continue };
        let minus = minus(refund);
        csv += &format!(
            "{},15:00:00,Europe/London,{minus},0.00,{minus},0.00,{minus},R{i:06},C{:03},Customer {}\n",
            format_iso(o.day),
            o.customer,
            o.customer
        );
    }
    csv
}

/// A German shop's own file: `Kundennummer;Datum;Umsatz`, one row per paid purchase net of refunds,
/// `21.02.2023` and `1.234,56`.
fn german(orders: &[Order]) -> String {
    let mut csv = String::from("Kundennummer;Datum;Umsatz\n");
    for p in ledger(orders) {
        let (y, m, d) = civil_from_days(p.day);
        let cents = (p.value * 100.0).round() as i64;
        csv += &format!(
            "K{:04};{d:02}.{m:02}.{y};{}\n",
            p.customer,
            german_money(cents)
        );
    }
    csv
}

/// A Klaviyo-style CSV of events: one `Placed Order` row per paid order, at its value net of refunds.
fn klaviyo(orders: &[Order]) -> String {
    let mut csv = String::from("$event_id,Timestamp,Email,$value,Item Count\n");
    for (i, o) in orders.iter().enumerate() {
        let cents = match o.fate {
            Fate::Paid => o.cents,
            Fate::PartRefunded(r) => o.cents - r,
            Fate::NotPaid | Fate::Refunded => continue,
        };
        csv += &format!(
            "{},{} 10:00:00,customer{:03}@example.com,{}.{:02},{}\n",
            7000 + i,
            format_iso(o.day),
            o.customer,
            cents / 100,
            cents % 100,
            o.items
        );
    }
    csv
}

/// A Stripe-style invoices export: the amount paid on each invoice; unpaid invoices `open`, `void` or
/// `uncollectible` with nothing paid. An invoice holds no refund (Stripe refunds the charge): one
/// partly refunded is written at its value net of the refund, one refunded in full as `void`.
fn stripe_invoices(orders: &[Order]) -> String {
    let mut csv = String::from(
        "id,Number,Customer,Customer Email,Date (UTC),Currency,Total,Amount Due,Amount Paid,Amount Remaining,Status\n",
    );
    for (i, o) in orders.iter().enumerate() {
        let (status, paid) = match o.fate {
            Fate::Paid => ("paid", o.cents),
            Fate::PartRefunded(r) => ("paid", o.cents - r),
            Fate::NotPaid => (["open", "uncollectible"][i % 2], 0),
            Fate::Refunded => ("void", 0),
        };
        let amount = |cents: i64| format!("{}.{:02}", cents / 100, cents % 100);
        csv += &format!(
            "in_{i:08},INV-{:04},cus_{:05},customer{:03}@example.com,{} 08:15,usd,{},{},{},{},{status}\n",
            1000 + i,
            o.customer,
            o.customer,
            format_iso(o.day),
            amount(o.cents),
            amount(o.cents),
            amount(paid),
            amount(o.cents - paid),
        );
    }
    csv
}

/// A HubSpot orders export by its properties' internal names, as its API and data syncs write them:
/// one row per order, UTC timestamps with milliseconds, plain amounts, the source shop's status
/// (`pending` and `cancelled` not paid, `refunded`, `partially_refunded` at the value net of its
/// refund, as HubSpot holds no refund amount).
fn hubspot(orders: &[Order]) -> String {
    let mut csv = String::from(
        "hs_object_id,hs_order_name,hs_external_order_id,hs_external_created_date,hs_billing_address_email,hs_currency_code,hs_subtotal_price,hs_total_price,hs_external_order_status\n",
    );
    for (i, o) in orders.iter().enumerate() {
        let (status, cents) = match o.fate {
            Fate::Paid => ("paid", o.cents),
            Fate::PartRefunded(r) => ("partially_refunded", o.cents - r),
            Fate::NotPaid => (["pending", "cancelled"][i % 2], o.cents),
            Fate::Refunded => ("refunded", o.cents),
        };
        let amount = format!("{}.{:02}", cents / 100, cents % 100);
        csv += &format!(
            "{},Order #{},{},{}T09:30:00.000Z,customer{:03}@example.com,EUR,{amount},{amount},{status}\n",
            18_000_000_000u64 + i as u64,
            3000 + i,
            3000 + i,
            format_iso(o.day),
            o.customer,
        );
    }
    csv
}

/// The cents refunded on `o`, if any.
fn refunded(o: &Order) -> Option<i64> {
    match o.fate {
        Fate::PartRefunded(r) => Some(r),
        Fate::Refunded => Some(o.cents),
        Fate::Paid | Fate::NotPaid => None,
    }
}

/// A refund as a row of its own writes it: `"-12.50"`, `"-1,234.50"`.
fn minus(cents: i64) -> String {
    format!("\"-{}\"", money(cents).trim_matches('"'))
}

/// Each refund row (negative amount) of a file whose refunds are rows of their own.
fn refund_rows(orders: &[Order]) -> usize {
    orders.iter().filter(|o| refunded(o).is_some()).count()
}

#[test]
fn stripe_invoices_bigcommerce_magento_woocommerce_klaviyo_and_hubspot_exports_are_recognised_and_summarised_to_their_ledgers(
) {
    let cases: [(&str, Export, u64); 6] = [
        ("stripe-invoices", stripe_invoices, 29),
        ("bigcommerce-orders", bigcommerce, 21),
        ("magento-orders", magento, 22),
        ("woocommerce-orders", woocommerce, 23),
        ("klaviyo-events", klaviyo, 27),
        ("hubspot-orders", hubspot, 28),
    ];
    for (name, make, seed) in cases {
        let orders = orders(seed);
        let text = make(&orders);
        let (options, found) = proposed(&text);
        assert_eq!(found, name);
        let s = summarize(&text, &options).unwrap();
        let id = |c: usize| {
            if name == "stripe-invoices" {
                format!("cus_{c:05}")
            } else {
                format!("customer{c:03}@example.com")
            }
        };
        let want = expected(&ledger(&orders), id);
        assert_summary(&s, &want);
        assert_eq!(s.skipped_count, 0, "{name}: {:?}", s.skipped);
        let unknown: Vec<_> = s.orders.statuses.iter().filter(|c| c.unknown).collect();
        assert!(unknown.is_empty(), "{name}: {unknown:?}");
        let part = orders
            .iter()
            .filter(|o| matches!(o.fate, Fate::PartRefunded(_)))
            .count();
        // Klaviyo's events, HubSpot's orders and Stripe's invoices carry the value after refunds:
        // nothing to deduct.
        let deducted = if matches!(
            name,
            "klaviyo-events" | "hubspot-orders" | "stripe-invoices"
        ) {
            0
        } else {
            part
        };
        assert_eq!(s.orders.refunds_deducted, deducted, "{name}");
    }
}

/// PayPal's and Square's refunds are rows of their own, with negative amounts: netted against the
/// purchase they refund, so the summary is the ledger's, net of refunds; skipped with
/// `negatives: "skip"`, each with its reason, leaving the purchases at their gross value.
#[test]
fn paypal_and_square_exports_are_recognised_and_their_refund_rows_netted() {
    let cases: [(&str, Export, u64, Id); 2] = [
        ("paypal-activity", paypal, 24, |c| {
            format!("customer{c:03}@example.com")
        }),
        ("square-transactions", square, 25, |c| format!("C{c:03}")),
    ];
    for (name, make, seed, id) in cases {
        let orders = orders(seed);
        let text = make(&orders);
        let (options, found) = proposed(&text);
        assert_eq!(found, name);
        let s = summarize(&text, &options).unwrap();
        assert_summary(&s, &expected(&ledger(&orders), id));
        assert_eq!(s.skipped_count, 0, "{name}: {:?}", s.skipped);
        assert_eq!(s.orders.refund_rows_netted, refund_rows(&orders), "{name}");
        let full = orders.iter().filter(|o| o.fate == Fate::Refunded).count();
        assert_eq!(s.orders.refunded_removed, full, "{name}");
        // Refunds that remove: every refunded purchase is left out, in part or in full.
        let remove = Options {
            refunds: Refunds::Remove,
            ..options.clone()
        };
        let s = summarize(&text, &remove).unwrap();
        let paid: Vec<Paid> = orders
            .iter()
            .filter(|o| o.fate == Fate::Paid)
            .map(at_full_value)
            .collect();
        assert_summary(&s, &expected(&paid, id));
        assert_eq!(s.orders.refunded_removed, refund_rows(&orders), "{name}");
        let skip = Options {
            negatives: Negatives::Skip,
            ..options
        };
        let s = summarize(&text, &skip).unwrap();
        assert_summary(&s, &expected(&gross_ledger(&orders), id));
        assert_eq!(s.skipped_count, refund_rows(&orders), "{name}");
        assert!(
            s.skipped
                .iter()
                .all(|r| r.reason.starts_with("negative value")),
            "{name}: {:?}",
            &s.skipped[..3.min(s.skipped.len())]
        );
    }
}

/// Magento closes an order once it is refunded in full: without the Total Refunded column such an
/// order is still left out (by the status the inspection proposes), and a partly refunded one counts
/// at its gross value.
#[test]
fn magentos_closed_orders_are_left_out_without_their_refund_column() {
    let orders = orders(22);
    let text = magento_grid(&orders, false);
    let (options, found) = proposed(&text);
    assert_eq!(found, "magento-orders");
    assert_eq!(options.refund_column, None);
    let s = summarize(&text, &options).unwrap();
    let gross: Vec<Paid> = orders
        .iter()
        .filter(|o| matches!(o.fate, Fate::Paid | Fate::PartRefunded(_)))
        .map(at_full_value)
        .collect();
    assert_summary(
        &s,
        &expected(&gross, |c| format!("customer{c:03}@example.com")),
    );
    let closed = s.orders.statuses.iter().find(|c| c.status == "closed");
    let refunded = orders.iter().filter(|o| o.fate == Fate::Refunded).count();
    assert!(refunded > 0);
    assert_eq!(closed.map(|c| (c.rows, c.excluded)), Some((refunded, true)));
}

#[test]
fn a_german_file_is_mapped_from_its_values_and_read_with_decimal_commas() {
    let orders = orders(26);
    let text = german(&orders);
    let i = inspect(text.as_bytes()).unwrap();
    assert_eq!(i.export, None);
    assert_eq!(i.customer_column.as_deref(), Some("Kundennummer"));
    assert_eq!(i.date_column.as_deref(), Some("Datum"));
    assert_eq!(i.value_column.as_deref(), Some("Umsatz"));
    assert_eq!(i.decimal, Some(Decimal::Comma));
    let options = Options {
        value_column: i.value_column.clone(),
        time_unit: TimeUnit::Day,
        date_format: i.date_format.unwrap(),
        decimal: Decimal::Comma,
        ..Options::new("Kundennummer", "Datum")
    };
    let s = summarize(&text, &options).unwrap();
    assert_summary(&s, &expected(&ledger(&orders), |c| format!("K{c:04}")));
    assert_eq!(s.skipped_count, 0);
}

/// A currency column that names two currencies among the purchases counted is an error naming both
/// and their lines (a failed charge in another currency is not counted, so not an error); one that
/// disagrees with the currency the values name is an error too.
#[test]
fn a_currency_column_must_name_one_currency() {
    let orders = orders(30);
    let text = stripe_invoices(&orders);
    let (options, _) = proposed(&text);
    assert_eq!(options.currency_column.as_deref(), Some("Currency"));
    assert_eq!(
        summarize(&text, &options).unwrap().currency.as_deref(),
        Some("USD")
    );
    // The 5th data row (line 6) paid in euros.
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let paid = (1..lines.len())
        .filter(|&i| lines[i].ends_with(",paid"))
        .nth(4)
        .unwrap();
    let first = (1..lines.len())
        .find(|&i| lines[i].ends_with(",paid"))
        .unwrap();
    lines[paid] = lines[paid].replace(",usd,", ",EUR,");
    let mixed = lines.join("\n") + "\n";
    let e = summarize(&mixed, &options).unwrap_err();
    assert_eq!(e.option(), Some("currencyColumn"));
    assert_eq!(
        e.to_string(),
        format!(
            "mixes currencies: USD (line {}) and EUR (line {}); summarise one currency at a time",
            first + 1,
            paid + 1
        )
    );
    // The same row unpaid (void): not counted, so no mixing.
    lines[paid] = lines[paid].replace(",paid", ",void");
    let voided = lines.join("\n") + "\n";
    assert!(summarize(&voided, &options).is_ok());
    // Values that name euros in a column of dollars.
    let euros: String = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let mut fields: Vec<String> = line.split(',').map(str::to_owned).collect();
            if i > 0 {
                fields[8] = format!("€{}", fields[8]);
            }
            fields.join(",") + "\n"
        })
        .collect();
    let e = summarize(&euros, &options).unwrap_err();
    assert_eq!(e.option(), Some("currencyColumn"));
    assert!(
        e.to_string()
            .starts_with("says USD (line 2) but the values name EUR"),
        "{e}"
    );
}
