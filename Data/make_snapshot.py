#!/usr/bin/env python3
"""Builds Data/snapshot.zip and Data/manifest.json from a data mirror folder.

Run once per data release by a maintainer (never by users or CI):

    python3 Data/make_snapshot.py /path/to/data-mirror

The ZIP is deterministic (sorted entries, fixed timestamps, fixed
compression level), so rebuilding it from the same files gives the same
bytes and the same checksum, which names PeerLens's extraction cache.
"""
import csv
import hashlib
import io
import json
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OGL = "Open Government Licence v3.0"
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(Department for Education, Office for National Statistics, Ministry of Housing, Communities and "
    "Local Government, Ofsted). The house price to earnings ratio is ONS data as compiled by Open "
    "Innovations (open-innovations/housing, CC-BY-4.0); neighbourhood aggregates come from ONS and "
    "MHCLG tables as packaged by the humaniverse IMD, demographr and geographr R packages (MIT)."
)
# Files reshaped from the DfE dashboard's own processed data (data/*.rds),
# as the data mirror's README says: their source names that step.
RESHAPED = {
    "dfe/cla_on_31_march_by_placement.csv",
    "dfe/cla_starting_by_characteristic.csv",
    "dfe/cla_on_31_march_by_characteristic.csv",
    "dfe/csww_ethnicity_by_role.csv",
    "dfe/la_childrens_services_spending.csv",
    "dfe/ofsted_ilacs_leadership_2025.csv",
    "dfe/hospital_admissions_injuries_0_14.csv",
    "dfe/national_adoption_placement_order_to_match.csv",
}
DASHBOARD_PROCESSED = (
    "reshaped from the DfE Children's Social Care Outcomes and Enablers dashboard's processed data "
    "(data/*.rds in dfe-analytical-services/CSC_outcomes_and_enablers): authority, regional and national "
    "figures only, suppression symbols kept"
)
EES = "explore-education-statistics (https://explore-education-statistics.service.gov.uk), via the DfE CSC Outcomes and Enablers dashboard repository (dfe-analytical-services/CSC_outcomes_and_enablers)"


def describe(path):
    """Publisher, source and licence of one mirror file."""
    name = os.path.basename(path)
    if path in RESHAPED:
        publisher = "Ofsted" if name.startswith("ofsted") else (
            "Office for Health Improvement and Disparities" if name.startswith("hospital_admissions")
            else "Department for Education")
        return (publisher, DASHBOARD_PROCESSED, OGL)
    if path.startswith("dfe/ons"):
        return ("Office for National Statistics", "ONS mid-year population estimates and Census 2021, as held by the DfE dashboard repository", OGL)
    if name.startswith("ofsted"):
        return ("Ofsted", "Ofsted ILACS inspection outcomes, as held by the DfE dashboard repository", OGL)
    if name.startswith("hospital_admissions"):
        return ("Office for Health Improvement and Disparities", "Fingertips: hospital admissions caused by injuries in children, as held by the DfE dashboard repository", OGL)
    if path.startswith("dfe/"):
        return ("Department for Education", EES, OGL)
    if path.startswith("neighbours/"):
        return ("Department for Education", "Children's services statistical neighbour benchmarking tool / DfE dashboard repository (data-raw/sn_model_2025_wide.csv)", OGL)
    if path.startswith("context/"):
        return ("Office for National Statistics; Ministry of Housing, Communities and Local Government",
                "Census 2021, English Indices of Deprivation 2019 and 2025, ONS mid-year estimates; house prices via Open Innovations; neighbourhood aggregates via the humaniverse IMD, demographr and geographr R packages",
                OGL + "; house price ratio CC-BY-4.0; packaging MIT")
    if path.startswith("lookups/"):
        return ("Office for National Statistics; Department for Education", "ONS geography lookups and DfE authority codes", OGL)
    return ("Department for Education", "data mirror README", OGL)


def periods(data):
    """The first and last `time_period` in a CSV, or None when it has none."""
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return None
    if "time_period" not in header:
        return None
    i = header.index("time_period")
    seen = sorted({row[i] for row in reader if len(row) > i and row[i].strip()})
    return [seen[0], seen[-1]] if seen else None


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 Data/make_snapshot.py MIRROR_DIR")
    root = sys.argv[1]
    files = []
    for dirpath, _, names in os.walk(root):
        for n in names:
            full = os.path.join(dirpath, n)
            files.append(os.path.relpath(full, root).replace(os.sep, "/"))
    files.sort()
    manifest = []
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for rel in files:
            with open(os.path.join(root, rel), "rb") as f:
                data = f.read()
            info = zipfile.ZipInfo(rel, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data, compresslevel=9)
            publisher, source, licence = describe(rel)
            entry = {"path": rel, "publisher": publisher, "source": source, "licence": licence,
                     "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            p = periods(data) if rel.endswith(".csv") else None
            if p:
                entry["periods"] = p
            manifest.append(entry)
    blob = buf.getvalue()
    with open(os.path.join(HERE, "snapshot.zip"), "wb") as f:
        f.write(blob)
    doc = {"snapshot": "snapshot.zip", "snapshot_sha256": hashlib.sha256(blob).hexdigest(),
           "attribution": ATTRIBUTION, "files": manifest}
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        json.dump(doc, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"{len(files)} files, {len(blob)} bytes")


if __name__ == "__main__":
    main()
