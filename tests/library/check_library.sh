#!/bin/sh
# check_library.sh - libipcsim as a program outside the project sees it
# (`make test-lib`; sh, binutils and pkg-config only).
#
#   BUILD=build sh tests/library/check_library.sh
#
# Environment: BUILD (build), CC (cc), MAKE (make), NM (nm), SAN_LDFLAGS (the
# link flags of a sanitizer build, for the programs built here).  It needs
# $BUILD/libipcsim.a, $BUILD/libipcsim.so, $BUILD/libipcsim-internal.a and
# $BUILD/ipcsim built.  Step 4 runs `$MAKE install`, which rebuilds what its
# own flags call stale: for a build with other flags (build-asan) run it
# through `make ... test-lib`, whose flags the inner make inherits.
#
#   1. exports: the symbols libipcsim.a (nm -g --defined-only) and
#      libipcsim.so (nm -D --defined-only) export all start with a prefix of
#      the "Exported prefixes:" line of include/ipcsim/ipcsim.h, are all
#      declared in a public header, and every function and object the public
#      headers declare is among them: the public API, nothing more or less;
#   2. the check can fail: a copy of libipcsim.a with one more object, and a
#      shared library, exporting `eval` and an undeclared sim_* name are
#      refused; the library's own `eval` is local in the .a, absent from the .so;
#   3. headers: no public header defines a feature macro, and each compiles
#      alone with -std=c11 -pedantic -Iinclude and nothing else;
#   4. install: `make install DESTDIR=TMP PREFIX=/usr` puts every file in
#      place; tests/library/grader.c, which defines its own `eval` and
#      `parse_line`, is built with -I of the staged include directory and the
#      staged ipcsim.pc's pkg-config flags, once linked with libipcsim.a and
#      once with libipcsim.so, and both run and grade a scenario as worked out
#      by hand (the same program linked with the internal archive, whose
#      `eval` is global, must fail to link); `make uninstall` removes it all.
#
#   5. libipcsim-preload.so (`ipcsim exec`) exports exactly the functions it
#      replaces and needs nothing of the simulator.
#
# Prints one line per failure and `N passed, N failed`; exits non-zero on any.

cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
CC=${CC:-cc}
MAKE=${MAKE:-make}
NM=${NM:-nm}
SAN_LDFLAGS=${SAN_LDFLAGS:-}
LIB=$BUILD/libipcsim.a
SO=$BUILD/libipcsim.so
HDRS=$(ls include/ipcsim/*.h)

passed=0
failed=0
pass() { passed=$((passed + 1)); [ -z "$1" ] || echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; }
# indent FILE: its lines, indented, for a failure's details.
indent() { sed 's/^/    /' "$1"; }

for f in "$LIB" "$SO" "$BUILD/ipcsim"; do
	if [ ! -e "$f" ]; then
		echo "check_library.sh: $f is missing (make $f)" >&2
		exit 2
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcsim-lib.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

version=$(sed -n 's/^#define IPCSIM_VERSION "\(.*\)"$/\1/p' include/ipcsim/ipcsim.h)
prefixes=$(sed -n 's/^ \* Exported prefixes: *//p' include/ipcsim/ipcsim.h)
if [ -z "$version" ] || [ -z "$prefixes" ]; then
	echo "check_library.sh: no IPCSIM_VERSION or 'Exported prefixes:' line in ipcsim/ipcsim.h" >&2
	exit 2
fi
prefix_re="^($(echo $prefixes | sed 's/ /|/g'))"

# ---- the public API: what the headers declare -------------------------------
# Functions: gcc's -aux-info lists every prototype with the file it is in.
# Objects: the `extern` lines of the headers.
for h in $HDRS; do echo "#include <ipcsim/${h##*/}>"; done >"$tmp/all.c"
if ! $CC -std=c11 -Iinclude -fsyntax-only -aux-info "$tmp/aux" "$tmp/all.c" 2>"$tmp/err"; then
	echo "check_library.sh: $CC -aux-info failed:" >&2
	cat "$tmp/err" >&2
	exit 2
fi
{
	sed -n 's|^/\* include/ipcsim/[^ ]* \*/ *||p' "$tmp/aux" | sed 's/ *(.*//; s/.*[ *]//'
	grep -h '^extern ' $HDRS | sed 's/\[.*//; s/[;=].*//; s/.*[ *]//'
} | sort -u >"$tmp/api"

# exports KIND FILE: the global symbols FILE defines (KIND static: an
# archive; shared: a shared library's dynamic symbols), one a line.  Under
# AddressSanitizer every exported variable has a twin, __odr_asan.NAME, the
# compiler's one-definition-rule marker: a reserved name, left out here.
exports() {
	case $1 in
	static) $NM -g --defined-only "$2" ;;
	shared) $NM -D --defined-only "$2" ;;
	esac | awk 'NF == 3 && $3 !~ /^__odr_asan\./ { print $3 }' | sort -u
}

# check_exports KIND FILE: 0 when FILE exports exactly the public API;
# otherwise what is wrong, on stdout.
check_exports() {
	exports "$1" "$2" >"$tmp/syms" || return 1
	bad=0
	for s in $(grep -Ev "$prefix_re" "$tmp/syms"); do
		echo "exported outside the prefixes: $s"; bad=1
	done
	for s in $(grep -E "$prefix_re" "$tmp/syms" | comm -23 - "$tmp/words"); do
		echo "exported, declared in no public header: $s"; bad=1
	done
	for s in $(comm -13 "$tmp/syms" "$tmp/api"); do
		echo "declared in a public header, not exported: $s"; bad=1
	done
	return $bad
}

# ---- 1. the library's exports ----------------------------------------------
# Every word of the public headers, for the exported names: one pass, not a
# grep per symbol.
grep -ohE '[A-Za-z_][A-Za-z0-9_]*' $HDRS | sort -u >"$tmp/words"
napi=$(wc -l <"$tmp/api")
for kind in static shared; do
	[ $kind = static ] && file=$LIB || file=$SO
	if check_exports $kind "$file" >"$tmp/out"; then
		pass "$file exports $(wc -l <"$tmp/syms") symbols, the $napi of the public API (prefixes: $prefixes)"
	else
		fail "$file exports $(wc -l <"$tmp/syms") symbols, not just the $napi of the public API:"
		indent "$tmp/out"
	fi
done

# ---- 2. the check can fail ---------------------------------------------------
printf 'int eval(int x);\nint eval(int x) { return x; }\nint sim_undeclared(void);\nint sim_undeclared(void) { return 0; }\n' \
	>"$tmp/pollute.c"
if ! $CC -fPIC -c -o "$tmp/pollute.o" "$tmp/pollute.c" ||
   ! $CC -shared -o "$tmp/libpolluted.so" "$tmp/pollute.o"; then
	fail "could not build the polluted libraries"
else
	cp "$LIB" "$tmp/libpolluted.a" && ar r "$tmp/libpolluted.a" "$tmp/pollute.o" 2>/dev/null
	for kind in static shared; do
		[ $kind = static ] && file=$tmp/libpolluted.a || file=$tmp/libpolluted.so
		if check_exports $kind "$file" >"$tmp/out" ||
		   ! grep -q 'outside the prefixes: eval$' "$tmp/out" ||
		   ! grep -q 'declared in no public header: sim_undeclared$' "$tmp/out"; then
			fail "a $kind library exporting eval and sim_undeclared was not refused:"
			indent "$tmp/out"
		else
			pass ""
		fi
	done
fi
# The library's own eval: a local symbol (t) of libipcsim.a, not in the .so's
# dynamic symbols.
if $NM "$LIB" | grep -q ' [A-Z] eval$' || $NM -D "$SO" | grep -q ' eval$'; then
	fail "eval is exported"
elif ! $NM "$LIB" | grep -q ' t eval$'; then
	fail "libipcsim.a holds no local eval (renamed? update this test)"
else
	pass "the interpreter's eval is local in libipcsim.a and absent from libipcsim.so"
fi

# ---- 3. the public headers ---------------------------------------------------
# Feature macros (_GNU_SOURCE, _POSIX_C_SOURCE, _FILE_OFFSET_BITS...) all
# start with an underscore; no other macro of ours does.
if grep -nE '^[[:space:]]*#[[:space:]]*(define|undef)[[:space:]]+_' $HDRS >"$tmp/out"; then
	fail "public headers set feature macros:"
	indent "$tmp/out"
else
	pass ""
fi
nbad=0
for h in $HDRS; do
	printf '#include <ipcsim/%s>\nint only_this_header;\n' "${h##*/}" >"$tmp/one.c"
	if ! $CC -std=c11 -pedantic -Wall -Wextra -Werror -Iinclude -fsyntax-only "$tmp/one.c" \
	     >"$tmp/out" 2>&1; then
		fail "$h does not compile alone with -std=c11 -Iinclude:"
		indent "$tmp/out"
		nbad=$((nbad + 1))
	fi
done
[ $nbad -eq 0 ] && pass "each of the $(echo $HDRS | wc -w) public headers compiles alone with -std=c11 -pedantic -Iinclude, no feature macros"
missing=
for h in $HDRS; do
	[ "$h" = include/ipcsim/ipcsim.h ] ||
	grep -q "^#include \"ipcsim/${h##*/}\"" include/ipcsim/ipcsim.h || missing="$missing ${h##*/}"
done
[ -z "$missing" ] && pass "" || fail "ipcsim/ipcsim.h does not include:$missing"

# ---- 4. installed, and used by an outside program ----------------------------
dest=$tmp/dest
if ! $MAKE -s --no-print-directory install BUILD="$BUILD" DESTDIR="$dest" PREFIX=/usr \
     >"$tmp/out" 2>&1; then
	fail "make install DESTDIR=... PREFIX=/usr failed:"
	indent "$tmp/out"
	echo "$passed passed, $failed failed"
	exit 1
fi
missing=
for f in usr/bin/ipcsim usr/lib/libipcsim.a usr/lib/libipcsim.so usr/lib/libipcsim.so.0 \
         usr/lib/libipcsim.so.$version usr/lib/pkgconfig/ipcsim.pc usr/share/man/man1/ipcsim.1 \
         $(for h in $HDRS; do echo usr/include/ipcsim/${h##*/}; done); do
	[ -e "$dest/$f" ] || missing="$missing $f"
done
soname=$(readelf -d "$dest/usr/lib/libipcsim.so" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ -n "$missing" ] || [ "$soname" != libipcsim.so.0 ]; then
	fail "make install: missing:$missing; soname '$soname' (want libipcsim.so.0)"
else
	pass "make install: $(find "$dest" ! -type d | wc -l) files under DESTDIR, soname $soname"
fi

got=$("$dest/usr/bin/ipcsim" --version 2>&1)
[ "$got" = "ipcsim $version" ] && pass "" || fail "installed ipcsim --version: '$got', want 'ipcsim $version'"

PKG_CONFIG_SYSROOT_DIR=$dest
PKG_CONFIG_PATH=$dest/usr/lib/pkgconfig
export PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_PATH
modversion=$(pkg-config --modversion ipcsim 2>&1)
cflags=$(pkg-config --cflags ipcsim 2>&1) &&
libs=$(pkg-config --libs ipcsim 2>&1) &&
static_libs=$(pkg-config --static --libs ipcsim 2>&1)
if [ $? -ne 0 ] || [ "$modversion" != "$version" ]; then
	fail "pkg-config ipcsim: version '$modversion' (want $version); $cflags $libs $static_libs"
else
	pass "pkg-config ipcsim $modversion: $cflags | $libs | --static: $static_libs"
fi
# -l:libipcsim.a: the archive, though libipcsim.so sits beside it.
static_libs=$(echo " $static_libs " | sed 's/ -lipcsim / -l:libipcsim.a /')

want="ipcsim $version (headers $version): rc 1, 6 passed, 1 failed, 7 steps; eval 1, several lines"
grader=tests/library/grader.c
gflags="-std=c11 -Wall -Wextra -Werror -I$dest/usr/include $cflags"
for kind in static shared; do
	exe=$tmp/grader-$kind
	if [ $kind = static ]; then
		$CC $gflags -o "$exe" "$grader" $static_libs $SAN_LDFLAGS >"$tmp/out" 2>&1
	else
		$CC $gflags -o "$exe" "$grader" $libs $SAN_LDFLAGS >"$tmp/out" 2>&1
	fi
	if [ $? -ne 0 ]; then
		fail "the grader does not build against the installed $kind library:"
		indent "$tmp/out"
		continue
	fi
	needs_so=$(readelf -d "$exe" | grep -c 'NEEDED.*libipcsim')
	[ $kind = static ] && want_so=0 || want_so=1
	if [ "$needs_so" -ne $want_so ]; then
		fail "the $kind grader needs libipcsim.so $needs_so times, not $want_so"
		continue
	fi
	if [ $kind = shared ] &&
	   ! LD_LIBRARY_PATH=$dest/usr/lib ldd "$exe" | grep -q "$dest/usr/lib/libipcsim.so.0"; then
		fail "the shared grader does not load the installed libipcsim.so.0"
		continue
	fi
	LD_LIBRARY_PATH=$dest/usr/lib "$exe" >"$tmp/out" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || [ "$(cat "$tmp/out")" != "$want" ]; then
		fail "the $kind grader (exit $rc) printed:"
		indent "$tmp/out"
		echo "    want: $want"
	else
		pass "grader, $kind: $want"
	fi
done
# The grader's eval and parse_line clash with a library that exports them.
if $CC $gflags -o "$tmp/grader-internal" "$grader" "$BUILD/libipcsim-internal.a" \
     $(pkg-config --static --libs-only-l ipcsim | sed 's/-lipcsim//') $SAN_LDFLAGS \
     >"$tmp/out" 2>&1 || ! grep -q "multiple definition of .eval" "$tmp/out"; then
	fail "the grader linked with the internal archive (global eval) did not clash:"
	indent "$tmp/out"
else
	pass "the same grader against the internal archive: multiple definition of eval (as it must)"
fi

if ! $MAKE -s --no-print-directory uninstall BUILD="$BUILD" DESTDIR="$dest" PREFIX=/usr \
     >"$tmp/out" 2>&1; then
	fail "make uninstall failed:"
	indent "$tmp/out"
elif [ -n "$(find "$dest" ! -type d)" ]; then
	fail "make uninstall left:"
	find "$dest" ! -type d | sed 's/^/    /'
else
	pass "make uninstall removes every file"
fi

# ---- 5. the preload library of `ipcsim exec` --------------------------------
# It lives in the student's process: it exports exactly the functions it
# replaces, and needs nothing of the simulator.
PRELOAD=$BUILD/libipcsim-preload.so
want="capset close close_range closefrom fclose fopen fopen64 fork msgctl msgget msgrcv msgsnd open open64 openat semctl semget semop semtimedop setegid seteuid setgid setregid setresgid setresuid setreuid setuid shmat shmctl shmdt shmget vfork"
if [ ! -e "$PRELOAD" ]; then
	fail "preload: $PRELOAD is missing (make $PRELOAD)"
else
	got=$($NM -D --defined-only "$PRELOAD" | awk '$2 ~ /^[TWDBV]$/ { print $3 }' | sort | tr '\n' ' ' | sed 's/ $//')
	if [ "$got" = "$want" ]; then pass "preload: exports exactly the replaced functions"; else
		fail "preload: exports [$got], want [$want]"
	fi
	if $NM -D "$PRELOAD" | grep -q ' [Uu] \(sim_\|backend_\|script_\|json_\)'; then
		fail "preload: needs symbols of the simulator or json-c"
	else
		pass "preload: needs nothing of the simulator"
	fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
