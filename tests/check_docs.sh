#!/bin/sh
# check_docs.sh - the documentation stands alone and stays true.
#
#   refs     no file of the repository refers to notes outside it: neither
#            the folder beside the project's root nor the bare names of
#            the contract files kept there (spelled out below in parts, so
#            that this file names none of them itself)
#
#   links    every relative link and image of every *.md resolves to a file
#            inside the repository (and a #anchor to one of its headings);
#            every docs/ path the man page and the README name exists
#   tables   every table of README.md and docs/*.md has a delimiter row and
#            the header's column count in every row (`\|` is not a column)
#   man      docs/ipcsim.1: `groff -ww -z` says nothing, `man -l` reads it;
#            SYNOPSIS has one line per command; every command of
#            `ipcsim --help` is a tagged paragraph of COMMANDS, and every
#            option of `ipcsim CMD --help` one of OPTIONS (.TP: never glued
#            to the paragraph before)
#   examples every ```scn block of docs/scenario-language.md (and of any
#            other doc) runs with `ipcsim run` and exits 0, or with the
#            status its fence declares
#            (```scn exit=2); an ```output block after it (before any
#            other block) is what the run prints, stdout and stderr as a
#            terminal shows them (the file is named example.scn), and a
#            ```record block what `ipcsim record` writes; a block
#            ```scn template seed=S is a template: `ipcsim quiz --seed S`
#            prints the output block, and writes the key, the record block
#   make-run `make run` prints at most 60 lines (with `make deps` satisfied)
#
#   sh tests/check_docs.sh [PART...]   all parts, or the ones named
#
# Uses $BUILD (default: build) and $MAKE (default: make); no python.
# A part whose tool is missing (groff, man) says so and is skipped.
# Prints `N passed, N failed`; exit status 1 when something failed.

cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd -P)
BUILD=${BUILD:-build}
IPCSIM=$ROOT/$BUILD/ipcsim
MAN=docs/ipcsim.1
LANGREF=docs/scenario-language.md
passed=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-docs.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
skip() { echo "skip: $*"; }
want() {
	[ -z "$parts" ] && return 0
	case " $parts " in *" $1 "*) return 0 ;; esac
	return 1
}
parts="$*"

# The repository's files: tracked, and new ones not ignored (a doc being
# written counts before it is added).
files() {
	if git rev-parse --git-dir >/dev/null 2>&1; then
		git ls-files -co --exclude-standard
	else
		find . -path ./.git -prune -o -path "./$BUILD" -prune -o -type f -print | sed 's|^\./||'
	fi
}
files | while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done >"$tmp/files"

# Markdown without its fenced code blocks and inline code spans (an example
# may hold anything): "LINE<TAB>text".
prose() {
	awk '
	/^ *(```|~~~)/ { fence = !fence; next }
	fence { next }
	{ gsub(/`[^`]*`/, ""); print NR "\t" $0 }' "$1"
}

# ---- refs -------------------------------------------------------------------

if want refs; then
	grep -v -x 'tests/check_docs.sh' "$tmp/files" >"$tmp/reffiles"
	n=0
	# Spelled in parts, so that this file does not name them itself.
	for pat in ".."/"shared" "SCENARIO".md "SEMANTICS".md "FORMATS".md; do
		# -I: text files only (images, fonts); -F: the name as it is.
		tr '\n' '\0' <"$tmp/reffiles" | xargs -0 grep -I -n -F -- "$pat" 2>/dev/null |
			head -50 >"$tmp/hits"
		if [ -s "$tmp/hits" ]; then
			n=$((n + 1))
			fail "refs: '$pat' named in the repository (it is not part of it):"
			sed 's/^/    /' "$tmp/hits" | cut -c1-200
		else
			ok
		fi
	done
fi

# ---- links ------------------------------------------------------------------

# resolve DIR TARGET: the path TARGET names from DIR, "" when it leaves the
# repository.  Plain shell: "." and ".." are folded by hand (realpath -m
# would also do, but follows symbolic links out of the tree).
resolve() {
	case $2 in /*) p=${2#/} ;; *) p=$1/$2 ;; esac
	out=
	old_ifs=$IFS
	IFS=/
	set -f
	for seg in $p; do
		case $seg in
		'' | .) ;;
		..)
			[ -z "$out" ] && { IFS=$old_ifs; set +f; echo ""; return; }
			case $out in */*) out=${out%/*} ;; *) out= ;; esac ;;
		*) out=${out:+$out/}$seg ;;
		esac
	done
	IFS=$old_ifs
	set +f
	echo "${out:-.}"
}

# slugs MD: the anchors of MD's headings, as GitHub makes them (lower case,
# punctuation dropped, blanks to hyphens).
slugs() {
	awk '
	/^ *(```|~~~)/ { fence = !fence; next }
	!fence && /^#+ / {
		h = $0; sub(/^#+ +/, "", h); sub(/ +#* *$/, "", h)
		h = tolower(h); gsub(/[^a-z0-9 _-]/, "", h); gsub(/ /, "-", h)
		print h
	}' "$1"
}

if want links; then
	grep '\.md$' "$tmp/files" >"$tmp/md"
	while IFS= read -r md; do
		dir=$(dirname "$md")
		# [text](target "title"), ![alt](target), and [ref]: target
		prose "$md" | awk -F '\t' '{
			line = $1; s = $2
			while (match(s, /\]\([^)]*\)/)) {
				print line "\t" substr(s, RSTART + 2, RLENGTH - 3)
				s = substr(s, RSTART + RLENGTH)
			}
			if (match($2, /^ {0,3}\[[^]]+\]: +[^ ]+/)) {
				t = $2; sub(/^ {0,3}\[[^]]+\]: +/, "", t); sub(/ .*/, "", t)
				print line "\t" t
			}
		}' >"$tmp/links"
		bad=0
		while IFS="$(printf '\t')" read -r line target; do
			target=${target%% *}         # a title after the target
			target=${target#<}
			target=${target%>}
			case $target in
			'' | *://* | mailto:*) continue ;;
			esac
			path=${target%%#*}
			path=${path%%\?*}
			anchor=
			case $target in *'#'*) anchor=${target#*#} ;; esac
			if [ -z "$path" ]; then
				res=$md
			else
				res=$(resolve "$dir" "$path")
			fi
			if [ -z "$res" ]; then
				fail "links: $md:$line: '$target' leaves the repository"
				bad=1
			elif [ ! -e "$res" ]; then
				fail "links: $md:$line: '$target' does not exist ($res)"
				bad=1
			elif [ -n "$anchor" ] && [ "${res%.md}" != "$res" ] && ! slugs "$res" | grep -q -x -F -- "$anchor"; then
				fail "links: $md:$line: '$target': $res has no heading #$anchor"
				bad=1
			fi
		done <"$tmp/links"
		[ "$bad" -eq 0 ] && ok
	done <"$tmp/md"
	# docs/ paths named in prose: the man page's and the README's.
	for f in "$MAN" README.md; do
		[ -f "$f" ] || continue
		bad=0
		for p in $(grep -o 'docs/[A-Za-z0-9_.-]*[A-Za-z0-9_]' "$f" | sort -u); do
			[ -e "$p" ] || { fail "links: $f names $p, which does not exist"; bad=1; }
		done
		[ "$bad" -eq 0 ] && ok
	done
fi

# ---- tables -----------------------------------------------------------------

if want tables; then
	for md in README.md docs/*.md; do
		[ -f "$md" ] || continue
		prose_fenced=$(awk '
		/^ *(```|~~~)/ { fence = !fence; print ""; next }
		fence { print ""; next }
		{ print }' "$md" | awk -v file="$md" '
		function cells(s,   t) {
			t = s
			gsub(/\\\|/, "", t)            # an escaped pipe is text
			sub(/^[ \t]*\|/, "", t)
			sub(/\|[ \t]*$/, "", t)
			return gsub(/\|/, "", t) + 1
		}
		/^[ \t]*\|/ {
			if (!intable) {
				intable = 1; row = 0; head = cells($0); start = NR
				if (prev !~ /^[ \t]*$/ && prev !~ /^[ \t]*<!--.*-->[ \t]*$/ && NR > 1)
					printf "%s:%d: a table must follow a blank line (it would be read as text)\n", file, NR
			}
			row++
			if (row == 2 && $0 !~ /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/)
				printf "%s:%d: the table of line %d has no delimiter row (|---|---|)\n", file, NR, start
			if (cells($0) != head)
				printf "%s:%d: %d columns, the header of line %d has %d\n", file, NR, cells($0), start, head
			prev = $0
			next
		}
		{ intable = 0; prev = $0 }')
		if [ -n "$prose_fenced" ]; then
			fail "tables: $md:"
			printf '%s\n' "$prose_fenced" | sed 's/^/    /'
		else
			ok
		fi
	done
fi

# ---- man --------------------------------------------------------------------

# section NAME: the lines of the man page's source between `.SH NAME` and the
# next `.SH`.
section() { awk -v want="$1" '/^\.SH/ { on = ($0 ~ "^\\.SH \"?" want "\"?$"); next } on' "$MAN"; }

if want man; then
	if ! command -v groff >/dev/null 2>&1; then
		skip "man: groff is not installed (apt-get install groff-base)"
	else
		groff -ww -z -man "$MAN" >"$tmp/groff" 2>&1
		if [ -s "$tmp/groff" ] || ! groff -ww -z -man "$MAN" >/dev/null 2>&1; then
			fail "man: groff -ww -z -man $MAN warns:"
			sed 's/^/    /' "$tmp/groff" | head -20
		else
			ok
		fi
		# Wide lines, no hyphenation, no bold or underline: one text line
		# per source line of the SYNOPSIS.
		groff -man -Tascii -P-cbou -rLL=250n -rHY=0 "$MAN" 2>/dev/null >"$tmp/man.txt"
		awk '/^SYNOPSIS/ { on = 1; next } /^[A-Z]/ { on = 0 } on && NF' "$tmp/man.txt" >"$tmp/synopsis"
		bad=$(awk '$1 != "ipcsim" || gsub(/ipcsim /, "&") > 1' "$tmp/synopsis")
		if [ -n "$bad" ] || [ ! -s "$tmp/synopsis" ]; then
			fail "man: a SYNOPSIS line that is not one command:"
			printf '%s\n' "$bad" | sed 's/^/    /'
		else
			ok
		fi
	fi
	if ! command -v man >/dev/null 2>&1; then
		skip "man: man is not installed (apt-get install man-db)"
	elif MANWIDTH=80 man -l "$MAN" >/dev/null 2>"$tmp/manerr" && ! grep -q . "$tmp/manerr"; then
		ok
	else
		fail "man: man -l $MAN: $(head -c 300 "$tmp/manerr")"
	fi
	if [ ! -x "$IPCSIM" ]; then
		fail "man: $IPCSIM is not built (make all)"
	else
		"$IPCSIM" --help | awk '/^commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }' >"$tmp/cmds"
		[ -s "$tmp/cmds" ] || fail "man: no commands in ipcsim --help"
		section COMMANDS >"$tmp/commands"
		section SYNOPSIS >"$tmp/synsrc"
		section OPTIONS >"$tmp/options"
		while read -r cmd; do
			# .TP then .B CMD: a paragraph of its own, tagged with its name
			if awk -v c="$cmd" 'prev == ".TP" && ($0 == ".B " c) { found = 1 } { prev = $0 } END { exit !found }' "$tmp/commands"; then
				ok
			else
				fail "man: COMMANDS has no tagged paragraph (.TP / .B $cmd) for '$cmd'"
			fi
			if grep -q "^\.B ipcsim $cmd\$" "$tmp/synsrc"; then ok; else
				fail "man: SYNOPSIS has no line '.B ipcsim $cmd'"
			fi
			# Every option the command's --help lists is the tag of a
			# paragraph of its own in OPTIONS (.TP, then the option):
			# documented, and not glued to the text of the one before.
			"$IPCSIM" "$cmd" --help 2>&1 | grep -o '^ *-[-a-zA-Z]*' | sed 's/ //g' | sort -u >"$tmp/opts"
			while read -r opt; do
				roff=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
				if awk -v o="$roff" 'prev == ".TP" && /^\./ && index($0, o) { found = 1 } { prev = $0 } END { exit !found }' "$tmp/options"; then
					ok
				else
					fail "man: '$opt' (ipcsim $cmd --help) is not the tag (.TP) of a paragraph of OPTIONS"
				fi
			done <"$tmp/opts"
		done <"$tmp/cmds"
	fi
fi

# ---- examples -----------------------------------------------------------------

# run_examples MD: runs every ```scn block of MD; prints how many.
run_examples() {
	md=$1
	rm -rf "$tmp/ex" "$tmp/run"
	mkdir -p "$tmp/ex" "$tmp/run"
	# Each ```scn block to $tmp/ex/N.scn (N.exit: the status it declares,
	# N.line: where it starts); an ```output or ```record block after it,
	# before any other block, to N.out or N.rec.
	awk -v dir="$tmp/ex" '
	BEGIN { ext["scn"] = "scn"; ext["output"] = "out"; ext["record"] = "rec" }
	/^```/ && !fence {
		fence = 1; info = substr($0, 4); kind = ""
		if (info ~ /^scn( |$)/) {
			n++; kind = "scn"; status = 0
			if (match(info, /exit=[0-9]+/)) status = substr(info, RSTART + 5, RLENGTH - 5)
			print status > (dir "/" n ".exit"); close(dir "/" n ".exit")
			print NR + 1 > (dir "/" n ".line"); close(dir "/" n ".line")
			printf "" > (dir "/" n ".scn")
			if (match(info, /template seed=[^ ]+/)) {
				print substr(info, RSTART + 14, RLENGTH - 14) > (dir "/" n ".seed")
				close(dir "/" n ".seed")
			}
		} else if ((info == "output" || info == "record") && last == "scn") {
			kind = info; printf "" > (dir "/" n "." ext[kind])
		}
		last = kind == "" ? "" : "scn"
		next
	}
	/^```/ && fence { fence = 0; if (kind != "") close(dir "/" n "." ext[kind]); next }
	fence && kind != "" { print > (dir "/" n "." ext[kind]) }
	' "$md"
	count=$(find "$tmp/ex" -name '*.scn' | wc -l)
	i=1
	while [ "$i" -le "$count" ]; do
		want_rc=$(cat "$tmp/ex/$i.exit")
		line=$(cat "$tmp/ex/$i.line")
		cp "$tmp/ex/$i.scn" "$tmp/run/example.scn"
		rm -f "$tmp/run/key.scn"
		if [ -f "$tmp/ex/$i.seed" ]; then
			# a template: its student file is the output, its key the record
			(cd "$tmp/run" && "$IPCSIM" quiz example.scn --seed "$(cat "$tmp/ex/$i.seed")" \
				--key key.scn >all 2>&1)
		else
			(cd "$tmp/run" && "$IPCSIM" run --no-color example.scn >all 2>&1)
		fi
		rc=$?
		if [ "$rc" -ne "$want_rc" ]; then
			fail "examples: $md:$line: exit $rc, the block declares $want_rc:"
			sed 's/^/    | /' "$tmp/run/all" | tail -15
		elif [ -f "$tmp/ex/$i.out" ] && ! cmp -s "$tmp/ex/$i.out" "$tmp/run/all"; then
			fail "examples: $md:$line: the output differs from the \`\`\`output block:"
			diff -u "$tmp/ex/$i.out" "$tmp/run/all" | sed 's/^/    /' | head -30
		elif [ -f "$tmp/ex/$i.rec" ] && [ -f "$tmp/ex/$i.seed" ] &&
		     ! cmp -s "$tmp/run/key.scn" "$tmp/ex/$i.rec"; then
			fail "examples: $md:$line: the key differs from the \`\`\`record block:"
			diff -u "$tmp/ex/$i.rec" "$tmp/run/key.scn" | sed 's/^/    /' | head -30
		elif [ -f "$tmp/ex/$i.rec" ] && [ ! -f "$tmp/ex/$i.seed" ] &&
		     ! (cd "$tmp/run" && "$IPCSIM" record example.scn 2>&1 | cmp -s - "$tmp/ex/$i.rec"); then
			fail "examples: $md:$line: ipcsim record differs from the \`\`\`record block:"
			(cd "$tmp/run" && "$IPCSIM" record example.scn 2>&1) | diff -u "$tmp/ex/$i.rec" - |
				sed 's/^/    /' | head -30
		else
			ok
		fi
		i=$((i + 1))
	done
	echo "examples: $count scenarios of $md run"
}

if want examples; then
	if [ ! -f "$LANGREF" ]; then
		fail "examples: $LANGREF does not exist"
	elif [ ! -x "$IPCSIM" ]; then
		fail "examples: $IPCSIM is not built (make all)"
	else
		grep -q '^```scn' "$LANGREF" || fail "examples: no \`\`\`scn block in $LANGREF"
		for md in README.md docs/*.md; do
			grep -q '^```scn' "$md" && run_examples "$md"
		done
	fi
fi

# ---- make-run -----------------------------------------------------------------

if want make-run; then
	# A make of its own: not the caller's jobserver or -s, nor its
	# "Entering directory" lines.
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS "${MAKE:-make}" --no-print-directory run BUILD="$BUILD" \
		>"$tmp/makerun" 2>&1
	rc=$?
	lines=$(wc -l <"$tmp/makerun")
	if [ "$rc" -ne 0 ]; then
		fail "make-run: make run exited $rc:"
		tail -15 "$tmp/makerun" | sed 's/^/    | /'
	elif [ "$lines" -gt 60 ]; then
		fail "make-run: make run printed $lines lines (at most 60: one or two screens)"
	else
		ok
	fi
	echo "make-run: $lines lines"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
