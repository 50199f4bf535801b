/*
 * preload_proc.c - the /proc files of System V IPC, served by the simulated
 * kernel: /proc/sysvipc/{msg,shm,sem} and /proc/sys/kernel/{msg,shm,sem}*.
 * Opening one for reading gives a memfd holding what the server printed
 * (so `ipcs` under exec lists the simulated objects); opening one for
 * writing gives a memfd whose text is sent to the server when it is closed
 * (`echo 100 > /proc/sys/kernel/msgmax` changes the simulated limit).
 *
 * glibc's fopen and fclose open and close without the exported open and
 * close, so those are replaced too.  Every other path goes to glibc.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "preload/preload_int.h"

#define PRELOAD_MAX_WRITES 16

/* Limits being written: a descriptor of our own on each memfd (a shell
 * redirection dup2s and closes the one it opened before anything is
 * written), and the file it stands for.  The text goes to the server at the
 * first close() that finds it written, or at exit. */
static struct {
	int fd;
	char path[64];
} writes[PRELOAD_MAX_WRITES];
static int nwrites;

static int is_ipc_proc(const char *path)
{
	return path && (strncmp(path, "/proc/sysvipc/", 14) == 0 ||
	                (strncmp(path, "/proc/sys/kernel/", 17) == 0 &&
	                 (strncmp(path + 17, "msg", 3) == 0 || strncmp(path + 17, "shm", 3) == 0 ||
	                  strncmp(path + 17, "sem", 3) == 0)));
}

/* The file's text from the server in a memfd; -1 with errno. */
static int open_read(const char *path)
{
	struct wire_req q = { .op = WIRE_PROC_READ };
	struct wire_rep r;
	static char text[1 << 20];
	int fd;

	if (preload_call(&q, path, strlen(path) + 1, &r, text, sizeof(text), NULL) < 0)
		return -1;
	if (r.ret < 0) {
		errno = r.err;
		return -1;
	}
	fd = memfd_create("ipcsim-proc", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, text, r.len < sizeof(text) ? r.len : sizeof(text)) < 0 ||
	    lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int open_write(const char *path)
{
	int fd;

	if (geteuid() != 0) {
		errno = EACCES; /* the files are root's, mode 0644 */
		return -1;
	}
	if (nwrites == PRELOAD_MAX_WRITES || strlen(path) >= sizeof(writes[0].path)) {
		errno = EMFILE;
		return -1;
	}
	fd = memfd_create("ipcsim-proc", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	writes[nwrites].fd = fcntl(fd, F_DUPFD_CLOEXEC, 100);
	if (writes[nwrites].fd < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	strcpy(writes[nwrites].path, path);
	nwrites++;
	return fd;
}

static int open_ipc_proc(const char *path, int flags)
{
	return (flags & O_ACCMODE) == O_RDONLY ? open_read(path) : open_write(path);
}

/* Sends every limit written so far (all: at exit) and forgets it. */
static void flush_writes(int all)
{
	static int (*real_close)(int);

	if (!real_close)
		real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
	for (int i = 0; i < nwrites;) {
		struct wire_req q = { .op = WIRE_PROC_WRITE };
		struct wire_rep r;
		char buf[256];
		size_t n = strlen(writes[i].path) + 1;
		ssize_t got;

		memcpy(buf, writes[i].path, n);
		got = pread(writes[i].fd, buf + n, sizeof(buf) - n - 1, 0);
		if (got <= 0 && !all) {
			i++;
			continue;
		}
		if (got > 0)
			preload_call(&q, buf, n + (size_t)got, &r, NULL, 0, NULL);
		real_close(writes[i].fd);
		writes[i] = writes[--nwrites];
	}
}

__attribute__((destructor)) static void flush_at_exit(void)
{
	if (nwrites)
		flush_writes(1);
}

/* open, open64 and openat: ours for the IPC files, else glibc's (sym),
 * with the mode only when the flags say there is one. */
static int open_or_forward(const char *sym, void **cache, int dirfd, const char *path, int flags,
                           va_list ap)
{
	void *real = *cache ? *cache : (*cache = dlsym(RTLD_NEXT, sym));
	mode_t mode = flags & (O_CREAT | O_TMPFILE) ? va_arg(ap, mode_t) : 0;

	if (is_ipc_proc(path))
		return open_ipc_proc(path, flags);
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	if (dirfd == AT_FDCWD && strcmp(sym, "openat") != 0)
		return ((int (*)(const char *, int, ...))real)(path, flags, mode);
	return ((int (*)(int, const char *, int, ...))real)(dirfd, path, flags, mode);
}

PRELOAD_EXPORT int open(const char *path, int flags, ...)
{
	static void *real;
	va_list ap;
	int fd;

	va_start(ap, flags);
	fd = open_or_forward("open", &real, AT_FDCWD, path, flags, ap);
	va_end(ap);
	return fd;
}

PRELOAD_EXPORT int open64(const char *path, int flags, ...)
{
	static void *real;
	va_list ap;
	int fd;

	va_start(ap, flags);
	fd = open_or_forward("open64", &real, AT_FDCWD, path, flags, ap);
	va_end(ap);
	return fd;
}

PRELOAD_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	static void *real;
	va_list ap;
	int fd;

	va_start(ap, flags);
	fd = open_or_forward("openat", &real, dirfd, path, flags, ap);
	va_end(ap);
	return fd;
}

static FILE *fopen_ipc_proc(const char *path, const char *how)
{
	int write = strchr(how, 'w') || strchr(how, 'a') || strchr(how, '+');
	int fd = open_ipc_proc(path, write ? O_WRONLY : O_RDONLY);
	FILE *f;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, write ? "w" : "r");
	if (!f)
		close(fd);
	return f;
}

static FILE *fopen_or_forward(const char *sym, void **cache, const char *path, const char *how)
{
	FILE *(*real)(const char *, const char *);

	if (is_ipc_proc(path))
		return fopen_ipc_proc(path, how);
	if (!*cache)
		*cache = dlsym(RTLD_NEXT, sym);
	real = (FILE * (*)(const char *, const char *))*cache;
	if (!real) {
		errno = ENOSYS;
		return NULL;
	}
	return real(path, how);
}

PRELOAD_EXPORT FILE *fopen(const char *path, const char *how)
{
	static void *real;

	return fopen_or_forward("fopen", &real, path, how);
}

PRELOAD_EXPORT FILE *fopen64(const char *path, const char *how)
{
	static void *real;

	return fopen_or_forward("fopen64", &real, path, how);
}

PRELOAD_EXPORT int close(int fd)
{
	static int (*real)(int);

	int rc;

	if (preload_fd_refused(fd))
		return -1; /* the library's own */
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "close");
	rc = real(fd);
	if (nwrites)
		flush_writes(0);
	return rc;
}

PRELOAD_EXPORT int fclose(FILE *f)
{
	static int (*real)(FILE *);

	int rc;

	if (!real)
		real = (int (*)(FILE *))dlsym(RTLD_NEXT, "fclose");
	rc = real(f);
	if (nwrites)
		flush_writes(0);
	return rc;
}
