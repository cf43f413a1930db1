#!/usr/bin/env bash
# The nightly drift job's last step (.github/workflows/drift.yml): keeps one open issue titled
# $TITLE (label $LABEL) in step with the night. A clean night (the plan ran, no lab was held
# back and no shard drifted) closes it; anything else opens it, or rewrites its body and
# comments with the run's link. The body holds the plan (which labs were not verified, and why)
# and every shard's Markdown report, from the artifacts downloaded into drift/.
#
# Environment: PLAN_RESULT and VERIFY_RESULT (the jobs' results), HELD (labs the plan held
# back), RUN_URL, LABEL, TITLE; gh needs GH_TOKEN and GH_REPO.
set -euo pipefail
: "${PLAN_RESULT:?}" "${VERIFY_RESULT:?}" "${RUN_URL:?}" "${LABEL:?}" "${TITLE:?}"
held=${HELD:-0}
{
  echo "Nightly run $(date -u +%F): $RUN_URL (plan: $PLAN_RESULT, verify jobs: $VERIFY_RESULT, labs not verified: $held)"
  echo
  echo "When the pinned run drifted, the update is in the pull request from \`lab-drift/update\`; see the README, \"The nightly drift job\"."
  if [ -f drift/drift-plan/plan.md ]; then
    echo
    cat drift/drift-plan/plan.md
  elif [ "$PLAN_RESULT" != success ]; then
    echo
    echo "The plan step failed, so no lab was verified: its log in the run says why."
  fi
  for report in drift/drift-*/report.md; do
    [ -f "$report" ] || continue
    echo
    echo "## $(basename "$(dirname "$report")")"
    echo
    cat "$report"
  done
} > body.md
issue=$(gh issue list --state open --label "$LABEL" --search "in:title \"$TITLE\"" --json number --jq '.[0].number // empty')
# Verify jobs are skipped only when the plan found no kind lab at all to run; with none held
# back either, there was nothing to verify.
if [ "$PLAN_RESULT" = success ] && [ "$held" = 0 ] && { [ "$VERIFY_RESULT" = success ] || [ "$VERIFY_RESULT" = skipped ]; }; then
  if [ -n "$issue" ]; then
    gh issue comment "$issue" --body "No drift in $RUN_URL; closing."
    gh issue close "$issue"
  fi
  exit 0
fi
# Keep the body a little under GitHub's 65536-character limit.
head -c 60000 body.md > body.trimmed.md
if [ -n "$issue" ]; then
  gh issue edit "$issue" --body-file body.trimmed.md
  gh issue comment "$issue" --body "Still not clean: $RUN_URL"
else
  gh label create "$LABEL" --color D93F0B --description 'Lab output drifted from the pages' --force
  gh issue create --title "$TITLE" --label "$LABEL" --body-file body.trimmed.md
fi
