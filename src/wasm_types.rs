//! The TypeScript declarations of the JavaScript API ([`crate::wasm`]), generated from the Rust types.
//!
//! Every input and result type derives `ts_rs::TS` in test builds only (`#[cfg_attr(test, derive(ts_rs::TS))]`,
//! so the wasm module is unchanged); ts-rs reads the serde attributes (`rename_all`, `untagged`, `tag`,
//! `flatten`, …) and turns doc comments into JSDoc. The test below renders them all into
//! `src/wasm_types.d.ts`, which `src/wasm.rs` embeds as a `typescript_custom_section`, so wasm-bindgen
//! writes them into `pkg/clvlab.d.ts` next to the function signatures. The test fails when the committed
//! file is stale; `UPDATE_TYPES=1 cargo test --lib wasm_types` rewrites it.
//!
//! Annotating a new type: add `#[cfg_attr(test, derive(ts_rs::TS))]` (with `ts(rename = "…")` when the
//! JS name differs) and list it in [`declarations`]. ts-rs does not see what `deserialize_with` or
//! `from` accept, so the fields say it: `#[cfg_attr(test, ts(optional = nullable))]` on an `Option`
//! that may be omitted or `null`, `ts(as = "Option<_>", optional = nullable)` on a field with a serde
//! default, `ts(as = "crate::wasm_types::Numbers")` on numbers that `src/wasm.rs` reads as a
//! `Float64Array` or an array. `tests/node/types.test.mjs` then checks the built declarations with the
//! TypeScript compiler and against what the functions really return.

use std::collections::BTreeSet;

use ts_rs::{Config, TS};

/// Numbers as JavaScript may pass them: a `Float64Array` (copied in one go) or an array of numbers.
#[derive(TS)]
#[ts(type = "Float64Array | number[]")]
pub struct Numbers;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/wasm_types.d.ts");

/// Names defined from the generated types (name, JSDoc, definition): one a fitted model, narrowed by
/// the model tag from `Fit`, `SbgFitShape` and `GammaGammaFitShape` (whose `model` and `params` are
/// those of any model, as the Rust types allow), and a Monte Carlo model without `runs` and `seed`.
const ALIASES: &[(&str, &str, &str)] = &[
    (
        "SbgFit",
        "An sBG fit (`fitSbg`), with the survival curve and retention rates it projects.",
        "Extract<SbgFitShape, { model: \"sbg\" }>",
    ),
    (
        "DurationData",
        "Contract durations (`fitSbg`, `fitBdw`): one cohort's survivor counts (`survivors[t]`, still \
         customers at tenure t, t = 0 the acquisition), several cohorts' (each observed as long as it has \
         counts), or one row per customer: `tenure` in whole periods, the period of churn when \
         `churned` is 1, the renewals so far when it is 0; `weights` count identical rows.",
        "{ survivors: Numbers } | { cohorts: number[][] } | { tenure: Numbers; churned: Numbers; weights?: Numbers | null }",
    ),
    (
        "BdwFit",
        "A beta-discrete-Weibull fit (`fitBdw`), with the survival curve and retention rates it projects.",
        "Extract<SbgFitShape, { model: \"bdw\" }>",
    ),
    (
        "GammaGammaFit",
        "A Gamma-Gamma fit (`fitGammaGamma`), with the customers it was fitted on.",
        "Extract<GammaGammaFitShape, { model: \"gammagamma\" }>",
    ),
    (
        "BgNbdFit",
        "A BG/NBD fit (`fitBgNbd`).",
        "Extract<Fit, { model: \"bgnbd\" }>",
    ),
    (
        "BgNbdCovariateFit",
        "A BG/NBD fit with covariates (`fitBgNbd(summary, { covariates })`).",
        "Extract<CovariateFit, { model: \"bgnbd\" }>",
    ),
    (
        "ParetoNbdCovariateFit",
        "A Pareto/NBD fit with covariates (`fitParetoNbd(summary, { covariates })`).",
        "Extract<CovariateFit, { model: \"paretonbd\" }>",
    ),
    (
        "GammaGammaCovariateFit",
        "A Gamma-Gamma fit with covariates (`fitGammaGamma(data, { covariates })`).",
        "Extract<SpendCovariateFit, { model: \"gammagamma\" }>",
    ),
    (
        "MbgNbdFit",
        "An MBG/NBD fit (`fitModifiedBgNbd`).",
        "Extract<Fit, { model: \"mbgnbd\" }>",
    ),
    (
        "ParetoNbdFit",
        "A Pareto/NBD fit (`fitParetoNbd`).",
        "Extract<Fit, { model: \"paretonbd\" }>",
    ),
    (
        "BgBbFit",
        "A BG/BB fit (`fitBgBb`).",
        "Extract<Fit, { model: \"bgbb\" }>",
    ),
    (
        "PurchaseFit",
        "A fit of a repeat-purchase model: what `predict`, `expectedPurchasesNew`, `probPurchases` and \
         `customerValue` take.",
        "Extract<Fit, { model: \"bgnbd\" | \"mbgnbd\" | \"paretonbd\" | \"bgbb\" }>",
    ),
    (
        "SimulationConfig",
        "The input of `simulateEquity`, `simulateEquityChunk` and `summarizeRuns`: the simulation with \
         its `runs` and `seed`.",
        "SimulationFields & { runs: number; seed: number }",
    ),
    (
        "CustomerSummary",
        "Customers summarised by frequency, recency and age, as the repeat-buying models take them; a \
         `summarizeTransactions` result may be passed as it is, its `attributes` (the covariates of a \
         fit with `covariates`) included.",
        "CustomerColumns & { attributes?: Record<string, CategoricalAttribute | NumericAttribute> | null }",
    ),
    (
        "SpendData",
        "Customers' repeat purchase counts and mean repeat spend, with their `attributes` for a fit \
         with `covariates`.",
        "SpendColumns & { attributes?: Record<string, CategoricalAttribute | NumericAttribute> | null }",
    ),
    (
        "SimulationModel",
        "The base or a scenario of `compareScenariosMc`: a simulation without `runs` and `seed`, which \
         the comparison sets once for all.",
        "Omit<SimulationFields, \"runs\" | \"seed\">",
    ),
];

fn aliases() -> impl Iterator<Item = Declaration> {
    ALIASES.iter().map(|(name, doc, definition)| Declaration {
        name: (*name).to_owned(),
        text: format!("/**\n * {doc}\n */\nexport type {name} = {definition};"),
        dependencies: Vec::new(),
    })
}

/// One declaration: its JSDoc and `export type Name = …;`.
struct Declaration {
    name: String,
    text: String,
    dependencies: Vec<String>,
}

fn declare<T: TS + 'static>(cfg: &Config) -> Declaration {
    Declaration {
        name: T::ident(cfg),
        text: format!(
            "{}export {}",
            T::docs().unwrap_or_default(),
            pretty(&T::decl(cfg), "")
        )
        .replace("[`", "`")
        .replace("`]", "`"),
        dependencies: T::dependencies(cfg)
            .into_iter()
            .map(|d| d.ts_name)
            .collect(),
    }
}

/// Every type of the JavaScript API, in the order of `src/wasm.rs`.
fn declarations() -> Vec<Declaration> {
    use crate::{
        clv, data, equity, models, montecarlo, retention, scenario, sensitivity, value_story, wasm,
    };
    let cfg = &Config::new().with_large_int("number");
    vec![
        // clv
        declare::<retention::Retention>(cfg),
        declare::<clv::Timing>(cfg),
        declare::<clv::ClvInput>(cfg),
        declare::<clv::Period>(cfg),
        declare::<clv::ClvResult>(cfg),
        declare::<equity::Segment>(cfg),
        declare::<equity::Acquisition>(cfg),
        declare::<equity::Competitor>(cfg),
        declare::<equity::EquityInput>(cfg),
        declare::<equity::SegmentValue>(cfg),
        declare::<equity::AcquisitionValue>(cfg),
        declare::<equity::EquityResult>(cfg),
        declare::<scenario::Valuation>(cfg),
        declare::<scenario::ChurnChange>(cfg),
        declare::<scenario::MarginChange>(cfg),
        declare::<scenario::Changes>(cfg),
        declare::<scenario::Scenario>(cfg),
        declare::<scenario::CompareInput<scenario::Valuation>>(cfg),
        declare::<scenario::Outcome>(cfg),
        declare::<scenario::ScenarioResult>(cfg),
        declare::<scenario::Comparison>(cfg),
        declare::<sensitivity::Field>(cfg),
        declare::<sensitivity::Measure>(cfg),
        declare::<sensitivity::SensitivityOptions>(cfg),
        declare::<sensitivity::Bar>(cfg),
        declare::<sensitivity::SolveFor>(cfg),
        declare::<sensitivity::BreakEvenOptions>(cfg),
        declare::<sensitivity::BreakEven>(cfg),
        // data
        declare::<data::DateFormat>(cfg),
        declare::<data::Decimal>(cfg),
        declare::<data::Evidence>(cfg),
        declare::<data::Confidence>(cfg),
        declare::<data::Refunds>(cfg),
        declare::<data::Negatives>(cfg),
        declare::<data::Export>(cfg),
        declare::<data::StatusCount>(cfg),
        declare::<data::TimeUnit>(cfg),
        declare::<data::Options>(cfg),
        declare::<data::SkippedRow>(cfg),
        declare::<data::MissingAttributes>(cfg),
        declare::<wasm::CategoricalAttribute>(cfg),
        declare::<wasm::NumericAttribute>(cfg),
        declare::<wasm::TransactionSummary>(cfg),
        declare::<wasm::RfmSegments>(cfg),
        declare::<crate::segments::CohortPeriod>(cfg),
        declare::<wasm::CohortOptions>(cfg),
        declare::<wasm::Guess<'static>>(cfg),
        declare::<data::Period>(cfg),
        declare::<data::SubscriptionOptions>(cfg),
        declare::<data::Cohort>(cfg),
        declare::<data::SubscriptionReport>(cfg),
        declare::<wasm::SubscriptionSummary>(cfg),
        // montecarlo
        declare::<montecarlo::Margin>(cfg),
        declare::<montecarlo::Uncertainty>(cfg),
        declare::<montecarlo::Segment>(cfg),
        declare::<montecarlo::Acquisition>(cfg),
        declare::<montecarlo::EquityConfig>(cfg),
        declare::<montecarlo::Percentiles>(cfg),
        declare::<montecarlo::Histogram>(cfg),
        declare::<montecarlo::Distribution>(cfg),
        declare::<montecarlo::ByPeriod>(cfg),
        declare::<montecarlo::SegmentMean>(cfg),
        declare::<montecarlo::EquitySummary>(cfg),
        declare::<wasm::EquityChunk>(cfg),
        declare::<montecarlo::CompareConfig>(cfg),
        declare::<montecarlo::ScenarioComparison>(cfg),
        declare::<montecarlo::Comparison>(cfg),
        // value story
        declare::<value_story::Effect>(cfg),
        declare::<value_story::Improvement>(cfg),
        declare::<value_story::Price>(cfg),
        declare::<value_story::ValueStoryInput>(cfg),
        declare::<value_story::Gain>(cfg),
        declare::<value_story::SimulatedGain>(cfg),
        declare::<value_story::Cumulative>(cfg),
        declare::<value_story::RuleOfThumb>(cfg),
        declare::<value_story::ValueStory>(cfg),
        declare::<wasm::StoryChunk>(cfg),
        // models
        declare::<Numbers>(cfg),
        declare::<models::Summary>(cfg),
        declare::<models::bgbb::BgBbData>(cfg),
        declare::<models::gammagamma::SpendData>(cfg),
        declare::<models::sbg::Sbg>(cfg),
        declare::<models::bdw::Bdw>(cfg),
        declare::<models::bgnbd::BgNbd>(cfg),
        declare::<models::paretonbd::ParetoNbd>(cfg),
        declare::<models::mbgnbd::ModifiedBgNbd>(cfg),
        declare::<models::gammagamma::GammaGamma>(cfg),
        declare::<models::bgbb::BgBb>(cfg),
        declare::<models::Model>(cfg),
        declare::<models::Termination>(cfg),
        declare::<models::Covariance>(cfg),
        declare::<models::Severity>(cfg),
        declare::<models::Finding>(cfg),
        declare::<models::Check>(cfg),
        declare::<models::Total>(cfg),
        declare::<models::FrequencyRow>(cfg),
        declare::<models::Scorecard>(cfg),
        declare::<models::RankedBy>(cfg),
        declare::<models::Candidate>(cfg),
        declare::<models::Comparison>(cfg),
        declare::<models::RetentionCompareOptions>(cfg),
        declare::<models::RetentionCandidate>(cfg),
        declare::<models::RetentionHoldout>(cfg),
        declare::<models::LikelihoodRatio>(cfg),
        declare::<models::RetentionComparison>(cfg),
        declare::<models::RetentionModel>(cfg),
        declare::<models::RetentionByLevelOptions>(cfg),
        declare::<models::LevelFit>(cfg),
        declare::<models::LevelTest>(cfg),
        declare::<models::RetentionByLevel>(cfg),
        declare::<models::SubscriberAcquisition>(cfg),
        declare::<models::SubscriberValueOptions>(cfg),
        declare::<models::AtTenure>(cfg),
        declare::<models::ConstantRetentionValue>(cfg),
        declare::<models::SubscriberValue>(cfg),
        declare::<models::Fit>(cfg),
        declare::<models::covariates::CovariateOptions>(cfg),
        declare::<models::covariates::Process>(cfg),
        declare::<models::covariates::Covariate>(cfg),
        declare::<models::covariates::Coefficient>(cfg),
        declare::<models::covariates::LikelihoodRatio>(cfg),
        declare::<models::covariates::CovariateFit>(cfg),
        declare::<models::covariates::SpendCovariateFit>(cfg),
        declare::<models::sbg::SbgFit>(cfg),
        declare::<models::gammagamma::GammaGammaFit>(cfg),
        declare::<wasm::PredictionArrays>(cfg),
        declare::<wasm::HorizonOptions>(cfg),
        declare::<wasm::HoldoutOptions>(cfg),
        declare::<wasm::ScorecardOptions>(cfg),
        declare::<models::IntervalCheck>(cfg),
        declare::<models::SpendCheck>(cfg),
        declare::<models::Method>(cfg),
        declare::<models::IntervalOptions>(cfg),
        declare::<models::TotalInterval>(cfg),
        declare::<models::BaseValueOptions>(cfg),
        declare::<models::SegmentPlan>(cfg),
        declare::<models::BaseValue>(cfg),
        declare::<models::BaseSegment>(cfg),
        declare::<models::Spread>(cfg),
        declare::<models::Acquisition>(cfg),
        declare::<models::Aggregate>(cfg),
        declare::<models::NextDollar>(cfg),
        declare::<wasm::BaseCustomers>(cfg),
        declare::<wasm::IntervalArrays>(cfg),
        declare::<models::DrawOptions>(cfg),
        declare::<models::ValueInterval>(cfg),
        declare::<models::ContractualIntervals>(cfg),
        declare::<models::ValueOptions>(cfg),
    ]
    .into_iter()
    .chain(aliases())
    .collect()
}

/// Byte ranges of `text` to step over when looking for brackets: doc comments and string literals.
fn skip_len(text: &str) -> usize {
    if text.starts_with("/*") {
        text.find("*/").map_or(text.len(), |end| end + 2)
    } else if let Some(rest) = text.strip_prefix('"') {
        rest.find('"').map_or(text.len(), |end| end + 2)
    } else {
        0
    }
}

/// Splits the inside of `{ … }` at its top-level commas, or finds the `}` matching an opening `{` (the
/// index of the `}` in `text`, which starts after the `{`).
fn scan(text: &str) -> (Vec<&str>, usize) {
    let mut members = Vec::new();
    let (mut depth, mut start, mut i) = (0usize, 0, 0);
    while i < text.len() {
        let skip = skip_len(&text[i..]);
        if skip > 0 {
            i += skip;
            continue;
        }
        match text.as_bytes()[i] {
            b'{' | b'(' | b'<' | b'[' => depth += 1,
            b'}' if depth == 0 => {
                members.push(&text[start..i]);
                break;
            }
            b'}' | b')' | b'>' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                members.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    members.retain(|m| !m.trim().is_empty());
    (members, i)
}

/// Lays out a ts-rs type expression: an object type stays on one line when it is short and has no
/// JSDoc, else one member a line, indented, each after its re-indented JSDoc.
fn pretty(text: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut rest = text.trim();
    while let Some(open) = find_object(rest) {
        out.push_str(&rest[..open]);
        let (members, close) = scan(&rest[open + 1..]);
        out.push_str(&pretty_object(&members, indent));
        rest = &rest[open + 1 + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The first `{` of `text` outside comments and strings.
fn find_object(text: &str) -> Option<usize> {
    let mut i = 0;
    while i < text.len() {
        let skip = skip_len(&text[i..]);
        if skip > 0 {
            i += skip;
        } else if text.as_bytes()[i] == b'{' {
            return Some(i);
        } else {
            i += 1;
        }
    }
    None
}

fn pretty_object(members: &[&str], indent: &str) -> String {
    let inner = format!("{indent}  ");
    let members: Vec<(Option<&str>, String)> = members
        .iter()
        .map(|m| {
            let m = m.trim();
            match m.strip_prefix("/*").and_then(|r| r.split_once("*/")) {
                Some((doc, signature)) => (Some(doc), pretty(signature, &inner)),
                None => (None, pretty(m, &inner)),
            }
        })
        .collect();
    let one_line = format!(
        "{{ {} }}",
        members
            .iter()
            .map(|(_, s)| s.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    );
    if members.iter().all(|(doc, _)| doc.is_none())
        && !one_line.contains('\n')
        && one_line.len() <= 72
    {
        return one_line;
    }
    let mut out = String::from("{\n");
    for (doc, signature) in &members {
        if let Some(doc) = doc {
            out.push_str(&format!("{inner}/**\n"));
            for line in doc
                .lines()
                .map(str::trim)
                .filter(|l| *l != "*" && !l.is_empty())
            {
                out.push_str(&format!("{inner} {line}\n"));
            }
            out.push_str(&format!("{inner} */\n"));
        }
        out.push_str(&format!("{inner}{signature};\n"));
    }
    out.push_str(indent);
    out.push('}');
    out
}

/// The whole `.d.ts` file.
fn render(declarations: &[Declaration]) -> String {
    let mut out = format!(
        "// Generated from the Rust types by `UPDATE_TYPES=1 cargo test --lib wasm_types` (ts-rs): do not edit.\n\
         //\n\
         // Every input object is read strictly: a field not declared here is refused with an Error naming it\n\
         // (`horizion: unknown field; did you mean horizon?`), `null` or `undefined` in an optional field\n\
         // means absent, and an input may nest at most {} levels. Per-customer data objects may also carry\n\
         // the other keys of a `TransactionSummary`, so a `summarizeTransactions` result can be passed as it is.\n",
        crate::wasm::MAX_DEPTH
    );
    for d in declarations {
        out.push('\n');
        out.push_str(&d.text);
        out.push('\n');
    }
    out
}

#[test]
fn every_referenced_type_is_declared_once() {
    let declarations = declarations();
    let mut names = BTreeSet::new();
    for d in &declarations {
        assert!(names.insert(d.name.as_str()), "{} declared twice", d.name);
    }
    for d in &declarations {
        for dependency in &d.dependencies {
            assert!(
                names.contains(dependency.as_str()),
                "{} uses {dependency}, which is not declared: add it to declarations()",
                d.name
            );
        }
    }
}

#[test]
fn committed_declarations_are_current() {
    let generated = render(&declarations());
    if std::env::var_os("UPDATE_TYPES").is_some() {
        std::fs::write(PATH, &generated).expect("write src/wasm_types.d.ts");
        return;
    }
    let committed = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(
        committed == generated,
        "src/wasm_types.d.ts is not what the Rust types generate: run \
         `UPDATE_TYPES=1 cargo test --lib wasm_types` and commit the file"
    );
}
