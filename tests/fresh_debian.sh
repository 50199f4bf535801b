#!/bin/sh
# fresh_debian.sh - the README's two commands, `make run` then `make test`,
# on a fresh Debian 12: a minimal bookworm root (debootstrap --variant=minbase,
# plus only make, gcc and git) with this checkout copied in, entered through
# its own mount namespace and pivot_root (not a plain chroot: `ipcsim check`'s
# sandbox makes namespaces, which a chroot refuses), with /proc, /sys and /dev
# (/dev/pts, /dev/shm) mounted, the machine's DNS, CA certificates and npm
# configuration copied in so the package registries answer as they do here.
# Prints each command's time; exits with the first failure's status.
#
#   sudo sh tests/fresh_debian.sh [ROOT]     (ROOT: /var/tmp/ipcsim-bookworm)
#
# Too slow for every CI run (a first `make test` installs Chromium and Node:
# several minutes): run it before a release, or after changing what `make
# deps`, `make deps-run` or the README's commands install.  FRESH=1 starts
# from a new root; otherwise an existing root is reused and only the
# checkout is copied again (the packages installed by an earlier run stay,
# so only a FRESH=1 run measures a first install).
set -eu

root=${1:-/var/tmp/ipcsim-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
src=$(cd "$(dirname "$0")/.." && pwd)

if [ "$(id -u)" -ne 0 ]; then
	echo "fresh_debian.sh: run as root (debootstrap, mounts)" >&2
	exit 2
fi
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null

elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

if [ "${FRESH:-0}" = 1 ]; then
	rm -rf "$root"
fi
if [ ! -x "$root/usr/bin/apt-get" ]; then
	t=$(date +%s)
	debootstrap --variant=minbase --include=make,gcc,git,ca-certificates bookworm \
		"$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
		tail -20 "$root.debootstrap.log" >&2
		exit 1
	}
	echo "fresh_debian: debootstrap bookworm minbase: $(elapsed "$t")"
fi

# The checkout as it is (tracked files and uncommitted changes, no build).
rm -rf "$root/src/ipcsim"
mkdir -p "$root/src/ipcsim"
(cd "$src" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - 2>/dev/null) |
	tar -xf - -C "$root/src/ipcsim"
(cd "$root/src/ipcsim" && git init -q . && git add -A && git -c user.name=fresh -c user.email=fresh@localhost commit -qm checkout)
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
[ -d /usr/local/share/ca-certificates ] &&
	cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
[ -f /etc/npmrc ] && cp /etc/npmrc "$root/etc/npmrc"
[ -f "${HOME:-/root}/.npmrc" ] && mkdir -p "$root/root" && cp "${HOME:-/root}/.npmrc" "$root/root/.npmrc"
for f in /etc/apt/apt.conf.d/*proxy*; do [ -f "$f" ] && cp "$f" "$root/etc/apt/apt.conf.d/"; done

# Inside: its own mount namespace, the root pivoted, the two commands timed.
unshare --mount --propagation private sh -eu -c '
	root=$1
	mount --bind "$root" "$root"
	mount -t proc proc "$root/proc"
	mount --rbind /sys "$root/sys"
	mount --rbind /dev "$root/dev"
	mount -t tmpfs -o size=1g tmpfs "$root/tmp"
	cd "$root"
	mkdir -p .old
	pivot_root . .old
	umount -l /.old
	rmdir /.old
	exec env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		TERM=dumb LANG=C.UTF-8 sh -eu -c "
		update-ca-certificates >/dev/null 2>&1 || true
		cd /src/ipcsim
		t=\$(date +%s)
		make run >/tmp/make-run.log 2>&1 || { tail -30 /tmp/make-run.log; exit 1; }
		echo \"fresh_debian: make run: \$((\$(date +%s) - t)) s, \$(wc -l </tmp/make-run.log) lines\"
		t=\$(date +%s)
		make test >/tmp/make-test.log 2>&1 || { tail -40 /tmp/make-test.log; exit 1; }
		echo \"fresh_debian: make test: \$((\$(date +%s) - t)) s\"
		grep -E \"passed, [0-9]+ failed\" /tmp/make-test.log | sed \"s/^/  /\"
		node --version | sed \"s/^/  node /\"
	"
' sh "$root"
