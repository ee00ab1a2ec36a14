#!/usr/bin/python3
"""Lays pack pages out in headless Chromium (through Selenium) and reports what overflows.

Usage: pack_layout.py WIDTH[,WIDTH...] PAGE.html [PAGE.html ...]

For each page at each window width, prints one JSON object (a list, one entry per page and
width): the document's scroll width against its client width (a page wider than the window
scrolls sideways), and every chart or key inside a side-by-side pair (`.two`,
`.small-multiples`) that reaches past its pair's edges. Exit status 0 when the browser ran;
the checks are the caller's.
"""
import json
import pathlib
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

widths = [int(w) for w in sys.argv[1].split(",")]
pages = sys.argv[2:]

MEASURE = """
const doc = document.documentElement;
const out = {scroll: doc.scrollWidth, client: doc.clientWidth, pairs: 0, overflows: []};
document.querySelectorAll('.two, .small-multiples').forEach((pair, k) => {
  out.pairs += 1;
  const box = pair.getBoundingClientRect();
  pair.querySelectorAll(':scope > *, svg, figcaption').forEach(e => {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1)) {
      out.overflows.push({pair: k, element: e.tagName.toLowerCase(), left: r.left, right: r.right,
                          pairLeft: box.left, pairRight: box.right});
    }
  });
});
return out;
"""

options = Options()
for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars"]:
    options.add_argument(flag)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
results = []
try:
    for page in pages:
        for width in widths:
            driver.set_window_size(width, 900)
            driver.get(pathlib.Path(page).resolve().as_uri())
            measured = driver.execute_script(MEASURE)
            measured.update(page=pathlib.Path(page).name, width=width)
            results.append(measured)
finally:
    driver.quit()
print(json.dumps(results))
