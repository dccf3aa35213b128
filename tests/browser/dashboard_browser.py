#!/usr/bin/python3
"""dashboard_browser.py — `hpo dashboard` in headless Chromium.

  dashboard_browser.py --hpo HPO --fixture FIXTURE --artefacts DIR
      the test: the fixture's studies (report_fixture small) served by a
      dashboard on a free loopback port; the list page lists them and
      links to each; a study page draws every view of the known study
      with no console error; trials added by another process while the
      page is open appear without a reload (live); a study deleted while
      its page is open says so; screenshots in DIR.
  dashboard_browser.py --time URL [--repeat N]
      the benchmark: milliseconds from navigation to a study page drawn.

The browser set-up and checks are report_browser.py's.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_browser as rb  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


def start_dashboard(hpo, url):
    """A dashboard on a free port: (process, base URL)."""
    p = subprocess.Popen([hpo, "dashboard", "--storage", url, "--port", "0"],
                         stderr=subprocess.PIPE, text=True)
    line = p.stderr.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        p.kill()
        raise SystemExit("dashboard printed no address: " + line)
    return p, f"http://127.0.0.1:{m.group(1)}/"


def wait_for(d, script, timeout_s=30):
    end = time.time() + timeout_s
    while time.time() < end:
        v = d.execute_script(script)
        if v:
            return v
        time.sleep(0.05)
    return None


def console_errors(d):
    return [e for e in d.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def test_list(d, base, shots):
    d.get(base)
    names = wait_for(d, "var a = document.querySelectorAll('#studies a');"
                        "return a.length ? Array.from(a).map(x => x.textContent) : null")
    rb.check("list: every study listed", sorted(names or []) == ["empty", "known", "multi", "one"],
             str(names))
    rb.check("list: no console errors", not console_errors(d))
    rb.screenshot(d, os.path.join(shots, "dashboard-list.png"))
    d.find_element(By.LINK_TEXT, "known").click()


def rendered(d, renders):
    return wait_for(d, "return +(document.body.getAttribute('data-renders') || 0) > %d" % renders)


def test_known(d, shots):
    rb.check("known: the link opens the study page",
             d.current_url.endswith("study?name=known"), d.current_url)
    rb.check("known: drawn", rendered(d, 0))
    rb.check("known: no console errors", not console_errors(d), str(console_errors(d))[:800])
    for v in rb.VIEWS:
        rb.check(f"known: svg#{v} drawn", rb.svg_with_data(d, v))
    rb.check("known: 30 rows in the table", rb.rows(d) == 30, str(rb.rows(d)))
    best = [t.get_attribute("data-value")
            for t in d.find_elements(By.CSS_SELECTOR, "#plot-history .y-axis text.tick")]
    rb.check("known: the history's y axis carries values", len(best) >= 2, str(best))
    rb.check("known: the live bar says it is live",
             "live" in d.find_element(By.ID, "hpo-live-status").text)
    rb.screenshot(d, os.path.join(shots, "dashboard-study.png"))


def test_live(d, hpo, url):
    renders = int(d.execute_script("return document.body.getAttribute('data-renders')"))
    for value in ("300", "400"):
        ask = subprocess.run([hpo, "ask", "--storage", url, "--study", "known",
                              "--param", "x=float:-5:5"],
                             check=True, capture_output=True, text=True).stdout
        number = re.search(r'"number":\s*(\d+)', ask).group(1)
        subprocess.run([hpo, "tell", "--storage", url, "--study", "known",
                        "--trial", number, "--value", value], check=True)
    rb.check("live: the page redrew itself", rendered(d, renders))
    got = wait_for(d, "var t = document.getElementById('trials-table');"
                      "return t && +t.getAttribute('data-rows') === 32")
    rb.check("live: the two new trials are in the table", got, str(rb.rows(d)))
    d.find_element(By.ID, "hpo-live-toggle").click()
    rb.check("live: pausing says so",
             wait_for(d, "return document.getElementById('hpo-live-status')"
                         ".textContent === 'paused'"))
    d.find_element(By.ID, "hpo-live-toggle").click()


def test_deleted(d, hpo, url):
    subprocess.run([hpo, "delete-study", "--storage", url, "--study", "known", "--yes"],
                   check=True, capture_output=True)
    said = wait_for(d, "return /no such study/.test("
                       "document.getElementById('hpo-live-status').textContent)")
    rb.check("deleted: the page says the study is gone", said,
             d.find_element(By.ID, "hpo-live-status").text)


def run_test(a):
    os.makedirs(a.artefacts, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/studies.db"
        subprocess.run([a.fixture, "small", url], check=True)
        server, base = start_dashboard(a.hpo, url)
        d = rb.browser()
        try:
            test_list(d, base, a.artefacts)
            test_known(d, a.artefacts)
            test_live(d, a.hpo, url)
            test_deleted(d, a.hpo, url)
        finally:
            d.quit()
            server.terminate()
            server.wait(10)
    print(f"screenshots in {a.artefacts}")
    if rb.FAILED:
        print(f"{len(rb.FAILED)} check(s) failed")
        return 1
    return 0


def run_time(a):
    d = rb.browser()
    try:
        times = []
        for _ in range(a.repeat):
            d.get("about:blank")
            t0 = time.time()
            d.get(a.time)
            if not rendered(d, 0):
                print("the page did not draw")
                return 1
            times.append((time.time() - t0) * 1000)
            errors = console_errors(d)
            if errors:
                print("console:", errors)
                return 1
        times.sort()
        rows = d.execute_script("var t = document.getElementById('trials-table');"
                                "return t && t.getAttribute('data-rows')")
        print(f"chromium: {a.time} first paint (navigation to every view drawn) in "
              f"{times[len(times) // 2]:.0f} ms (median of {a.repeat}; min {times[0]:.0f}, "
              f"max {times[-1]:.0f}); {rows} trials in the page's table")
    finally:
        d.quit()
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hpo")
    p.add_argument("--fixture")
    p.add_argument("--artefacts")
    p.add_argument("--time")
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    return run_time(a) if a.time else run_test(a)


if __name__ == "__main__":
    sys.exit(main())
