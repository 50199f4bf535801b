/*
 * host_shell.c - a scenario's `$ ipcs -q` on the host: the real util-linux /
 * procps tool, run inside the coordinator's IPC namespace as the scenario's
 * user, with TZ=UTC LC_ALL=C so that dates and messages do not depend on
 * the machine.  No /bin/sh: the line is split by the simulated shell's own
 * splitter (shell_split), and only what shell_validate allows runs (the
 * four tools the simulated shell knows, on System V IPC objects only), so
 * both shells answer the same set of commands and nothing else reaches the
 * host.  The words then name the host's processes and keys
 * (host_shell_args.c), and a maps file shows its System V lines only
 * (host_shell_maps.c).
 *
 * Capabilities across execve: a root user narrowed with caps= loses the
 * dropped capabilities from its bounding set (exec would give them back
 * otherwise); another user with caps= gets them as ambient capabilities.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host/host_int.h"
#include "ipcsim/sandbox.h"
#include "ipcsim/shell.h"
#include "ipcsim/types.h"

/* Bytes of a tool's output kept; past them the tool is killed and the
 * output ends with a note.  What the simulated tools print for a course's
 * state is far below; `cat` of an endless file is not. */
#define HOST_SHELL_MAX_OUTPUT IPCSIM_SANDBOX_OUTPUT

/* In the forked tool process, before execve: credentials and capabilities. */
static void become_for_exec(const struct backend_creds *c)
{
	unsigned long long keep = host_caps_linux_mask(c->caps);
	unsigned long long drop = host_caps_linux_mask(SIM_CAP_ALL) & ~keep;

	if (c->uid == 0) {
		for (int cap = 0; cap < 64; cap++)
			if (drop & (1ull << cap))
				prctl(PR_CAPBSET_DROP, (long)cap, 0L, 0L, 0L);
	} else if (c->caps != 0) {
		prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L);
	}
	/* setgroups is denied in a user namespace, which has none to drop. */
	if ((setgroups(0, NULL) != 0 && errno != EPERM) || setgid(c->gid) != 0 ||
	    setuid(c->uid) != 0) {
		dprintf(2, "ipcsim: cannot become uid %u gid %u: %s\n", c->uid, c->gid,
		        strerror(errno));
		_exit(126);
	}
	if (c->uid != 0 && c->caps != 0) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];

		memset(d, 0, sizeof(d));
		d[0].effective = d[0].permitted = d[0].inheritable = (uint32_t)keep;
		d[1].effective = d[1].permitted = d[1].inheritable = (uint32_t)(keep >> 32);
		syscall(SYS_capset, &h, d);
		for (int cap = 0; cap < 64; cap++)
			if (keep & (1ull << cap))
				prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (long)cap, 0L, 0L);
	}
}

static void run_tool(int out_fd, pid_t coord, const struct backend_creds *c,
                     char *const argv[])
{
	static char *const envp[] = {
		"TZ=UTC", "LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL,
	};
	int devnull = open("/dev/null", O_RDONLY);

	if (devnull >= 0)
		dup2(devnull, 0);
	dup2(out_fd, 1);
	dup2(out_fd, 2);
	host_close_fds_except(-1);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	become_for_exec(c);
	/* After the uid change, which clears it; exec of these tools keeps it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0L, 0L, 0L);
	if (getppid() != coord)
		_exit(127);
	execvpe(argv[0], argv, envp);
	dprintf(2, "ipcsim: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Reads fd to EOF into a growing buffer, at most until deadline and at
 * most HOST_SHELL_MAX_OUTPUT bytes; 1 when it stopped at that limit. */
static int slurp(int fd, char **out, size_t *outlen, long deadline)
{
	int full = 0;

	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);

	if (buf == NULL)
		return -ENOMEM;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) == 0)
			break; /* timed out: what came so far */
		if (len >= HOST_SHELL_MAX_OUTPUT) {
			full = 1;
			break;
		}
		if (len + 1024 > cap) {
			char *bigger = realloc(buf, cap * 2);

			if (bigger == NULL)
				break;
			buf = bigger;
			cap *= 2;
		}
		/* Never past the limit: what is kept is at most the limit. */
		n = read(fd, buf + len, cap - len - 1 < HOST_SHELL_MAX_OUTPUT - len
		                            ? cap - len - 1 : HOST_SHELL_MAX_OUTPUT - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return full;
}

/* Adds note at the end of *out. */
static void append_note(char **out, size_t *outlen, const char *note)
{
	size_t n = strlen(note);
	char *grown = realloc(*out, *outlen + n + 1);

	if (grown == NULL)
		return;
	memcpy(grown + *outlen, note, n + 1);
	*out = grown;
	*outlen += n;
}

/* A message as the tool's output, with its status: what a refused line gives. */
static int refuse(char **out, size_t *outlen, const char *fmt, const char *what, int status)
{
	int n = asprintf(out, fmt, what);

	*outlen = n > 0 ? (size_t)n : 0;
	if (n < 0)
		*out = NULL;
	return status;
}

int host_shell_exec(const struct backend_creds *c, char *const argv[], char **out,
                    size_t *outlen, int timeout_ms)
{
	int pipefd[2] = { -1, -1 }, status = 0, rc, truncated = 0;
	long deadline;
	pid_t pid, coord;

	*out = NULL;
	*outlen = 0;
	if (pipe2(pipefd, O_CLOEXEC) != 0)
		return -errno;
	coord = getpid();
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		goto out_close;
	}
	if (pid == 0)
		run_tool(pipefd[1], coord, c, argv);
	close(pipefd[1]);
	pipefd[1] = -1;
	deadline = now_ms() + timeout_ms;
	rc = slurp(pipefd[0], out, outlen, deadline);
	if (rc == 1) {
		kill(pid, SIGKILL); /* output past the limit: stop the tool now */
		rc = 0;
		truncated = 1;
	}
	/* EOF comes a moment before the exit; a tool that hangs past the
	 * deadline is killed. */
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_ms() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		usleep(500);
	}
	if (rc == 0)
		rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (truncated) {
		char note[128];

		snprintf(note, sizeof(note), "ipcsim: the output limit of %lu MiB was reached; the "
		         "command was stopped\n", (unsigned long)(HOST_SHELL_MAX_OUTPUT >> 20));
		append_note(out, outlen, note);
	}

out_close:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return rc;
}

/* Replaces *out by fixed (when not NULL). */
static void replace_out(char **out, size_t *outlen, char *fixed, size_t fixedlen)
{
	if (fixed == NULL)
		return;
	free(*out);
	*out = fixed;
	*outlen = fixedlen;
}

int host_shell_run(const struct backend_creds *c, const char *cmdline,
                   const struct host_shell_maps *m, char **out, size_t *outlen, int timeout_ms)
{
	struct shell_words w = { 0 };
	struct host_shell_subs subs = { 0 };
	struct backend_creds as = *c;
	const char *why, *bad;
	char msg[256], *fixed;
	size_t fixedlen = 0;
	int first = 0, rc = 0;

	*out = NULL;
	*outlen = 0;
	/* The parser refused these already; a direct caller of the backend is
	 * refused here too, before anything runs. */
	if (shell_validate(cmdline, msg, sizeof(msg), &bad) < 0)
		return refuse(out, outlen, "ipcsim: %s\n", msg, 127);
	if (shell_split(cmdline, &w, &why) < 0)
		return refuse(out, outlen, "ipcsim: %s\n", why, 2);
	if (w.n > 0 && strcmp(w.v[0], "sudo") == 0) {
		as.uid = as.gid = 0;
		as.caps = SIM_CAP_ALL;
		first = 1;
	}
	if (first >= w.n)
		goto out;
	if (host_shell_args_map(&w, first, m, &subs) < 0) {
		rc = refuse(out, outlen, "ipcsim: %s\n", "out of memory", 126);
		goto out;
	}
	rc = host_shell_exec(&as, w.v + first, out, outlen, timeout_ms);
	if (*out == NULL)
		goto out;
	if (host_shell_names_maps(w.v + first)) {
		fixed = host_shell_maps_sysv_only(*out, *outlen, &fixedlen);
		replace_out(out, outlen, fixed, fixedlen);
	}
	fixed = host_shell_args_unmap(*out, *outlen, &subs, &fixedlen);
	replace_out(out, outlen, fixed, fixedlen);
out:
	host_shell_subs_free(&subs);
	shell_words_free(&w);
	return rc;
}
