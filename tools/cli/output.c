/*
 * output.c - where the subcommands' results go, with every write checked.
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
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

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

int cli_output_open(struct cli_output *o, const char *path, const char *cmd)
{
	mode_t mask;
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (path == NULL || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	if (in_place(path)) {
		o->f = fopen(path, "w");
		goto out;
	}
	o->tmp = temp_name_for(path);
	if (o->tmp == NULL) {
		errno = ENOMEM;
		goto out;
	}
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		free(o->tmp);
		o->tmp = NULL;
		goto out;
	}
	/* mkstemp makes 0600; give the file the mode fopen would have. */
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	o->f = fdopen(fd, "w");
	if (o->f == NULL) {
		close(fd);
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
out:
	if (o->f == NULL) {
		fprintf(stderr, "ipcsim %s: %s: %s\n", cmd, path, strerror(errno));
		return -1;
	}
	return 0;
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
		        errno != 0 ? strerror(errno) : "write error");
	if (o->tmp != NULL) {
		if (failed || rc == 2 || rename(o->tmp, o->path) != 0) {
			if (!failed && rc != 2)
				fprintf(stderr, "ipcsim %s: %s: %s\n", cmd, o->path, strerror(errno));
			unlink(o->tmp);
			failed = 1;
		}
		free(o->tmp);
		o->tmp = NULL;
	}
	return failed ? 2 : rc;
}

/*
 * Standard output, when it is not a terminal, goes through this sink so the
 * first write error keeps its errno: stdio reports only "an error happened"
 * and errno is long overwritten by the time the run ends.  It is the one
 * piece of process-wide state here, as fd 1 itself is.  (On a terminal
 * stdout stays glibc's own: libedit needs its file descriptor.)
 */
struct stdout_sink {
	int first_errno;
};
static struct stdout_sink stdout_sink;

static ssize_t sink_write(void *cookie, const char *buf, size_t n)
{
	struct stdout_sink *sink = cookie;
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(STDOUT_FILENO, buf + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (sink->first_errno == 0)
				sink->first_errno = w < 0 ? errno : EIO;
			return -1;
		}
		done += (size_t)w;
	}
	return (ssize_t)n;
}

void cli_watch_stdout(void)
{
	cookie_io_functions_t io = { .write = sink_write };
	FILE *f;

	if (isatty(STDOUT_FILENO) || (f = fopencookie(&stdout_sink, "w", io)) == NULL)
		return;
	stdout = f;
}

int cli_close_stdout(int rc, const char *cmd)
{
	int failed;

	errno = 0;
	failed = fflush(stdout) != 0 || ferror(stdout);
	if (fclose(stdout) != 0)
		failed = 1;
	if (stdout_sink.first_errno != 0)
		errno = stdout_sink.first_errno;
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
