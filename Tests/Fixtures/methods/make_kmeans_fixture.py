"""Makes kmeans_context.csv and kmeans_best_of_200.csv for KMeansQualityTests.

Run once with scikit-learn (1.5.2 was used):
    python3 make_kmeans_fixture.py /path/to/context/la_context.csv

The six context variables of every authority with all six, z-scored with
the sample SD (ddof = 1) as PeerLens standardises them; then, for k = 2..12,
the lowest within-cluster sum of squares of 200 k-means++ starts
(KMeans(n_init=200, random_state=0)), the reference PeerLens must match
to within 0.1% (issue 24, item 7).
"""
import sys
import pandas as pd
from sklearn.cluster import KMeans

VARIABLES = ["imd19_avg_score", "imd19_prop_lsoa_most_dep10", "pct_ethnic_minority_excl_white_minorities",
             "pct_hh_overcrowded_bedrooms", "pct_hh_social_rented", "pct_hh_in_rural_lsoa_ruc21"]
frame = pd.read_csv(sys.argv[1], encoding="utf-8-sig")[["new_la_code"] + VARIABLES].dropna()
frame.to_csv("kmeans_context.csv", index=False, float_format="%.17g")
x = frame[VARIABLES].to_numpy()
z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
rows = []
for k in range(2, 13):
    fit = KMeans(n_clusters=k, n_init=200, random_state=0, max_iter=1000, tol=0).fit(z)
    rows.append((k, fit.inertia_))
pd.DataFrame(rows, columns=["k", "inertia"]).to_csv("kmeans_best_of_200.csv", index=False, float_format="%.12g")
print(rows)
