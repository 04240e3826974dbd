"""Reference values for evaluateHoldout (tests/models_reference.rs), computed by lifetimes 0.11.3.

The CDNOW sample's transactions (www/data/cdnow_sample_transactions.csv) split as Fader, Hardie & Lee
(2005) do: calibration to 1997-09-30, holdout to 1998-06-30; purchase days counted (freq "D"), times in
weeks (freq_multiplier 7). BG/NBD and Pareto/NBD fitted by lifetimes, then each customer's
conditional expected purchases over the 39-week holdout, and the scorecard from them. Run with the
benchmarks' venv (benches/requirements.txt):

    target/bench-venv/bin/python tests/data/holdout_lifetimes.py > tests/data/cdnow_holdout_lifetimes.json
"""
import json
import sys

import lifetimes
import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, ParetoNBDFitter
from lifetimes.utils import calibration_and_holdout_data

log = pd.read_csv("www/data/cdnow_sample_transactions.csv", dtype={"customer_id": str})
data = calibration_and_holdout_data(
    log, "customer_id", "date", calibration_period_end="1997-09-30",
    observation_period_end="1998-06-30", freq="D", freq_multiplier=7,
)
horizon = float(data["duration_holdout"].iloc[0])
out = {"lifetimes": lifetimes.__version__, "pandas": pd.__version__, "numpy": np.__version__,
       "customers": len(data), "horizon": horizon, "models": {}}
for name, fitter in [("bgnbd", BetaGeoFitter()), ("paretonbd", ParetoNBDFitter())]:
    fitter.fit(data["frequency_cal"], data["recency_cal"], data["T_cal"])
    predicted = fitter.conditional_expected_number_of_purchases_up_to_time(
        horizon, data["frequency_cal"], data["recency_cal"], data["T_cal"])
    actual = data["frequency_holdout"]
    error = predicted - actual
    by = pd.DataFrame({"x": data["frequency_cal"].clip(upper=7), "actual": actual, "predicted": predicted})
    table = by.groupby("x").agg(customers=("actual", "size"), actual=("actual", "mean"),
                                predicted=("predicted", "mean"))
    out["models"][name] = {
        "params": {k: float(v) for k, v in fitter.params_.items()},
        "mae": float(error.abs().mean()),
        "rmse": float(np.sqrt((error ** 2).mean())),
        "bias": float(error.mean()),
        "total": {"actual": float(actual.sum()), "predicted": float(predicted.sum())},
        "byFrequency": [{"frequency": int(x), "customers": int(r.customers), "actual": float(r.actual),
                         "predicted": float(r.predicted)} for x, r in table.iterrows()],
    }
json.dump(out, sys.stdout, indent=1)
print()
