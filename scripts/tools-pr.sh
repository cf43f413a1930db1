#!/usr/bin/env bash
# The tools workflow's last step (.github/workflows/tools.yml): when the check step changed
# tools.json (it filled in sums), commits that on branch $BRANCH and opens one pull request
# against $BASE, or force-updates the branch and rewrites the body of the one already open.
# Does nothing when tools.json is unchanged.
#
# Environment: BRANCH, BASE, REPORT (the check's Markdown), RUN_URL; gh and the push need
# GH_TOKEN and GH_REPO.
set -euo pipefail
: "${BRANCH:?}" "${BASE:?}" "${REPORT:?}" "${RUN_URL:?}" "${GH_REPO:?}"
if git diff --quiet -- tools.json; then
  echo "tools.json is unchanged: every sum the projects publish is pinned already."
  exit 0
fi
{
  echo "The tools workflow downloaded each pinned release, checked it against the checksum its"
  echo "project publishes, and filled in the sums below ($RUN_URL)."
  echo
  cat "$REPORT"
  echo
  echo "Review: each new sum's \`source\` in tools.json says where it was published. Checks do not"
  echo "start on a pull request opened by this workflow; close and reopen it to run them."
} > pr-body.md
git config user.name 'github-actions[bot]'
git config user.email '41898282+github-actions[bot]@users.noreply.github.com'
git switch -C "$BRANCH"
git add tools.json
git commit -q -m "Pin the tool checksums their projects publish" -m "Checked by the tools workflow: $RUN_URL"
auth=$(printf 'x-access-token:%s' "${GH_TOKEN:?}" | base64 -w0)
# PUSH_URL lets a test push to a local repository instead.
git -c "http.https://github.com/.extraheader=AUTHORIZATION: basic $auth" push --force "${PUSH_URL:-https://github.com/$GH_REPO.git}" "HEAD:refs/heads/$BRANCH"
pr=$(gh pr list --head "$BRANCH" --base "$BASE" --state open --json number --jq '.[0].number // empty')
if [ -n "$pr" ]; then
  gh pr edit "$pr" --body-file pr-body.md
else
  gh pr create --head "$BRANCH" --base "$BASE" --title "Pin the tool checksums their projects publish" --body-file pr-body.md
fi
