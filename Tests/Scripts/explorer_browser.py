#!/usr/bin/python3
"""Drives the explorer (`peerlens serve`) in headless Chromium through Selenium.

Usage: explorer_browser.py BASE_URL CODE MEMBER,MEMBER,... INDICATOR PEERLENS DATA_DIR TABLE_INDICATORS

Opens the authority page, switches the comparator group to the region with
the page's own control, then to a custom group ticked from the list, then
opens "create your own" for the members x TABLE_INDICATORS (comma-separated)
x the last two years and downloads its CSV through the page's link. Prints
what the page showed as one JSON object: the group labels, the address after
each switch, the indicator's group median cell, the downloaded CSV's rows,
and every URL the page requested (to check that nothing came from outside).

The figures to check against come from `PEERLENS values --data DATA_DIR`, a
separate run of the command, not from the server: `values_median` (the
members' median by the DfE dashboard's rule, computed here) and
`values_rows` (the same fields as the CSV, per authority, indicator, year).
Exit status 0 when the browser ran; the checks are the caller's.
"""
import csv
import glob
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

base, code, members, indicator = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4]
peerlens, data, table_indicators = sys.argv[5], sys.argv[6], sys.argv[7].split(",")


def values(ind):
    """`peerlens values` rows for one indicator, all years, as dictionaries."""
    text = subprocess.run([peerlens, "values", "--data", data, "--indicator", ind, "--format", "csv"],
                          check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(text)))


def decimals(ind):
    listing = subprocess.run([peerlens, "indicators", "--data", data, "--no-coverage", "--format", "json"],
                             check=True, capture_output=True, text=True).stdout
    return next(i["decimals"] for i in json.loads(listing)["indicators"] if i["id"] == ind)


def dashboard_median(published, places):
    """The DfE dashboard's rule: the median of the published figures (missing
    ones left out), rounded half-up at the published decimals. Decimal keeps
    a half-way case such as 59.5 exact, so it rounds up."""
    figures = sorted(Decimal(p) for p in published if p != "")
    if not figures:
        return ""
    m = len(figures) // 2
    middle = figures[m] if len(figures) % 2 else (figures[m - 1] + figures[m]) / 2
    return str(middle.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


rows = {ind: values(ind) for ind in set(table_indicators + [indicator])}
latest = max(r["time_period"] for r in rows[indicator] if r["status"] == "ok")
years = sorted({r["time_period"] for r in rows[table_indicators[0]]})[-2:]
out = {"requested": [], "latest": latest, "years": years}
out["values_median"] = dashboard_median(
    [r["published_value"] for r in rows[indicator] if r["new_la_code"] in members and r["time_period"] == latest],
    decimals(indicator))
out["values_rows"] = [{**r, "indicator_id": ind} for ind in table_indicators for r in rows[ind]
                      if r["new_la_code"] in members and r["time_period"] in years]

downloads = tempfile.mkdtemp(prefix="peerlens-browser-")
options = Options()
options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                          "download.prompt_for_download": False})
for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]:
    options.add_argument(flag)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
# Headless Chromium saves downloads only when told where.
driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
try:
    wait = WebDriverWait(driver, 30)

    def label():
        return driver.find_element(By.ID, "group-label").text

    def requested():
        out["requested"] += [driver.current_url] + driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")

    driver.get(f"{base}/authority/{code}")
    out["official_label"] = label()
    requested()

    Select(driver.find_element(By.NAME, "group")).select_by_value("region")
    wait.until(lambda d: "group=region" in d.current_url)
    out["region_url"] = driver.current_url
    out["region_label"] = label()
    requested()

    Select(driver.find_element(By.NAME, "group")).select_by_value("custom")
    for m in members:
        box = driver.find_element(By.CSS_SELECTOR, f"input[name=members][value={m}]")
        if not box.is_selected():
            driver.execute_script("arguments[0].scrollIntoView()", box)
            box.click()
    driver.find_element(By.CSS_SELECTOR, "#group-form button[type=submit]").click()
    wait.until(lambda d: "group=custom" in d.current_url)
    out["custom_url"] = driver.current_url
    out["custom_label"] = label()
    out["custom_median"] = driver.find_element(
        By.CSS_SELECTOR, f"tr[data-indicator={indicator}] td.group-median").text
    requested()

    # Create your own: the page, then its CSV through the page's own link.
    query = "&".join([f"la={m}" for m in members] + [f"indicator={i}" for i in table_indicators]
                     + [f"year={y}" for y in years])
    driver.get(f"{base}/table?{query}")
    requested()
    link = driver.find_element(By.XPATH, "//a[text()='CSV']")
    out["requested"].append(link.get_attribute("href"))  # a download is no resource entry
    link.click()
    deadline = time.time() + 30
    while not glob.glob(os.path.join(downloads, "*.csv")) and time.time() < deadline:
        time.sleep(0.2)
    saved = glob.glob(os.path.join(downloads, "*.csv"))
    if not saved:
        sys.exit("the CSV link downloaded nothing in 30 s")
    with open(saved[0], newline="", encoding="utf-8") as f:
        out["csv_rows"] = list(csv.DictReader(f))
    requested()
finally:
    driver.quit()
print(json.dumps(out))
