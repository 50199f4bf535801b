#!/bin/sh
# check_layers.sh - every #include of include/ipcsim/, sim/ and tools/ points
# down the layer order, as README.md's "Architecture" table gives it (rows
# lowest first, between the `<!-- layers` and `<!-- end of layers` markers).
#
#   sh tests/check_layers.sh         check this tree, then make sure the check
#                                    itself fails on an upward include
#   sh tests/check_layers.sh DIR     check the tree at DIR only
#
# A file's layer is its folder's row (include/ipcsim/X.h: the row naming
# `X.h`); an include's layer is the row of the header or folder it names
# ("ipcsim/X.h", "DIR/file.h", or a file of the same folder).  Including a
# higher layer, a header no row names, or a file in a folder no row names is
# an error.  Prints `N passed, N failed`.

# layers ROOT: "rank kind name" lines from the README's table.
layers() {
	awk '
	/<!-- layers/ { on = 1; next }
	/<!-- end of layers/ { on = 0 }
	on && /^\| *[a-z]/ && !/^\| *layer *\|/ {
		n = split($0, c, "|")
		rank++
		folder = c[3]; gsub(/[` ]/, "", folder)
		if (folder != "") print rank, "dir", folder
		hdrs = c[4]; gsub(/[` ]/, "", hdrs)
		m = split(hdrs, h, ",")
		for (i = 1; i <= m; i++) if (h[i] != "") print rank, "hdr", h[i]
		print rank, "name", c[2]
	}' "$1/README.md"
}

# check ROOT: prints one line per violation, then the counts; 0 when clean.
check() {
	root=$1
	map=$(layers "$root")
	if [ -z "$map" ]; then
		echo "check_layers.sh: no layer table in $root/README.md" >&2
		return 2
	fi
	# "FILE LINE INCLUDE" per include, then "FILE 0 -" per file: one grep
	# and one sed over the whole tree (a process per file took seconds).
	(cd "$root" && files=$(find include/ipcsim sim tools -name '*.[ch]' | sort) &&
	 grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' $files /dev/null |
	 sed 's|^\([^:]*\):\([0-9]*\):.*"\([^"]*\)".*|\1 \2 \3|' &&
	 printf '%s 0 -\n' $files) | awk -v map="$map" '
	BEGIN {
		n = split(map, lines, "\n")
		for (i = 1; i <= n; i++) {
			split(lines[i], w, " ")
			if (w[2] == "dir") dir[w[3]] = w[1]
			else if (w[2] == "hdr") hdr[w[3]] = w[1]
			else name[w[1]] = w[3]
		}
	}
	function layer_of_file(f,   d, best, k) {
		if (f ~ /^include\/ipcsim\//) {
			sub(/^include\/ipcsim\//, "", f)
			return (f in hdr) ? hdr[f] : 0
		}
		best = 0
		for (k in dir) if (index(f, k) == 1 && (best == 0 || length(k) > length(bestk))) {
			best = dir[k]; bestk = k
		}
		return best
	}
	{
		file = $1; line = $2; inc = $3
		own = layer_of_file(file)
		if (line == 0) {
			if (own == 0) { print file ": in no layer of the README table"; bad++ }
			files++
			next
		}
		if (inc ~ /^ipcsim\//) target = layer_of_file("include/" inc)
		else if (inc ~ /\//) { d = file; sub(/^/, "", d); target = layer_of_file("sim/" inc) }
		else { d = file; sub(/[^\/]*$/, "", d); target = layer_of_file(d inc) }
		if (target == 0) {
			print file ":" line ": includes \"" inc "\", which is in no layer of the README table"
			bad++
		} else if (own != 0 && target > own) {
			print file ":" line ": " name[own] " includes \"" inc "\" of " name[target] \
			      ", a higher layer"
			bad++
		}
		incs++
	}
	END {
		printf "%d files, %d includes checked, %d pointing up or outside the layers\n",
		       files, incs, bad
		exit bad > 0
	}'
}

if [ $# -gt 0 ]; then
	check "$1"
	exit $?
fi

passed=0
failed=0
if check .; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

# The check must be able to fail: the kernel including the interpreter's
# header, and a folder that no layer names, are both caught in a copy.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-layers.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
cp -r README.md include sim tools "$tmp"/
echo '#include "ipcsim/script.h"' >>"$tmp/sim/kernel/ftok.c"
if check "$tmp" >"$tmp/out" 2>&1 || ! grep -q 'ftok.c:.*kernel includes "ipcsim/script.h" of script' "$tmp/out"; then
	echo "FAIL: an upward include (kernel -> script) was not caught:"
	sed 's/^/    /' "$tmp/out"
	failed=$((failed + 1))
else
	passed=$((passed + 1))
fi
sed -i '$d' "$tmp/sim/kernel/ftok.c"
mkdir "$tmp/sim/stray" && echo 'int stray;' >"$tmp/sim/stray/stray.c"
if check "$tmp" >"$tmp/out" 2>&1 || ! grep -q 'stray.c: in no layer' "$tmp/out"; then
	echo "FAIL: a folder in no layer was not caught:"
	sed 's/^/    /' "$tmp/out"
	failed=$((failed + 1))
else
	passed=$((passed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
