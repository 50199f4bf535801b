#!/bin/sh
# grade_autograder.sh - the Gradescope autograder of scenarios/exercises/
# end to end on a fresh Debian 12: make_zip.sh's zip unpacked as
# /autograder/source in a minimal bookworm root (debootstrap --variant=minbase,
# as tests/fresh_debian.sh makes it; an existing root is used read-only, under
# an overlay, and left as it was), setup.sh run there as Gradescope runs it,
# then run_autograder on the exercise's sample submissions with a
# submission_metadata.json; each results.json must carry the score the
# samples are worked out to in tests/grade.sh.
#
#   sudo sh tests/grade_autograder.sh [ROOT]   (ROOT: /var/tmp/ipcsim-bookworm)
#
# Several minutes (apt-get in the root), so not part of `make test`.
set -eu
root=${1:-/var/tmp/ipcsim-bookworm}
src=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "grade_autograder.sh: run as root" >&2; exit 2; }
if [ ! -x "$root/usr/bin/apt-get" ]; then
	command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
	debootstrap --variant=minbase --include=make,gcc,git,ca-certificates bookworm "$root" \
		"${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$root.debootstrap.log" 2>&1
fi
tmp=$(mktemp -d /var/tmp/ipcsim-autograder.XXXXXX)
trap 'umount -l "$tmp/merged" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/upper" "$tmp/work" "$tmp/merged"
mount -t overlay overlay -o "lowerdir=$root,upperdir=$tmp/upper,workdir=$tmp/work" "$tmp/merged"
sh "$src/scenarios/exercises/autograder/make_zip.sh" msgrcv_table "$tmp/ag.zip" >/dev/null
mkdir -p "$tmp/merged/autograder/source" "$tmp/merged/autograder/submission" "$tmp/merged/samples"
(cd "$tmp/merged/autograder/source" && python3 -m zipfile -e "$tmp/ag.zip" .)
cp "$src"/scenarios/exercises/msgrcv_table/samples/*.scn "$tmp/merged/samples/"
cp /etc/resolv.conf "$tmp/merged/etc/resolv.conf" 2>/dev/null || true
for f in /etc/apt/apt.conf.d/*proxy*; do [ -f "$f" ] && cp "$f" "$tmp/merged/etc/apt/apt.conf.d/"; done
unshare --mount --propagation private sh -eu -c '
	r=$1
	mount --bind "$r" "$r"
	mount -t proc proc "$r/proc"
	mount --rbind /dev "$r/dev"
	cd "$r"; mkdir -p .old; pivot_root . .old; umount -l /.old; rmdir /.old
	exec env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 sh -eu -c "
		cd /autograder/source && sh ./setup.sh >/tmp/setup.log 2>&1 || { tail -20 /tmp/setup.log; exit 1; }
		cp /autograder/source/run_autograder /autograder/run_autograder
		echo '\''{\"users\": [{\"email\": \"alice\", \"id\": 1, \"name\": \"A\"}]}'\'' >/autograder/submission_metadata.json
		for s in right partly_right malformed edited_question; do
			rm -f /autograder/submission/* /autograder/results/results.json
			cp /samples/\$s.scn /autograder/submission/answer.scn
			sh /autograder/run_autograder >/dev/null
			python3 -c \"import json; print(\\\"\$s\\\", json.load(open(\\\"/autograder/results/results.json\\\"))[\\\"score\\\"])\"
		done
	"
' sh "$tmp/merged" >"$tmp/scores"
cat "$tmp/scores"
# tests/grade.sh works these out by hand: 14, 9, 11, 11 of 14.
printf 'right 14.0\npartly_right 9.0\nmalformed 11.0\nedited_question 11.0\n' | cmp -s - "$tmp/scores" &&
	echo "grade_autograder: 1 passed, 0 failed" || { echo "grade_autograder: 0 passed, 1 failed"; exit 1; }
