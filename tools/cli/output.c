/*
 * output.c - where the subcommands' results go, with every write checked
 * and bounded.
 *
 * A file named by -o, --json or --html is written under a temporary name in
 * its directory and renamed over the final name only once it is complete
 * and closed without error: a full disk or a failed run never leaves an
 * answer key or a trace cut mid-line under the name a grader reads.  (A
 * name that is not a regular file, /dev/stdout or a FIFO, is written in
 * place.)  Standard output is flushed and closed before exit: a write error
 * is reported and the status becomes 2; a reader that went away (EPIPE:
 * `ipcsim run ... | head`) ends the process by SIGPIPE, quietly, with the
 * status 141 a shell expects.
 *
 * Every byte goes through a sink (fopencookie) that keeps the first write
 * error's errno - stdio only says "an error happened", and errno is long
 * overwritten by the time a run ends - and counts bytes against
 * --max-output: past it the process stops at once with status 2 and a
 * message, its temporary files removed, so a few kilobytes of scenario
 * cannot become gigabytes of output.  (On a terminal stdout stays glibc's
 * own: libedit needs its file descriptor, and a person is reading.)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* One output: its file descriptor, what was written, the first error. */
struct out_sink {
	int fd;
	int first_errno;
	long long written;
	const char *tmp; /* a temporary file to remove if the limit stops us */
};

/* The process's output state: the limit (0: none) and stdout's sink.  The
 * one piece of process-wide state here, as fd 1 itself is. */
static struct {
	long long max_output;
	const char *cmd;
	struct out_sink out;
	int watching;
} io = { .out = { .fd = STDOUT_FILENO } };

static void over_limit(struct out_sink *sink) __attribute__((noreturn));
static void over_limit(struct out_sink *sink)
{
	if (sink->tmp != NULL)
		unlink(sink->tmp);
	dprintf(STDERR_FILENO, "\nipcsim %s: the output limit of %lld bytes was reached "
	        "(--max-output); stopped\n", io.cmd != NULL ? io.cmd : "", io.max_output);
	_exit(2);
}

static ssize_t sink_write(void *cookie, const char *buf, size_t n)
{
	struct out_sink *sink = cookie;
	size_t done = 0;

	if (io.max_output > 0 && sink->written + (long long)n > io.max_output)
		over_limit(sink);
	while (done < n) {
		ssize_t w = write(sink->fd, buf + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (sink->first_errno == 0)
				sink->first_errno = w < 0 ? errno : EIO;
			return -1;
		}
		done += (size_t)w;
	}
	sink->written += (long long)n;
	return (ssize_t)n;
}

static int sink_close(void *cookie)
{
	struct out_sink *sink = cookie;
	int rc = 0;

	if (sink->fd != STDOUT_FILENO && close(sink->fd) != 0) {
		if (sink->first_errno == 0)
			sink->first_errno = errno;
		rc = -1;
	}
	return rc;
}

static FILE *sink_open(struct out_sink *sink)
{
	cookie_io_functions_t fns = { .write = sink_write, .close = sink_close };

	return fopencookie(sink, "w", fns);
}

void cli_output_limit(long long max_output, const char *cmd)
{
	io.max_output = max_output;
	io.cmd = cmd;
}

/* The temporary name beside path: "DIR/.BASE.XXXXXX". */
static char *temp_name_for(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	const char *base = path + dirlen;
	char *tmp = malloc(dirlen + strlen(base) + 9);

	if (tmp != NULL)
		sprintf(tmp, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
	return tmp;
}

/* Writes in place when path exists and is not a regular file. */
static int in_place(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

/* The file descriptor for path: in place, or a new temporary file beside
 * it (o->tmp) with the mode fopen would give; -1 with errno. */
static int open_target(struct cli_output *o, const char *path)
{
	mode_t mask;
	int fd;

	if (in_place(path))
		return open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	o->tmp = temp_name_for(path);
	if (o->tmp == NULL) {
		errno = ENOMEM;
		return -1;
	}
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0) {
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	return fd;
}

int cli_output_open(struct cli_output *o, const char *path, const char *cmd)
{
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (path == NULL || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	o->sink = calloc(1, sizeof(*o->sink));
	fd = o->sink != NULL ? open_target(o, path) : (errno = ENOMEM, -1);
	if (fd >= 0) {
		o->sink->fd = fd;
		o->sink->tmp = o->tmp;
		o->f = sink_open(o->sink);
		if (o->f == NULL)
			close(fd);
	}
	if (o->f == NULL) {
		fprintf(stderr, "ipcsim %s: %s: %s\n", cmd, path, strerror(errno));
		if (o->tmp != NULL)
			unlink(o->tmp);
		free(o->tmp);
		free(o->sink);
		o->tmp = NULL;
		o->sink = NULL;
		return -1;
	}
	return 0;
}

long long cli_output_written(struct cli_output *o)
{
	if (o->f == NULL || o->sink == NULL)
		return 0;
	fflush(o->f);
	return o->sink->written;
}

int cli_output_finish(struct cli_output *o, int rc, const char *cmd)
{
	int failed;

	if (o->f == NULL || o->f == stdout)
		return rc;
	failed = fflush(o->f) != 0 || ferror(o->f);
	if (fclose(o->f) != 0)
		failed = 1;
	o->f = NULL;
	if (failed)
		fprintf(stderr, "ipcsim %s: %s: %s\n", cmd, o->path,
		        o->sink->first_errno != 0 ? strerror(o->sink->first_errno) : "write error");
	if (o->tmp != NULL) {
		int keep = rc != 2 || o->keep;

		if (!failed && keep && rename(o->tmp, o->path) != 0) {
			fprintf(stderr, "ipcsim %s: %s: %s\n", cmd, o->path, strerror(errno));
			failed = 1;
		}
		if (failed || !keep)
			unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
	free(o->sink);
	o->sink = NULL;
	return failed ? 2 : rc;
}

void cli_watch_stdout(void)
{
	FILE *f;

	if (isatty(STDOUT_FILENO) || (f = sink_open(&io.out)) == NULL)
		return;
	stdout = f;
	io.watching = 1;
}

int cli_close_stdout(int rc, const char *cmd)
{
	int failed;

	errno = 0;
	failed = fflush(stdout) != 0 || ferror(stdout);
	if (fclose(stdout) != 0)
		failed = 1;
	if (io.out.first_errno != 0)
		errno = io.out.first_errno;
	if (!failed)
		return rc;
	if (errno == EPIPE) {
		/* SIGPIPE was ignored by whoever started us: end as if it
		 * had not been. */
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
		return 128 + SIGPIPE;
	}
	fprintf(stderr, "ipcsim %s: standard output: %s\n", cmd,
	        errno != 0 ? strerror(errno) : "write error");
	return 2;
}
