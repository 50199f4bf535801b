#!/bin/sh
# run.sh - the browser test of the HTML trace (browser_test.mjs) over the
# pages tests/run_traces.sh left in $BUILD/trace/: the lecture's msgrcv
# table step by step, every other scenario's first and last step.
# Screenshots go to $BUILD/browser/.  Needs Debian's chromium and the node
# packages of package-lock.json (`make deps` installs both).
BUILD=${BUILD:-build}
here=$(dirname "$0")
pages=$(cd "$BUILD/trace" 2>/dev/null && pwd) || pages="$BUILD/trace"
shots=$(mkdir -p "$BUILD/browser" && cd "$BUILD/browser" && pwd) || exit 2
main="$pages/msgrcv_table.html"

if [ ! -f "$main" ]; then
	echo "browser/run.sh: $main missing (run tests/run_traces.sh first)" >&2
	exit 2
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
	echo "browser/run.sh: node packages missing: make deps" >&2
	exit 2
fi
others=$(ls "$pages"/*.html | grep -v '/msgrcv_table.html$')
start=$(date +%s)
# shellcheck disable=SC2086 # the page list is word-split on purpose
(cd "$here" && node browser_test.mjs "$shots" "$main" $others)
rc=$?
echo "browser test: $(($(date +%s) - start)) s"
exit $rc
