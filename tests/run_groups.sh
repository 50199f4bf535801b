#!/bin/sh
# run_groups.sh - the test runner of `make test` and `make asan`: runs the
# test groups given (make targets) side by side with the make command given,
# then says which failed, on a last line CI can read.
#
#   sh tests/run_groups.sh LOG MAKE [MAKE-OPTIONS...] -- GROUP...
#
# MAKE runs with -k --output-sync=target and the options given (-jN: how
# many groups at once), so each group's output comes out whole when it ends
# and a failing group does not stop the others; everything is also written
# to LOG.  The last line is `groups: N passed, N failed`, after the
# names of the failed groups; the exit status is make's.

if [ $# -lt 4 ]; then
	echo "usage: run_groups.sh LOG MAKE [OPTIONS...] -- GROUP..." >&2
	exit 2
fi
log=$1
shift
cmd=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	cmd="$cmd '$1'"
	shift
done
shift
groups="$*"
mkdir -p "$(dirname "$log")" || exit 2

# make's status past the pipe to tee (sh has no pipefail), in a file.
{ eval "$cmd -k --output-sync=target $groups" 2>&1; echo $? >"$log.status"; } | tee "$log"
status=$(cat "$log.status" 2>/dev/null || echo 2)
rm -f "$log.status"

# make -k names each failed target in a line "*** [FILE:LINE: TARGET] Error N".
failed=""
for g in $groups; do
	grep -q "\*\*\* \[[^]]*: $g\] Error" "$log" && failed="$failed $g"
done
nfailed=$(echo $failed | wc -w)
ngroups=$(echo $groups | wc -w)
if [ "$status" -ne 0 ] && [ "$nfailed" -eq 0 ]; then
	# make failed before or beside the groups (a broken Makefile, a build):
	# none of them can be said to have passed.
	echo "make failed (exit $status) without naming a group: see above"
	failed=" (all)"
	nfailed=$ngroups
fi
[ -n "$failed" ] && echo "failed groups:$failed (their output is above; all of it in $log)"
echo "groups: $((ngroups - nfailed)) passed, $nfailed failed"
if [ "$status" -eq 0 ] && [ "$nfailed" -gt 0 ]; then
	status=1
fi
exit "$status"
