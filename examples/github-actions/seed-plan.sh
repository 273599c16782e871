#!/usr/bin/env bash
# The shell steps of seed-plan.yml, one per argument, so that a test runs exactly what the
# workflow runs (tests/test_workflow.py). SEED names the seed command to use (default: seed).
#   seed-base  seed the database with the base branch's code
#   plan       plan with the pull request's code: plan.md, and changes=yes|no in $GITHUB_OUTPUT
#   comment    post plan.md, or update the comment this workflow posted before
set -euo pipefail
SEED="${SEED:-seed}"
MARKER='<!-- mentara-seed plan -->'   # the first line of every `seed plan --format markdown`

case "${1:?usage: seed-plan.sh seed-base|plan|comment}" in
  seed-base)
    "$SEED" apply --init --quiet
    ;;
  plan)
    # Adds the tables the pull request adds to a schema `seed init` made; a no-op otherwise.
    "$SEED" init --quiet
    set +e
    "$SEED" plan --format markdown --detailed-exitcode > plan.md
    code=$?
    set -e
    # --detailed-exitcode: 0 no changes, 2 changes, 1 an error (usage errors included).
    case "$code" in
      0) changes=no ;;
      2) changes=yes ;;
      *) exit 1 ;;
    esac
    echo "changes=$changes" >> "${GITHUB_OUTPUT:-/dev/null}"
    ;;
  comment)
    # The comment this workflow posted before: by this bot, starting with the marker. Never
    # "the last comment", which may be a person's or another bot's.
    : "${GITHUB_REPOSITORY:?}" "${PR_NUMBER:?}"
    bot="${COMMENT_AUTHOR:-github-actions[bot]}"
    id=$(gh api "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" --paginate --jq \
      ".[] | select(.user.login == \"$bot\" and (.body | startswith(\"$MARKER\"))) | .id" \
      | head -n 1)
    if [ -n "$id" ]; then
      gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" \
        -F body=@plan.md > /dev/null
    else
      gh pr comment "$PR_NUMBER" --repo "$GITHUB_REPOSITORY" --body-file plan.md
    fi
    ;;
  *)
    echo "usage: seed-plan.sh seed-base|plan|comment" >&2
    exit 2
    ;;
esac
