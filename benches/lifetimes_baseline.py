"""The lifetimes baseline for benches/run.sh: times Python lifetimes on the full CDNOW log it ships.

Times, best of a few runs (Pareto/NBD once, it takes seconds):
  - summary_data_from_transaction_data (calibration end 1997-09-30, weeks as days / 7, monetary value),
    alone and with pandas.read_csv of the file (our summary starts from the text, so that is the fair pair);
  - the same on a synthetic 1,000,000-row log, written to --synthetic for the wasm side to read;
  - BetaGeoFitter.fit and ParetoNBDFitter.fit on the CDNOW calibration summary;
  - conditional_expected_number_of_purchases_up_to_time (39 weeks) and conditional_probability_alive
    for every customer, for both models;
  - GammaGammaFitter.fit on the customers with a repeat purchase and positive spend, and
    customer_lifetime_value of every customer (BG/NBD, 12 months, 1 % a month, weeks).
Prints one JSON object: seconds per task, the parameters found, and the file paths used.
"""
import argparse
import json
import os
import sys
import time
import warnings

warnings.filterwarnings("ignore")

import numpy as np
import pandas as pd
import lifetimes
from lifetimes import BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter
from lifetimes.utils import summary_data_from_transaction_data

CALIBRATION_END = "19970930"
HORIZON_WEEKS = 39


def best_of(runs, task):
    """Best wall-clock seconds of `runs` calls of `task`, and its last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = task()
        best = min(best, time.perf_counter() - start)
    return best, result


def cdnow_master_path():
    return os.path.join(os.path.dirname(lifetimes.__file__), "datasets", "CDNOW_master.txt")


def read_cdnow(path):
    return pd.read_csv(path, sep=r"\s+", dtype={"customer_id": str, "date": str})


def summarize_cdnow(frame):
    return summary_data_from_transaction_data(
        frame, "customer_id", "date", monetary_value_col="dollar_value",
        datetime_format="%Y%m%d", observation_period_end=CALIBRATION_END,
        freq="D", freq_multiplier=7)


def write_synthetic(path, rows=1_000_000, customers=50_000, seed=20250101):
    """A log of `rows` purchases by up to `customers` ids over 1998-1999, ISO dates, values in cents."""
    if os.path.exists(path):
        return
    rng = np.random.RandomState(seed)
    ids = rng.randint(0, customers, rows)
    days = pd.Timestamp("1998-01-01") + pd.to_timedelta(rng.randint(0, 730, rows), unit="D")
    cents = rng.randint(0, 20_000, rows)
    frame = pd.DataFrame({
        "customer_id": [f"C{i:06d}" for i in ids],
        "date": days.strftime("%Y-%m-%d"),
        "spend": [f"{c // 100}.{c % 100:02d}" for c in cents],
    })
    os.makedirs(os.path.dirname(path), exist_ok=True)
    frame.to_csv(path, index=False)


def summarize_synthetic(path):
    frame = pd.read_csv(path, dtype={"customer_id": str, "date": str})
    return summary_data_from_transaction_data(
        frame, "customer_id", "date", monetary_value_col="spend", datetime_format="%Y-%m-%d",
        observation_period_end="1999-06-30", freq="D", freq_multiplier=7)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synthetic", help="path of the synthetic 1e6-row CSV (written if missing)")
    parser.add_argument("--quick", action="store_true", help="skip Pareto/NBD (about 10 s)")
    args = parser.parse_args()

    path = cdnow_master_path()
    timings, params = {}, {}
    timings["summary"], summary = best_of(5, lambda: summarize_cdnow(read_cdnow(path)))
    frame = read_cdnow(path)
    timings["summaryWithoutRead"], _ = best_of(5, lambda: summarize_cdnow(frame))
    f, r, t = summary["frequency"], summary["recency"], summary["T"]

    timings["fitBgNbd"], bgf = best_of(3, lambda: BetaGeoFitter().fit(f, r, t))
    params["bgnbd"] = bgf.params_.to_dict()
    timings["predictBgNbd"], _ = best_of(5, lambda: (
        bgf.conditional_expected_number_of_purchases_up_to_time(HORIZON_WEEKS, f, r, t),
        bgf.conditional_probability_alive(f, r, t)))
    m = summary["monetary_value"]
    spenders = summary[(f > 0) & (m > 0)]
    timings["fitGammaGamma"], ggf = best_of(3, lambda: GammaGammaFitter().fit(
        spenders["frequency"], spenders["monetary_value"]))
    params["gammagamma"] = ggf.params_.to_dict()
    timings["customerValue"], _ = best_of(3, lambda: ggf.customer_lifetime_value(
        bgf, f, r, t, m, time=12, discount_rate=0.01, freq="W"))
    if not args.quick:
        timings["fitParetoNbd"], pnf = best_of(1, lambda: ParetoNBDFitter().fit(f, r, t))
        params["paretonbd"] = pnf.params_.to_dict()
        timings["predictParetoNbd"], _ = best_of(3, lambda: (
            pnf.conditional_expected_number_of_purchases_up_to_time(HORIZON_WEEKS, f, r, t),
            pnf.conditional_probability_alive(f, r, t)))
    if args.synthetic:
        write_synthetic(args.synthetic)
        timings["summarySynthetic"], synthetic = best_of(1, lambda: summarize_synthetic(args.synthetic))
        params["syntheticCustomers"] = len(synthetic)

    json.dump({
        "lifetimes": lifetimes.__version__,
        "python": sys.version.split()[0],
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "cdnowMaster": path,
        "customers": len(summary),
        "horizon": HORIZON_WEEKS,
        "seconds": timings,
        "params": params,
    }, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
