#!/bin/sh
# make_zip.sh EXERCISE [OUT.zip] - the zip to upload to Gradescope as a
# programming assignment's autograder for scenarios/exercises/EXERCISE:
# setup.sh and run_autograder at its top, the ipcsim sources (the committed
# tree, git archive HEAD) in ipcsim/, the exercise's template in exercise/.
# Needs git and python3 (its zipfile module writes the zip).
set -eu
ex=${1:?usage: make_zip.sh EXERCISE [OUT.zip]}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
out=${2:-$ex-autograder.zip}
[ -f "$top/scenarios/exercises/$ex/template.scn" ] || {
	echo "make_zip.sh: no scenarios/exercises/$ex/template.scn" >&2
	exit 2
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-zip.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/z/ipcsim" "$tmp/z/exercise"
(cd "$top" && git archive HEAD) | tar -xf - -C "$tmp/z/ipcsim"
cp "$top/scenarios/exercises/$ex/template.scn" "$tmp/z/exercise/"
cp "$here/setup.sh" "$here/run_autograder" "$tmp/z/"
chmod +x "$tmp/z/setup.sh" "$tmp/z/run_autograder"
case $out in /*) ;; *) out=$PWD/$out ;; esac
(cd "$tmp/z" && python3 -m zipfile -c "$out" setup.sh run_autograder ipcsim exercise)
echo "$out"
