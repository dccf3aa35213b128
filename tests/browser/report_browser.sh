#!/usr/bin/env bash
# report_browser.sh — hpo report in headless Chromium (report_browser.py).
# Usage: report_browser.sh HPO REPORT_FIXTURE ARTEFACT_DIR
# Exit 77 (ctest: skipped) only when Chromium, chromedriver or Selenium is
# missing; scripts/setup.sh installs all three.
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
exec "$py" "$here/report_browser.py" --hpo "$1" --fixture "$2" --artefacts "$3"
