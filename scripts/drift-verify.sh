#!/usr/bin/env bash
# One shard of one leg of the nightly drift job (.github/workflows/drift.yml): verifies the
# shard's kind labs, keeps the JUnit, JSON and Markdown reports and the records in out/ and puts
# the Markdown report in the job summary. The pinned and newest legs run with `--update` and
# write the update patch; a Kubernetes matrix leg (K8S set) runs `--k8s $K8S`, which records
# <lab>@<minor>.json and never rewrites a page. Exits with the status of `labs verify` (0 clean,
# 1 drift, 2 nothing could run).
#
# Environment: SHARD and SHARDS (this shard, of how many), TOOLSET (pinned or newest), LABS
# (the lab folders of this leg, space-separated), LEG (the leg's name, for the artifact), K8S
# (a Kubernetes minor release, or empty), GITHUB_STEP_SUMMARY.
set -uo pipefail
: "${SHARD:?}" "${SHARDS:?}" "${TOOLSET:?}"
summary=${GITHUB_STEP_SUMMARY:-/dev/null}
leg=${LEG:-$TOOLSET}
k8s=${K8S:-}
if [ -z "${LABS:-}" ]; then
  echo "drift-verify: no lab to verify (LABS is empty); the plan step decides which labs run" >&2
  exit 2
fi
mkdir -p out
status=0
if [ -n "$k8s" ]; then
  mode=(--k8s "$k8s")
  echo "### Kubernetes $k8s (node image from kind.matrix), shard $SHARD/$SHARDS" >> "$summary"
else
  mode=(--update)
fi
# shellcheck disable=SC2086 # LABS is a list of lab folders
node bin/labs.js verify --target kind --shard "$SHARD/$SHARDS" "${mode[@]}" \
  --records out/records \
  --report junit=out/junit.xml --report json=out/report.json --report markdown=out/report.md \
  $LABS || status=$?
if [ -f out/report.md ]; then
  cat out/report.md >> "$summary"
else
  echo "shard $SHARD/$SHARDS ($leg): labs verify exited $status before running anything; its log says why." >> "$summary"
fi
if [ -z "$k8s" ]; then
  git diff --no-color -- content > out/update.patch
  if [ -s out/update.patch ]; then
    echo "An update patch was written: download the drift-$leg-$SHARD artifact." >> "$summary"
  fi
fi
exit "$status"
