"""The same workloads as peerlens-bench, in the tools a researcher would
otherwise use: numpy, statsmodels, scikit-learn and pandas.

Reads the inputs peerlens-bench --prepare wrote to the work folder, writes
its outputs beside PeerLens's (out_<workload>_<peer>.csv) and prints one
JSON line per workload: {"workload", "peer", "seconds"} (median of reps).
"""
import argparse, glob, itertools, json, os, statistics, sys, time
import numpy as np

p = argparse.ArgumentParser()
p.add_argument("--work", required=True)
p.add_argument("--data", required=True)
p.add_argument("--size", default="quick")
p.add_argument("--only", default="")
a = p.parse_args()
W = a.work
reps = {"full": 3, "quick": 1, "smoke": 1}[a.size]
only = set(filter(None, a.only.split(",")))


def timed(workload, peer, fn):
    if only and workload not in only:
        return
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    print(json.dumps({"workload": workload, "peer": peer, "seconds": statistics.median(times)}), flush=True)


def read(name):
    with open(os.path.join(W, name)) as f:
        header = f.readline().strip().split(",")
    return header, np.loadtxt(os.path.join(W, name), delimiter=",", skiprows=1, ndmin=2)


CANDIDATES = ["imd19_avg_score", "imd19_prop_lsoa_most_dep10", "imd19_extent", "income19_avg_score",
              "employment19_avg_score", "pct_white_british", "pct_asian", "pct_black", "pct_mixed",
              "pct_hh_overcrowded_bedrooms", "pct_hh_social_rented", "pct_hh_in_rural_lsoa_ruc21"]


def selection():
    import statsmodels.api as sm
    ids = open(os.path.join(W, "selection_indicators.txt")).read().split()
    out = ["indicator,best_variables,best_aic,best_loo_mse,subsets"]
    for ind in ids:
        _, m = read(f"selection_{ind}.csv")
        y, X = m[:, 0], m[:, 1:]
        n = len(y)
        best = None
        count = 0
        for r in range(0, X.shape[1] + 1):
            for combo in itertools.combinations(range(X.shape[1]), r):
                Xs = sm.add_constant(X[:, list(combo)], has_constant="add")
                res = sm.OLS(y, Xs).fit()
                h = res.get_influence().hat_matrix_diag
                loo = float(np.mean((res.resid / (1 - h)) ** 2))
                aic = res.aic + 2  # statsmodels does not count σ²; R and PeerLens do
                count += 1
                if best is None or aic < best[0] - 1e-9:
                    best = (aic, combo, loo)
        out.append(f"{ind},{';'.join(CANDIDATES[j] for j in sorted(best[1]))},{best[0]},{best[2]},{count}")
    open(os.path.join(W, "out_selection_statsmodels.csv"), "w").write("\n".join(out) + "\n")


def nb_design(m, idx=None):
    import statsmodels.api as sm
    if idx is not None:
        m = m[idx]
    return m[:, 0], sm.add_constant(m[:, 2:], has_constant="add"), np.log(m[:, 1])


def nb_bootstrap():
    import statsmodels.api as sm
    import warnings
    warnings.filterwarnings("ignore")
    _, m = read("nb.csv")
    boots = [list(map(int, l.split(","))) for l in open(os.path.join(W, "nb_bootstrap.csv")).read().split()]
    out = ["resample,intercept,imd,eth,overcrowd,rural,theta"]
    y, X, off = nb_design(m)
    res = sm.NegativeBinomial(y, X, offset=off).fit(disp=0, maxiter=200)
    out.append("full," + ",".join(map(str, list(res.params[:-1]) + [1 / res.params[-1]])))
    for r, idx in enumerate(boots):
        y, X, off = nb_design(m, idx)
        res = sm.NegativeBinomial(y, X, offset=off).fit(disp=0, maxiter=200)
        out.append(f"{r}," + ",".join(map(str, list(res.params[:-1]) + [1 / res.params[-1]])))
    open(os.path.join(W, "out_nb_statsmodels.csv"), "w").write("\n".join(out) + "\n")


def poisson_fits():
    import statsmodels.api as sm
    _, m = read("nb.csv")
    y, X, off = nb_design(m)
    for _ in range(200):
        res = sm.GLM(y, X, family=sm.families.Poisson(), offset=off).fit(tol=1e-10)
    open(os.path.join(W, "out_poisson_statsmodels.csv"), "w").write(
        "intercept,imd,eth,overcrowd,rural\n" + ",".join(map(str, res.params)) + "\n")


def knn():
    from sklearn.neighbors import NearestNeighbors
    _, X = read("lsoa.csv")
    nn = NearestNeighbors(n_neighbors=11).fit(X)
    _, idx = nn.kneighbors(X)
    lines = []
    for i, row in enumerate(idx):
        row = [j for j in row if j != i][:10]
        lines.append(",".join(map(str, row)))
    open(os.path.join(W, "out_knn_scikit-learn.csv"), "w").write("\n".join(lines) + "\n")


def kmeans():
    from sklearn.cluster import KMeans
    _, X = read("lsoa.csv")
    km = KMeans(n_clusters=8, n_init=10, random_state=1).fit(X)
    open(os.path.join(W, "out_kmeans_scikit-learn.csv"), "w").write(f"inertia\n{km.inertia_}\n")


def ingest():
    import pandas as pd
    rows = 0
    for f in sorted(glob.glob(os.path.join(a.data, "dfe", "*.csv"))):
        rows += len(pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8-sig"))
    open(os.path.join(W, "out_ingest_pandas.csv"), "w").write(f"rows\n{rows}\n")


timed("selection", "statsmodels", selection)
timed("nb_bootstrap", "statsmodels", nb_bootstrap)
timed("poisson_fits", "statsmodels", poisson_fits)
timed("knn", "scikit-learn", knn)
timed("kmeans", "scikit-learn", kmeans)
timed("ingest", "pandas", ingest)
