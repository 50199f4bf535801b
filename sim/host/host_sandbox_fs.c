/*
 * host_sandbox_fs.c - the file system the sandbox sees: only what the real
 * ipcs, ipcrm, sysctl and cat of System V state need, read-only.
 *
 *   /             a small tmpfs, read-only once built
 *   /usr          the machine's, bound read-only, nosuid, nodev; /bin,
 *                 /sbin, /lib* as the machine has them (merged /usr:
 *                 symlinks; else read-only binds)
 *   /etc          ld.so.cache (a copy), nsswitch.conf (files), and passwd
 *                 and group: the scenario's names, bound read-only from
 *                 the scratch tmpfs (host_coord_ops.c rewrites them)
 *   /dev/null     the machine's, bound read-only
 *   /tmp          ftok's files, bound read-only from the scratch tmpfs
 *   /proc         a fresh proc of the sandbox's PID namespace, read-only;
 *                 only the IPC namespace's own kernel.msg*, kernel.shm*,
 *                 kernel.sem* are bound read-write over it, and /dev/null
 *                 over the files about the machine (kcore, kmsg, keys...)
 *
 * The scratch tmpfs (IPCSIM_SANDBOX_SCRATCH bytes) is mounted, filled,
 * bound where it shows, then detached: the coordinator alone reaches it,
 * through an O_PATH descriptor, so nothing in the sandbox can write there.
 * Entered with pivot_root(".", ".") (pivot_root(2): the old root stacks on
 * the new one and is then detached); where the root is not a mount point
 * (a chroot) pivot_root fails and chroot(2) is used, which the dropped
 * CAP_SYS_CHROOT and the seccomp filter keep closed.
 *
 * In a user namespace, mounts copied from the machine's namespace have
 * locked flags (mount_namespaces(7)): a read-only remount must keep the
 * atime, nosuid, nodev and noexec flags the mount already has.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host/host_sandbox.h"
#include "ipcsim/sandbox.h"

/* Where the new root is mounted before it is entered: the first that exists. */
static const char *const fs_bases[] = { "/tmp", "/mnt", "/run", "/dev", NULL };
/* What of the machine's top level the tools need (besides /usr). */
static const char *const fs_top[] = { "bin", "sbin", "lib", "lib32", "lib64", "libx32", NULL };

struct fs_ctx {
	char root[64];         /* where the new root is mounted */
	char *why;
	size_t whylen;
};

static int fail(struct fs_ctx *x, const char *what, const char *path)
{
	snprintf(x->why, x->whylen, "sandbox view: %s %s: %s", what, path, strerror(errno));
	return -1;
}

/* root + "/" + rel */
static const char *at(const struct fs_ctx *x, const char *rel, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", x->root, rel);
	return buf;
}

/* The flags a read-only remount of path must keep (locked or not). */
static unsigned long kept_flags(const char *path)
{
	struct statvfs sv;

	if (statvfs(path, &sv) != 0)
		return 0;
	/* ST_* and MS_* have the same values for these (statvfs(3)). */
	return sv.f_flag & (ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_NOATIME | ST_NODIRATIME |
	                    ST_RELATIME);
}

/* Makes the mount at path read-only, adding flags. */
static int remount_ro(struct fs_ctx *x, const char *path, unsigned long flags)
{
	if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | kept_flags(path) | flags,
	          NULL) != 0)
		return fail(x, "read-only remount of", path);
	return 0;
}

/* A read-only bind of src (not its submounts) at dst. */
static int bind_ro(struct fs_ctx *x, const char *src, const char *dst, unsigned long flags)
{
	if (mount(src, dst, NULL, MS_BIND, NULL) != 0)
		return fail(x, "bind mount of", src);
	return remount_ro(x, dst, flags);
}

static int make_file(struct fs_ctx *x, const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t n = strlen(text);

	if (fd < 0)
		return fail(x, "create", path);
	if (write(fd, text, n) != (ssize_t)n) {
		close(fd);
		return fail(x, "write", path);
	}
	close(fd);
	return 0;
}

static int copy_file(struct fs_ctx *x, const char *src, const char *dst)
{
	char buf[65536];
	int in = open(src, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;
	int rc = 0;

	if (in < 0)
		return 0; /* not on this machine: the loader searches its default paths */
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		close(in);
		return fail(x, "create", dst);
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			rc = fail(x, "write", dst);
			break;
		}
	close(in);
	close(out);
	return rc;
}

/* /usr and the top-level directories the loader and the tools live in. */
static int fs_system(struct fs_ctx *x)
{
	char dst[192], src[64], target[256];
	struct stat st;

	if (mkdir(at(x, "usr", dst, sizeof(dst)), 0755) != 0 ||
	    bind_ro(x, "/usr", dst, MS_NOSUID | MS_NODEV) != 0)
		return -1;
	for (int i = 0; fs_top[i] != NULL; i++) {
		ssize_t n;

		snprintf(src, sizeof(src), "/%s", fs_top[i]);
		at(x, fs_top[i], dst, sizeof(dst));
		if (lstat(src, &st) != 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			n = readlink(src, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			if (symlink(target, dst) != 0)
				return fail(x, "symlink", dst);
		} else if (S_ISDIR(st.st_mode)) {
			if (mkdir(dst, 0755) != 0 || bind_ro(x, src, dst, MS_NOSUID | MS_NODEV) != 0)
				return -1;
		}
	}
	return 0;
}

/* /etc, /dev/null, and the scratch tmpfs behind /tmp and /etc/passwd|group. */
static int fs_files(struct fs_ctx *x, struct host_sandbox_fs *fs)
{
	char a[192], b[192], opts[64];

	if (mkdir(at(x, "etc", a, sizeof(a)), 0755) != 0 || mkdir(at(x, "dev", b, sizeof(b)), 0755) != 0)
		return fail(x, "mkdir", a);
	if (copy_file(x, "/etc/ld.so.cache", at(x, "etc/ld.so.cache", a, sizeof(a))) != 0 ||
	    make_file(x, at(x, "etc/nsswitch.conf", a, sizeof(a)), "passwd: files\ngroup: files\n") ||
	    make_file(x, at(x, "etc/passwd", a, sizeof(a)), "") != 0 ||
	    make_file(x, at(x, "etc/group", a, sizeof(a)), "") != 0 ||
	    make_file(x, at(x, "dev/null", a, sizeof(a)), "") != 0)
		return -1;
	/* Device nodes need a mount without nodev: this bind keeps the machine's. */
	if (bind_ro(x, "/dev/null", a, MS_NOSUID | MS_NOEXEC) != 0)
		return -1;

	at(x, ".scratch", a, sizeof(a));
	snprintf(opts, sizeof(opts), "mode=0755,size=%lu,nr_inodes=4096", IPCSIM_SANDBOX_SCRATCH);
	if (mkdir(a, 0700) != 0 ||
	    mount("ipcsim", a, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts) != 0)
		return fail(x, "tmpfs at", a);
	fs->scratch_fd = open(a, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fs->scratch_fd < 0)
		return fail(x, "open", a);
	if (mkdirat(fs->scratch_fd, "tmp", 0755) != 0 || mkdirat(fs->scratch_fd, "names", 0755) != 0)
		return fail(x, "mkdir in", a);
	if (make_file(x, at(x, ".scratch/names/passwd", a, sizeof(a)),
	              "root:x:0:0:root:/:/bin/sh\n") != 0 ||
	    make_file(x, at(x, ".scratch/names/group", a, sizeof(a)), "root:x:0:\n") != 0)
		return -1;
	if (mkdir(at(x, "tmp", b, sizeof(b)), 0755) != 0)
		return fail(x, "mkdir", b);
	if (bind_ro(x, at(x, ".scratch/tmp", a, sizeof(a)), b, MS_NOSUID | MS_NODEV | MS_NOEXEC) ||
	    bind_ro(x, at(x, ".scratch/names/passwd", a, sizeof(a)),
	            at(x, "etc/passwd", b, sizeof(b)), MS_NOSUID | MS_NODEV | MS_NOEXEC) ||
	    bind_ro(x, at(x, ".scratch/names/group", a, sizeof(a)),
	            at(x, "etc/group", b, sizeof(b)), MS_NOSUID | MS_NODEV | MS_NOEXEC))
		return -1;
	/* From here on only scratch_fd leads to it. */
	if (umount2(at(x, ".scratch", a, sizeof(a)), MNT_DETACH) != 0 || rmdir(a) != 0)
		return fail(x, "detach", a);
	return 0;
}

/* Files of /proc about the machine rather than the sandbox: /dev/null is
 * bound over each (as container runtimes do), so that not even a process
 * with CAP_SYS_RAWIO or CAP_SYS_ADMIN reads or triggers them. */
static const char *const fs_masked[] = {
	"kcore", "kmsg", "kallsyms", "keys", "key-users", "modules", "timer_list", "sched_debug",
	"sysrq-trigger", "kpagecount", "kpageflags", "kpagecgroup", "iomem", "ioports", NULL,
};

/* kernel.msg*, kernel.shm*, kernel.sem*: the IPC namespace's own limits. */
static int ipc_sysctl(const char *name)
{
	return strncmp(name, "msg", 3) == 0 || strncmp(name, "shm", 3) == 0 ||
	       strncmp(name, "sem", 3) == 0;
}

/*
 * A fresh proc (it shows the PID namespace of the process that mounts it),
 * read-only, with the IPC sysctls bound over themselves first: a bind is a
 * mount of its own, so the read-only remount of /proc leaves them writable.
 */
static int fs_proc(struct fs_ctx *x)
{
	char proc[192], dir[224], file[480];
	struct dirent *d;
	DIR *k;

	if (mkdir(at(x, "proc", proc, sizeof(proc)), 0555) != 0)
		return fail(x, "mkdir", proc);
	if (mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
		return fail(x, "mount proc at", proc);
	snprintf(dir, sizeof(dir), "%s/sys/kernel", proc);
	k = opendir(dir);
	if (k == NULL)
		return fail(x, "open", dir);
	while ((d = readdir(k)) != NULL) {
		if (!ipc_sysctl(d->d_name))
			continue;
		snprintf(file, sizeof(file), "%s/%s", dir, d->d_name);
		if (mount(file, file, NULL, MS_BIND, NULL) != 0) {
			closedir(k);
			return fail(x, "bind mount of", file);
		}
	}
	closedir(k);
	for (int i = 0; fs_masked[i] != NULL; i++) {
		struct stat st;

		snprintf(file, sizeof(file), "%s/%s", proc, fs_masked[i]);
		if (lstat(file, &st) == 0 && S_ISREG(st.st_mode) &&
		    mount("/dev/null", file, NULL, MS_BIND, NULL) != 0)
			return fail(x, "mask", file);
	}
	return remount_ro(x, proc, MS_NOSUID | MS_NODEV | MS_NOEXEC);
}

/* Enters the new root: pivot_root(".", "."), else chroot. */
static int fs_enter(struct fs_ctx *x, struct host_sandbox_fs *fs)
{
	if (chdir(x->root) != 0)
		return fail(x, "chdir", x->root);
	if (syscall(SYS_pivot_root, ".", ".") == 0) {
		if (umount2(".", MNT_DETACH) != 0)
			return fail(x, "detach the old root", "/");
		fs->pivoted = 1;
	} else if (chroot(".") != 0) {
		return fail(x, "pivot_root and chroot into", x->root);
	}
	if (chdir("/") != 0)
		return fail(x, "chdir", "/");
	return 0;
}

int host_sandbox_fs_enter(struct host_sandbox_fs *fs, char *why, size_t whylen)
{
	struct fs_ctx x;
	struct stat st;
	int i;

	memset(&x, 0, sizeof(x));
	x.why = why;
	x.whylen = whylen;
	fs->scratch_fd = -1;
	fs->pivoted = 0;
	/* Nothing mounted here may show in the machine's namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return fail(&x, "make private", "/");
	for (i = 0; fs_bases[i] != NULL; i++)
		if (stat(fs_bases[i], &st) == 0 && S_ISDIR(st.st_mode))
			break;
	if (fs_bases[i] == NULL) {
		errno = ENOENT;
		return fail(&x, "no directory to build in", "(/tmp, /mnt, /run, /dev)");
	}
	snprintf(x.root, sizeof(x.root), "%s", fs_bases[i]);
	if (mount("ipcsim-root", x.root, "tmpfs", MS_NOSUID | MS_NODEV,
	          "mode=0755,size=1m,nr_inodes=256") != 0)
		return fail(&x, "tmpfs at", x.root);
	if (fs_system(&x) != 0 || fs_files(&x, fs) != 0 || fs_proc(&x) != 0 ||
	    remount_ro(&x, x.root, MS_NOSUID | MS_NODEV) != 0 || fs_enter(&x, fs) != 0) {
		if (fs->scratch_fd >= 0)
			close(fs->scratch_fd);
		fs->scratch_fd = -1;
		return -1;
	}
	return 0;
}
