//! Shop and payment exports made from a known ledger of paid purchases, in the shapes the platforms
//! export (a Shopify-style orders export with line items, voided and pending orders and partial
//! refunds; a Stripe-style payments export with failed and refunded charges), recognised by
//! `inspect` and summarised back to the ledger. The two files are shipped with the page
//! (`www/data/sample_shopify_orders.csv`, `www/data/sample_stripe_payments.csv`);
//! `UPDATE_SAMPLE=1 cargo test --test exports` rewrites them, and the test fails when they are stale.

use clvlab::data::{days_from_civil, format_iso, inspect, summarize, Options, Summary, TimeUnit};
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
/// refunded ones `partially_refunded` with their `Refunded Amount`.
fn shopify(orders: &[Order]) -> String {
    let mut csv = String::from(
        "Name,Email,Financial Status,Paid at,Subtotal,Shipping,Taxes,Total,Refunded Amount,Lineitem quantity,Lineitem name\n",
    );
    for (i, o) in orders.iter().enumerate() {
        let (status, refund) = match o.fate {
            Fate::Paid => ("paid", 0),
            Fate::PartRefunded(r) => ("partially_refunded", r),
            Fate::NotPaid if i % 2 == 0 => ("voided", 0),
            Fate::NotPaid => ("pending", 0),
            Fate::Refunded => ("refunded", o.cents),
        };
        let name = format!("#{}", 1001 + i);
        let email = format!("customer{:03}@example.com", o.customer);
        csv += &format!(
            "{name},{email},{status},{} 10:00:00 +0100,{},5.00,{},{},{},1,Item A\n",
            format_iso(o.day),
            money(o.cents),
            money(o.cents / 5),
            money(o.cents + 500 + o.cents / 5),
            money(refund),
        );
        for item in 1..o.items {
            csv += &format!(
                "{name},{email},,,,,,,,1,Item {}\n",
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
    assert_eq!(got.len(), want.len());
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
