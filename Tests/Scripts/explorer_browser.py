#!/usr/bin/python3
"""Drives the explorer (`peerlens serve`) in headless Chromium through Selenium.

Usage: explorer_browser.py BASE_URL CODE MEMBER,MEMBER,... INDICATOR

Opens the authority page, switches the comparator group to the region with
the page's own control, then to a custom group ticked from the list, and
prints what the page showed as one JSON object: the group labels, the
address after each switch, the indicator's group median cell, and every
URL the page requested (to check that nothing came from outside).
Exit status 0 when the browser ran; the checks are the caller's.
"""
import json
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

base, code, members, indicator = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4]
options = Options()
for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]:
    options.add_argument(flag)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
out = {"requested": []}
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
finally:
    driver.quit()
print(json.dumps(out))
