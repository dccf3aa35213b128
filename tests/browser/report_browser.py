#!/usr/bin/python3
"""report_browser.py — hpo report's pages opened in headless Chromium.

Selenium drives Debian's chromium through chromedriver: it gives the
browser's console (every error the page logs or throws), real clicks and
typing for the table, and screenshots.  (chromium --dump-dom alone sees
neither the console nor events.)

  report_browser.py --hpo HPO --fixture FIXTURE --artefacts DIR
      the test: studies empty, one, known, multi (report_fixture small,
      through `hpo report`) and big (100,000 trials, report_fixture
      big-html); every view present, axes carrying the known study's
      values, table sort, filter and pages; no console error, no network
      request; a screenshot of each in DIR.
  report_browser.py --time FILE.html [--repeat N]
      the benchmark: milliseconds from navigation to the page rendered.
  report_browser.py --shot FILE.html --out FILE.png [--width W] [--height H]
      a screenshot of the whole page, or of its top H pixels (README's
      picture of the demo's report).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

FAILED = []


def check(what, ok, detail=""):
    print(("ok: " if ok else "FAIL: ") + what + (f" ({detail})" if detail and not ok else ""))
    if not ok:
        FAILED.append(what)


def browser(width=1300, height=1000):
    o = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--hide-scrollbars", f"--window-size={width},{height}",
              "--disable-background-networking", "--no-first-run"):
        o.add_argument(a)
    o.binary_location = "/usr/bin/chromium"
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


def open_page(d, path, timeout_s=60):
    """Load a report; wait until it has rendered; its console errors."""
    d.get("file://" + os.path.abspath(path))
    end = time.time() + timeout_s
    while time.time() < end:
        if d.execute_script("return document.body && document.body.getAttribute('data-rendered')"):
            break
        time.sleep(0.05)
    return [e for e in d.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def screenshot(d, png, width=1300):
    d.execute_script("window.scrollTo(0, 0)")
    h = d.execute_script("return document.documentElement.scrollHeight")
    d.set_window_size(width, min(int(h) + 40, 12000))
    d.save_screenshot(png)
    d.set_window_size(width, 1000)


def attr(d, css, name):
    els = d.find_elements(By.CSS_SELECTOR, css)
    return els[0].get_attribute(name) if els else None


def ticks(d, svg_id, axis):
    return [float(t.get_attribute("data-value"))
            for t in d.find_elements(By.CSS_SELECTOR, f"#{svg_id} .{axis}-axis text.tick")]


def common(d, name, errors):
    check(f"{name}: rendered", d.execute_script(
        "return document.body.getAttribute('data-rendered')") == "1")
    check(f"{name}: no console errors", not errors, str(errors)[:800])
    nets = d.execute_script(
        "return performance.getEntriesByType('resource').map(function(e){return e.name})")
    check(f"{name}: no network request", not nets, str(nets))


def svg_with_data(d, svg_id):
    s = d.find_elements(By.CSS_SELECTOR, f"svg#{svg_id}")
    if not s:
        return False
    return len(s[0].find_elements(By.CSS_SELECTOR, "circle, path, rect")) > 0


VIEWS = ["plot-history", "plot-intermediate", "plot-parallel", "plot-importance",
         "plot-contour", "plot-rank", "plot-edf", "plot-timeline"]


def click(d, css):
    """Click like a user, with the element in view (not under the sticky nav)."""
    e = d.find_element(By.CSS_SELECTOR, css)
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", e)
    e.click()


def first_cell(d):
    return d.find_element(By.CSS_SELECTOR, "#trials-table tbody tr td").text


def rows(d):
    return int(d.find_element(By.ID, "trials-table").get_attribute("data-rows"))


def filter_rows(d, text):
    box = d.find_element(By.ID, "trials-filter")
    box.clear()
    box.send_keys(text)
    n = rows(d)
    box.clear()
    box.send_keys(" ")
    return n


def test_known(d, html, shots):
    errors = open_page(d, html)
    common(d, "known", errors)
    for v in VIEWS:
        check(f"known: svg#{v} drawn", svg_with_data(d, v))
    for k in range(5):
        check(f"known: slice plot {k}", svg_with_data(d, f"plot-slice-{k}"))
    check("known: history best value is 1", attr(d, "#plot-history", "data-best") == "1",
          attr(d, "#plot-history", "data-best"))
    check("known: history best trial is 12",
          attr(d, "#plot-history", "data-best-trial") == "12")
    y, x = ticks(d, "plot-history", "y"), ticks(d, "plot-history", "x")
    check("known: history y axis spans 1..257", y and min(y) <= 1 and max(y) >= 250, str(y))
    check("known: history x axis spans trials 0..29", x and min(x) == 0 and max(x) >= 25, str(x))
    xs = ticks(d, "plot-intermediate", "x")
    check("known: intermediate steps 0..9", xs and min(xs) == 0 and max(xs) >= 8, str(xs))
    bars = d.find_elements(By.CSS_SELECTOR, "#plot-importance g.bar")
    # fANOVA, as Optuna: the conditional "momentum" (only with sgd) is left out.
    check("known: importance has 4 bars", len(bars) == 4, str(len(bars)))
    check("known: importance is fANOVA's",
          attr(d, "#plot-importance", "data-method") == "fanova",
          str(attr(d, "#plot-importance", "data-method")))
    check("known: 30 trials in the table", rows(d) == 30, str(rows(d)))
    click(d, "th[data-col='value']")
    check("known: sorted by value, trial 12 first", first_cell(d) == "12", first_cell(d))
    click(d, "th[data-col='value']")
    check("known: sorted by value descending, trial 28 first", first_cell(d) == "28",
          first_cell(d))
    check("known: filter state:pruned", filter_rows(d, "state:pruned") == 4)
    check("known: filter state:fail", filter_rows(d, "state:fail") == 4)
    check("known: filter value<10", filter_rows(d, "value<10") == 4,
          str(filter_rows(d, "value<10")))
    check("known: filter by failure text", filter_rows(d, "</script>") == 4)
    pt = d.find_element(By.CSS_SELECTOR, "#plot-history circle[data-n='12']")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", pt)
    ActionChains(d).move_to_element(pt).perform()
    tip = d.find_element(By.ID, "hpo-tip").text
    check("known: hovering trial 12 shows its tooltip", tip.startswith("trial 12 (COMPLETE)"), tip)
    click(d, "#history-log")
    check("known: log scale redraws the history",
          attr(d, "#plot-history", "data-best") == "1")
    screenshot(d, os.path.join(shots, "report-known.png"))


def hypervolume(doc):
    """The 2-objective hypervolume of the feasible completed trials up to
    the worst value of each objective among them (what the page draws)."""
    sign = [1 if x == "minimize" else -1 for x in doc["study"]["directions"]]
    pts = [(sign[0] * t["v"][0], sign[1] * t["v"][1]) for t in doc["trials"]
           if t["s"] == "COMPLETE" and all(c <= 0 for c in t.get("c", []))]
    rx, ry = max(p[0] for p in pts), max(p[1] for p in pts)
    front, best_y = [], float("inf")
    for x, y in sorted(pts):
        if y < best_y:
            front.append((x, y))
            best_y = y
    return sum(((front[i + 1][0] if i + 1 < len(front) else rx) - x) * (ry - y)
               for i, (x, y) in enumerate(front))


def test_multi(d, html, shots, doc):
    errors = open_page(d, html)
    common(d, "multi", errors)
    got = float(attr(d, "#plot-hypervolume", "data-hypervolume") or "nan")
    want = hypervolume(doc)
    check("multi: hypervolume history ends at the front's hypervolume",
          abs(got - want) <= 1e-9 * max(1, want), f"{got} != {want}")
    check("multi: Pareto front drawn", svg_with_data(d, "plot-pareto"))
    front = int(attr(d, "#plot-pareto", "data-front") or 0)
    check("multi: Pareto front has trials", front >= 1, str(front))
    check("multi: infeasible trials shown",
          len(d.find_elements(By.CSS_SELECTOR, "#plot-pareto circle.infeasible")) > 0)
    check("multi: feasible column in the table",
          len(d.find_elements(By.CSS_SELECTOR, "th[data-col='feasible']")) == 1)
    check("multi: 15 infeasible rows", filter_rows(d, "feasible:no") == 15)
    screenshot(d, os.path.join(shots, "report-multi.png"))


def test_small(d, html, name, shots):
    errors = open_page(d, html)
    common(d, name, errors)
    if name == "empty":
        check("empty: says the study has no trials",
              "no trials" in d.find_element(By.ID, "no-trials").text)
    else:
        check("one: history drawn", svg_with_data(d, "plot-history"))
        check("one: table has one row", rows(d) == 1)
    screenshot(d, os.path.join(shots, f"report-{name}.png"))


def test_big(d, html, shots):
    t0 = time.time()
    errors = open_page(d, html)
    ms = (time.time() - t0) * 1000
    common(d, "big", errors)
    for v in VIEWS:
        check(f"big: svg#{v} drawn", svg_with_data(d, v))
    shown = int(attr(d, "#plot-history", "data-shown") or 0)
    total = int(attr(d, "#plot-history", "data-total") or 0)
    check("big: history down-sampled", 0 < shown <= 2000 and total > 90000, f"{shown} of {total}")
    dots = len(d.find_elements(By.CSS_SELECTOR, "svg circle"))
    check("big: the page stays light (< 20,000 circles)", dots < 20000, str(dots))
    check("big: 100,000 rows in the table", rows(d) == 100000, str(rows(d)))
    check("big: one page of rows shown",
          len(d.find_elements(By.CSS_SELECTOR, "#trials-table tbody tr")) == 50)
    click(d, "#trials-next")
    check("big: next page", d.find_element(By.ID, "trials-page").text == "page 2 of 2000",
          d.find_element(By.ID, "trials-page").text)
    print(f"big: opened and rendered in {ms:.0f} ms "
          f"(render {d.find_element(By.TAG_NAME, 'body').get_attribute('data-render-ms')} ms)")
    screenshot(d, os.path.join(shots, "report-big.png"))


def run_test(a):
    os.makedirs(a.artefacts, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/studies.db"
        subprocess.run([a.fixture, "small", url], check=True)
        pages = {}
        for name in ("empty", "one", "known", "multi"):
            pages[name] = os.path.join(tmp, name + ".html")
            subprocess.run([a.hpo, "report", "--storage", url, "--study", name,
                            "-o", pages[name]], check=True)
        multi_doc = json.loads(subprocess.run(
            [a.hpo, "report", "--storage", url, "--study", "multi", "-f", "json", "-o", "-"],
            check=True, capture_output=True, text=True).stdout)
        big = os.path.join(tmp, "big.html")
        subprocess.run([a.fixture, "big-html", big, "100000"], check=True)
        d = browser()
        try:
            test_small(d, pages["empty"], "empty", a.artefacts)
            test_small(d, pages["one"], "one", a.artefacts)
            test_known(d, pages["known"], a.artefacts)
            test_multi(d, pages["multi"], a.artefacts, multi_doc)
            test_big(d, big, a.artefacts)
        finally:
            d.quit()
    print(f"screenshots in {a.artefacts}")
    if FAILED:
        print(f"{len(FAILED)} check(s) failed")
        return 1
    return 0


def run_time(a):
    d = browser()
    try:
        times = []
        for _ in range(a.repeat):
            d.get("about:blank")
            t0 = time.time()
            errors = open_page(d, a.time)
            times.append((time.time() - t0) * 1000)
            if errors:
                print("console:", errors)
                return 1
        times.sort()
        print(f"chromium: {os.path.getsize(a.time) / 1e6:.1f} MB page opened and rendered in "
              f"{times[len(times) // 2]:.0f} ms (median of {a.repeat}; "
              f"min {times[0]:.0f}, max {times[-1]:.0f})")
    finally:
        d.quit()
    return 0


def run_shot(a):
    d = browser(a.width)
    try:
        errors = open_page(d, a.shot)
        if errors:
            print("console:", errors)
            return 1
        if a.height:  # the top of the page only
            d.set_window_size(a.width, a.height)
            d.save_screenshot(a.out)
        else:
            screenshot(d, a.out, a.width)
    finally:
        d.quit()
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hpo")
    p.add_argument("--fixture")
    p.add_argument("--artefacts", default="artefacts")
    p.add_argument("--time")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--shot")
    p.add_argument("--out")
    p.add_argument("--width", type=int, default=1300)
    p.add_argument("--height", type=int, default=0)
    a = p.parse_args()
    if a.time:
        return run_time(a)
    if a.shot:
        return run_shot(a)
    return run_test(a)


if __name__ == "__main__":
    sys.exit(main())
