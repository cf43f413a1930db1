#!/usr/bin/env bash
# The nightly drift job's history (.github/workflows/drift.yml): adds the night's pinned results
# to history.jsonl on the data branch $BRANCH (created on the first night, one commit per night,
# the last 30 nights kept; see scripts/drift-history.ts), for the status page to draw strips from.
# Needs no service beyond the repository itself.
#
# Environment: BRANCH, RUN_URL; the fetch and push need GH_TOKEN and GH_REPO. PUSH_URL lets a
# test use a local repository instead.
set -euo pipefail
: "${BRANCH:?}" "${RUN_URL:?}" "${GH_REPO:?}"
remote=${PUSH_URL:-https://github.com/$GH_REPO.git}
auth=$(printf 'x-access-token:%s' "${GH_TOKEN:?}" | base64 -w0)
g() { git -C "$dir" -c "http.https://github.com/.extraheader=AUTHORIZATION: basic $auth" "$@"; }
dir=${RUNNER_TEMP:?}/drift-history
rm -rf "$dir"
git init -q "$dir"
status=0
g ls-remote --exit-code "$remote" "refs/heads/$BRANCH" > /dev/null || status=$?
if [ "$status" = 0 ]; then
  g fetch -q --depth 1 "$remote" "refs/heads/$BRANCH"
  g checkout -q -B "$BRANCH" FETCH_HEAD
elif [ "$status" = 2 ]; then
  echo "drift-history: $BRANCH does not exist yet; starting it"
  g checkout -q --orphan "$BRANCH"
else
  echo "drift-history: cannot reach $remote (git ls-remote exited $status)" >&2
  exit 1
fi
today=$(date -u +%F)
node scripts/drift-history.ts drift "$RUN_URL" "$today" "$dir/history.jsonl"
g add history.jsonl
if g diff --cached --quiet; then
  echo "drift-history: this run is in the history already"
  exit 0
fi
g -c user.name='github-actions[bot]' -c user.email='41898282+github-actions[bot]@users.noreply.github.com' commit -q -m "Drift history: the night of $today" -m "$RUN_URL"
g push -q "$remote" "HEAD:refs/heads/$BRANCH"
