#!/usr/bin/env bash
# One shard of the nightly drift job (.github/workflows/drift.yml): verifies the shard's kind
# labs with `--update`, keeps the JUnit, JSON and Markdown reports and the records in out/, puts
# the Markdown report in the job summary and writes the update patch. Exits with the status of
# `labs verify` (0 clean, 1 drift, 2 nothing could run).
#
# Environment: SHARD and SHARDS (this shard, of how many), TOOLSET (pinned or newest), LABS
# (the lab folders the plan step found runnable, space-separated), GITHUB_STEP_SUMMARY.
set -uo pipefail
: "${SHARD:?}" "${SHARDS:?}" "${TOOLSET:?}"
summary=${GITHUB_STEP_SUMMARY:-/dev/null}
if [ -z "${LABS:-}" ]; then
  echo "drift-verify: no lab to verify (LABS is empty); the plan step decides which labs run" >&2
  exit 2
fi
mkdir -p out
status=0
# shellcheck disable=SC2086 # LABS is a list of lab folders
node bin/labs.js verify --target kind --shard "$SHARD/$SHARDS" --update \
  --records out/records \
  --report junit=out/junit.xml --report json=out/report.json --report markdown=out/report.md \
  $LABS || status=$?
if [ -f out/report.md ]; then
  cat out/report.md >> "$summary"
else
  echo "shard $SHARD/$SHARDS ($TOOLSET tools): labs verify exited $status before running anything; its log says why." >> "$summary"
fi
git diff --no-color -- content > out/update.patch
if [ -s out/update.patch ]; then
  echo "An update patch was written: download the drift-$TOOLSET-$SHARD artifact." >> "$summary"
fi
exit "$status"
