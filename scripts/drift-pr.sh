#!/usr/bin/env bash
# The nightly drift job's update pull request (.github/workflows/drift.yml). When a pinned shard
# proposed an update (drift/drift-pinned-N/update.patch, from `labs verify --update`), applies
# every shard's patch on top of the checked-out $BASE, force-pushes the result to $BRANCH and
# opens one pull request against $BASE, or retitles and rewrites the one already open. When every
# pinned shard reported with no failed or errored block, closes that pull request. Otherwise (a
# shard left no report, or blocks failed with nothing to propose) leaves it as it is and says so.
#
# Environment: BRANCH, BASE, SHARDS (how many pinned shards ran), RUN_URL; gh and the push need
# GH_TOKEN and GH_REPO. PUSH_URL lets a test push to a local repository instead.
set -euo pipefail
: "${BRANCH:?}" "${BASE:?}" "${RUN_URL:?}" "${GH_REPO:?}"
if [ -z "${SHARDS:-}" ]; then
  echo "drift-pr: the plan job gave no shard count (it failed), so nothing was verified; the update pull request is left as it is."
  exit 0
fi
today=$(date -u +%F)
state=$(node scripts/drift-pr-body.ts state drift "$SHARDS")
pr=$(gh pr list --head "$BRANCH" --base "$BASE" --state open --json number --jq '.[0].number // empty')
case "$state" in
  clean)
    if [ -n "$pr" ]; then
      gh pr close "$pr" --comment "The pinned run of $RUN_URL matches the pages again; closing."
    fi
    echo "drift-pr: the pinned run is clean; no update to propose."
    exit 0
    ;;
  unknown)
    echo "drift-pr: no pinned shard proposed an update, but the night was not clean (a shard left no report, or blocks failed or errored with nothing to rewrite); the update pull request is left as it is. The run's log says why: $RUN_URL"
    exit 0
    ;;
esac
node scripts/drift-pr-body.ts body drift "$RUN_URL" "$today" > "$RUNNER_TEMP/drift-pr-body.md"
git config user.name 'github-actions[bot]'
git config user.email '41898282+github-actions[bot]@users.noreply.github.com'
git switch -q -C "$BRANCH"
git update-index -q --refresh || true # `git apply --index` trusts the index's file stats
for patch in drift/drift-pinned-*/update.patch; do
  [ -s "$patch" ] || continue
  if ! git apply --index "$patch"; then
    echo "drift-pr: $patch does not apply to $BASE at $(git rev-parse --short HEAD); the shards ran on another commit. Rerun the drift workflow." >&2
    exit 1
  fi
done
title="Lab drift: update the pages to the pinned run of $today"
git commit -q -m "$title" -m "Written by labs verify --update in $RUN_URL"
auth=$(printf 'x-access-token:%s' "${GH_TOKEN:?}" | base64 -w0)
git -c "http.https://github.com/.extraheader=AUTHORIZATION: basic $auth" push -q --force "${PUSH_URL:-https://github.com/$GH_REPO.git}" "HEAD:refs/heads/$BRANCH"
if [ -n "$pr" ]; then
  gh pr edit "$pr" --title "$title" --body-file "$RUNNER_TEMP/drift-pr-body.md"
  gh pr comment "$pr" --body "Updated by $RUN_URL"
else
  gh pr create --head "$BRANCH" --base "$BASE" --title "$title" --body-file "$RUNNER_TEMP/drift-pr-body.md"
fi
