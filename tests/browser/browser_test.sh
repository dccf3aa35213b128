#!/usr/bin/env bash
# browser_test.sh — run one of the headless-Chromium tests of this folder.
# Usage: browser_test.sh TEST.py HPO REPORT_FIXTURE ARTEFACT_DIR
# (report_browser.py: hpo report's pages; dashboard_browser.py: hpo
# dashboard's.)  Exit 77 (ctest: skipped) only when Chromium, chromedriver
# or Selenium is missing; scripts/setup.sh installs all three.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3 # Debian's, where python3-selenium is
for need in chromium chromedriver; do
    if ! command -v "$need" >/dev/null; then
        echo "SKIP: $need is not installed (scripts/setup.sh installs it)"
        exit 77
    fi
done
if ! "$py" -c 'import selenium' 2>/dev/null; then
    echo "SKIP: python3-selenium is not installed (scripts/setup.sh installs it)"
    exit 77
fi
exec "$py" "$here/$1" --hpo "$2" --fixture "$3" --artefacts "$4"
