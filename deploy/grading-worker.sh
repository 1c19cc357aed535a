#!/usr/bin/env bash
# A grading worker (Celery), as deploy/systemd/coursesite-worker.service runs it: GRADING_CONCURRENCY
# gradings at once, from the default queue `celery` (CELERY_TASK_DEFAULT_QUEUE; queue names may change in
# a later version: see README). Extra arguments go to `celery worker`.
#
# On a cgroup v2 machine the worker's gradings get one memory limit and one core each from cgroups made
# under the unit's delegated cgroup (Delegate=yes). cgroup v2 lets a cgroup hand controllers to its children
# only while it holds no process itself, so the worker first moves into a child `worker` of it, then names
# the emptied cgroup as GRADER_CGROUP. On cgroup v1, or outside a delegated cgroup, GRADER_CGROUP stays as
# set (default `auto`); `manage.py bench_autograder --quick` says which limits bind.
set -euo pipefail
cd "$(dirname "$0")/.."
own="/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)"
if [ -f /sys/fs/cgroup/cgroup.controllers ] && [ "${GRADER_CGROUP:-auto}" = auto ] \
    && [ "$own" != /sys/fs/cgroup/ ] && [ -w "$own/cgroup.subtree_control" ]; then
  mkdir -p "$own/worker"
  echo $$ > "$own/worker/cgroup.procs"
  if echo +memory > "$own/cgroup.subtree_control"; then
    echo +cpu > "$own/cgroup.subtree_control" || echo "grading-worker.sh: no cpu controller: cores are not limited" >&2
    export GRADER_CGROUP="$own"
  else
    echo "grading-worker.sh: $own does not take +memory; each grading process gets its own memory limit" >&2
  fi
fi
exec .venv/bin/celery -A coursesite worker -Q "${CELERY_TASK_DEFAULT_QUEUE:-celery}" --hostname "grader@%h" \
  --concurrency "${GRADING_CONCURRENCY:-1}" --loglevel INFO "$@"
