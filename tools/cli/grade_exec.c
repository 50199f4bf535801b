/*
 * grade_exec.c - `ipcsim grade --check CHECKS --exec [EXEC OPTIONS] --
 * COMMAND`: a student's own program graded by a write exercise's checks.
 *
 * The command runs under `ipcsim exec` (ipcsim_exec_run, in a process of
 * its own, as exec wants), its calls recorded as a scenario in a private
 * directory; the record is then the student's steps of a write exercise,
 * graded as a scenario submission is (cli_grade_write, in a process of its
 * own).  So the checks are the same language and the same code, and they
 * see the record's processes (named after their programs: `writer`,
 * `reader`), its simulated pids (1000 on) and the objects the program left.
 *
 * The program's standard output and error go to a file, never among the
 * grade's reports.  A deadlock or a --max-procs stop is graded (the checks
 * see the state at the stop, and the message says what stopped it); a
 * --timeout stop is wall-clock time, which decides no grade: it is an
 * infrastructure error, as the grader's --max-time is.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "ipcsim/grade.h"

struct exec_files {
	char dir[64];
	char record[96], report[96], output[96];
};

/* The lines of the report that exec wrote about the run itself ("ipcsim
 * exec: deadlock: ...", and the sleepers under it), malloc'd; NULL if none.
 * Real pids (" (pid N)") are left out: the same program, the same feedback. */
static char *exec_says(const char *report)
{
	FILE *f = fopen(report, "r");
	char line[512], *said = NULL, *pid;
	size_t len = 0;
	FILE *out;
	int in = 0, n = 0;

	if (f == NULL)
		return NULL;
	out = open_memstream(&said, &len);
	if (out == NULL) {
		fclose(f);
		return NULL;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "ipcsim exec: ", 13) == 0)
			in = 1;
		else if (!(in && line[0] == ' '))
			in = 0;
		if (!in)
			continue;
		while ((pid = strstr(line, " (pid ")) != NULL && pid[6] >= '0' && pid[6] <= '9' &&
		       strchr(pid, ')') != NULL)
			memmove(pid, strchr(pid, ')') + 1, strlen(strchr(pid, ')') + 1) + 1);
		fprintf(out, "%s%s", n++ > 0 ? "\n" : "", line);
	}
	fclose(f);
	if (fclose(out) != 0 || n == 0) {
		free(said);
		return NULL;
	}
	return said;
}

/*
 * The command under exec in a child: its outputs to files, its record to
 * f->record.  The child's exit status is the program's; why it stopped
 * comes back over a pipe.  0, or -1 when the child could not run or died.
 */
static int run_program(struct cli_exec_args *a, char **argv, const struct exec_files *f,
                       int *status, enum ipcsim_exec_stop *why)
{
	int fd[2], ws;
	pid_t pid;

	fflush(NULL);
	if (pipe(fd) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		int out = open(f->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
		FILE *rep = fopen(a->report != NULL ? a->report : f->report, "w");
		enum ipcsim_exec_stop stopped = IPCSIM_EXEC_FAILED;
		int rc;

		close(fd[0]);
		if (out < 0 || in < 0 || rep == NULL || dup2(out, 1) < 0 || dup2(out, 2) < 0 ||
		    dup2(in, 0) < 0)
			_exit(127);
		a->o.report = rep;
		a->o.color = 0;
		a->o.record_path = a->o.record_path != NULL ? a->o.record_path : f->record;
		a->o.stopped = &stopped;
		rc = ipcsim_exec_run(&a->o, argv);
		fclose(rep);
		if (write(fd[1], &stopped, sizeof(stopped)) != (ssize_t)sizeof(stopped))
			_exit(127);
		_exit(rc & 255);
	}
	close(fd[1]);
	if (read(fd[0], why, sizeof(*why)) != (ssize_t)sizeof(*why))
		*why = IPCSIM_EXEC_FAILED;
	close(fd[0]);
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(ws))
		return -1;
	*status = WEXITSTATUS(ws);
	return 0;
}

/* "COMMAND ARGS", the submission's name in the reports. */
static char *command_name(char **argv)
{
	char *name = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&name, &len);

	if (f == NULL)
		return NULL;
	for (int i = 0; argv[i] != NULL; i++)
		fprintf(f, "%s%s", i > 0 ? " " : "", argv[i]);
	return fclose(f) == 0 ? name : (free(name), NULL);
}

/* Puts what stopped the program, and how it ended, before r's message. */
static int prepend(struct grade_result *r, const char *said, int status,
                   enum ipcsim_exec_stop why)
{
	char *m = NULL, ended[96];

	if (why == IPCSIM_EXEC_ENDED)
		snprintf(ended, sizeof(ended), status > 128 && status < 160
		         ? "the program was killed by signal %d" : "the program exited with status %d",
		         status > 128 && status < 160 ? status - 128 : status);
	else
		snprintf(ended, sizeof(ended), "the program was stopped; the checks see the state "
		         "at the stop");
	if (asprintf(&m, "%s%s%s%s%s", said != NULL ? said : "", said != NULL ? "\n" : "", ended,
	             r->message != NULL ? "\n" : "", r->message != NULL ? r->message : "") < 0)
		return -1;
	free(r->message);
	r->message = m;
	return 0;
}

struct grade_result *cli_grade_exec(const struct grade_checks *c, struct cli_exec_args *a,
                                    char **argv, const struct cli_limits *lim)
{
	struct exec_files f;
	const char *tmp = getenv("TMPDIR");
	char *name = command_name(argv), *said = NULL;
	struct grade_result *r = NULL;
	enum ipcsim_exec_stop why = IPCSIM_EXEC_FAILED;
	int status = 0, ran, made = 0;

	if (name == NULL)
		return NULL;
	snprintf(f.dir, sizeof(f.dir), "%s/ipcsim-grade.XXXXXX",
	         tmp != NULL && *tmp != '\0' && strlen(tmp) < 32 ? tmp : "/tmp");
	if (mkdtemp(f.dir) == NULL) {
		r = grade_result_error(name, "cannot grade: no private directory in %s: %s", f.dir,
		                       strerror(errno));
		goto out;
	}
	made = 1;
	snprintf(f.record, sizeof(f.record), "%s/run.scn", f.dir);
	snprintf(f.report, sizeof(f.report), "%s/report", f.dir);
	snprintf(f.output, sizeof(f.output), "%s/output", f.dir);
	ran = run_program(a, argv, &f, &status, &why);
	said = exec_says(a->report != NULL ? a->report : f.report);
	if (ran < 0 || why == IPCSIM_EXEC_FAILED || why == IPCSIM_EXEC_SIGNALLED) {
		r = grade_result_error(name, "cannot grade: the program could not be run under "
		                       "ipcsim exec%s%s: not graded", said != NULL ? ": " : "",
		                       said != NULL ? said : "");
	} else if (why == IPCSIM_EXEC_TIMEOUT) {
		r = grade_result_error(name, "%s (a wall-clock limit): not graded",
		                       said != NULL ? said : "stopped by --timeout");
	} else {
		r = cli_grade_write(c, name, a->o.record_path != NULL ? a->o.record_path : f.record,
		                    lim);
		if (r != NULL && !r->infra_error && prepend(r, said, status, why) < 0)
			grade_result_free(&r);
	}
out:
	if (made) {
		unlink(f.record);
		unlink(f.report);
		unlink(f.output);
		rmdir(f.dir);
	}
	free(said);
	free(name);
	return r;
}
