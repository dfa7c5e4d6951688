#!/usr/bin/env bash
# The README's second command: provisions what is missing, brings up dockerd and OVS (tests start
# their own Temporal server and workers), builds the test images, then lint, type-check and jest.
# The last line is `N passed, M failed`.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash scripts/provision.sh
bash scripts/stack.sh host
bash scripts/images.sh
npm run build --silent

summary="$STATE/test-summary.txt"
rm -f "$summary"
lint_failed=0
log "lint (eslint: no synchronous I/O in activities, workers, api, cli)"
npx eslint . || lint_failed=1
log "type-check"
npx tsc -p tsconfig.json --noEmit || lint_failed=1

set +e
ARCHETYPE_TEST_SUMMARY="$summary" npx jest "$@"
jest_rc=$?
set -e

line=$(cat "$summary" 2>/dev/null || echo "0 passed, 1 failed")
passed=${line%% passed*}
failed=${line##*, }; failed=${failed%% failed*}
if ((lint_failed)); then failed=$((failed + 1)); log "lint or type-check failed (counted as one failure)"; fi
if ((jest_rc != 0 && failed == 0)); then failed=1; fi
echo "$passed passed, $failed failed"
((failed == 0))
