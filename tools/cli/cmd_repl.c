/*
 * cmd_repl.c - `ipcsim repl`: type scenario lines, see each result and what
 * it changed in the simulated kernel (only that: the marked lines of the
 * diagram); `:undo`, `:save FILE`, `:show`, `:help`.
 *
 * The session is script_session (ipcsim/session.h).  On a terminal, lines
 * are read with libedit (history, line editing; the history is kept in
 * ~/.ipcsim_history); otherwise plain lines are read from stdin with no
 * prompt, so a session can be piped in.  A mistake never ends the session:
 * it is reported as <repl>:LINE:COL: error: ... with a caret, and the state
 * stays as it was.
 */
#include <editline/readline.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ipcsim/session.h"

#define HISTORY_FILE ".ipcsim_history"
#define HISTORY_MAX 1000

static const char repl_usage[] =
	"usage: ipcsim repl [--show=changes|none] [--no-color]\n"
	"\n"
	"Type scenario lines and see what the simulated kernel does with them:\n"
	"  P1: q = msgget(IPC_PRIVATE, 0600)\n"
	"  msgsnd(q, {1, \"hi\"}, 3, 0)          (no prefix: the last process named, P1 at first)\n"
	"  $ ipcs -q\n"
	"Every line is checked as it would be in a scenario file; an error is\n"
	"shown as <repl>:LINE:COL and the session goes on.  Program blocks\n"
	"(`program P {`) need the whole file: run, step, trace or explore it.\n"
	"\n"
	"commands:\n"
	"  :show          draw the whole state (marked as above)\n"
	"  :undo          take back the last line\n"
	"  :list          the lines so far\n"
	"  :save FILE     write the session as a scenario (results filled in);\n"
	"                 `ipcsim run FILE` replays it\n"
	"  :help          this help\n"
	"  :quit          leave (also Ctrl-D)\n"
	"\n"
	"  --show=changes  after each line, draw what it changed (default): what it\n"
	"                  created, changed or removed, marked +, ~, - in the first\n"
	"                  column, under the titles of their sections\n"
	"  --show=none     draw the state only on :show\n"
	"  --no-color      no ANSI colours (they are used only on a terminal)\n"
	"\n"
	"On a terminal lines are edited with libedit and kept in ~/" HISTORY_FILE ";\n"
	"otherwise they are read from stdin, one per line, without a prompt.\n";

/* Set by SIGINT on a terminal: Ctrl-C drops the line being typed, as in a
 * shell, instead of ending the session.  The one mutable file-scope variable
 * here, because a signal handler can reach nothing else. */
static volatile sig_atomic_t repl_interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	repl_interrupted = 1;
}

struct repl {
	struct script_session *ss;
	int tty;          /* libedit on a terminal */
	int color;
	int show_changes;
	char *history;    /* the history file, or NULL */
};

static void list_lines(const struct repl *r)
{
	int n = script_session_count(r->ss);

	if (n == 0)
		printf("(no lines yet)\n");
	for (int i = 0; i < n; i++)
		printf("%4d  %s\n", i + 1, script_session_line(r->ss, i));
}

static void save(struct repl *r, const char *path)
{
	FILE *f;
	int rc;

	path += strspn(path, " \t");
	if (*path == '\0') {
		fprintf(stderr, "<repl>: error: :save needs a file name, as in `:save lesson.scn`\n");
		return;
	}
	/* A scenario without steps is refused by run: write none. */
	if (script_session_count(r->ss) == 0) {
		fprintf(stderr, "<repl>: error: nothing to save yet: type a line first\n");
		return;
	}
	f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "<repl>: error: cannot write %s: ", path);
		perror(NULL);
		return;
	}
	fprintf(f, "# ipcsim repl session\n");
	rc = script_session_save(r->ss, f, stderr);
	if (fclose(f) != 0 || rc < 0) {
		fprintf(stderr, "<repl>: error: %s was not written completely\n", path);
		return;
	}
	printf("saved %d line%s to %s\n", script_session_count(r->ss),
	       script_session_count(r->ss) == 1 ? "" : "s", path);
}

/* A `:command`.  Returns 1 to leave the session. */
static int meta_command(struct repl *r, const char *line)
{
	const char *cmd = line + strspn(line, " \t") + 1;
	size_t n = strcspn(cmd, " \t");
	const char *arg = cmd + n;

#define IS(word) (n == strlen(word) && strncmp(cmd, word, n) == 0)
	if (IS("q") || IS("quit") || IS("exit"))
		return 1;
	if (IS("h") || IS("help") || IS("?"))
		fputs(repl_usage, stdout);
	else if (IS("show"))
		script_session_show(r->ss, stdout, r->color);
	else if (IS("list"))
		list_lines(r);
	else if (IS("save"))
		save(r, arg);
	else if (IS("undo")) {
		if (script_session_undo(r->ss, stdout) < 0)
			fprintf(stderr, "<repl>: nothing to undo\n");
		else if (r->show_changes)
			script_session_show_changes(r->ss, stdout, r->color);
	} else
		fprintf(stderr, "<repl>: unknown command ':%.*s'; :help lists them\n", (int)n, cmd);
#undef IS
	fflush(stdout);
	return 0;
}

/* The next line (malloc'd), or NULL at the end of input. */
static char *next_line(struct repl *r)
{
	char *line = NULL;
	size_t cap = 0;

	if (r->tty) {
		char prompt[80];

		const char *state = script_session_proc_state(r->ss);

		/* `P2 (blocked)> `: a line without a prefix would wait on P2. */
		snprintf(prompt, sizeof(prompt), "%.60s%s%s%s> ", script_session_proc(r->ss),
		         state != NULL ? " (" : "", state != NULL ? state : "", state != NULL ? ")" : "");
		line = readline(prompt);
		if (line == NULL && repl_interrupted) {
			/* Ctrl-C: a fresh prompt, as an empty line. */
			repl_interrupted = 0;
			putchar('\n');
			return strdup("");
		}
		if (line != NULL && line[strspn(line, " \t")] != '\0')
			add_history(line);
		return line;
	}
	if (getline(&line, &cap, stdin) < 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}

static void history_open(struct repl *r)
{
	const char *home = getenv("HOME");

	using_history();
	stifle_history(HISTORY_MAX);
	if (home == NULL || *home == '\0' || asprintf(&r->history, "%s/%s", home, HISTORY_FILE) < 0) {
		r->history = NULL;
		return;
	}
	read_history(r->history);
}

static void loop(struct repl *r)
{
	char *line;

	if (r->tty)
		printf("ipcsim repl: type scenario lines, as in `P1: q = msgget(IPC_PRIVATE, 0600)`;\n"
		       ":help lists the commands, :quit or Ctrl-D leaves.\n");
	while ((line = next_line(r)) != NULL) {
		const char *t = line + strspn(line, " \t");

		fflush(stdout);
		if (*t == ':') {
			int quit = meta_command(r, line);

			free(line);
			if (quit)
				return;
			continue;
		}
		if (script_session_feed(r->ss, line, stdout, stderr, r->color) == 0 &&
		    r->show_changes)
			script_session_show_changes(r->ss, stdout, r->color);
		fflush(stdout);
		free(line);
	}
	if (r->tty)
		putchar('\n');
}

int cli_repl(int argc, char **argv)
{
	struct repl r = { 0 };

	r.color = isatty(STDOUT_FILENO);
	r.show_changes = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(repl_usage, stdout);
			return 0;
		} else if (strcmp(argv[i], "--no-color") == 0) {
			r.color = 0;
		} else if (strcmp(argv[i], "--show=changes") == 0) {
			r.show_changes = 1;
		} else if (strcmp(argv[i], "--show=none") == 0) {
			r.show_changes = 0;
		} else {
			fprintf(stderr, "ipcsim repl: unexpected '%s'\n\n%s", argv[i], repl_usage);
			return 2;
		}
	}
	r.ss = script_session_new("<repl>");
	if (r.ss == NULL) {
		fprintf(stderr, "ipcsim: out of memory\n");
		return 2;
	}
	/* Results and errors interleave in the order they happen. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	r.tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	if (r.tty) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigint; /* no SA_RESTART: the read returns */
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		history_open(&r);
	}
	loop(&r);
	if (r.history != NULL)
		write_history(r.history);
	free(r.history);
	script_session_free(&r.ss);
	return 0;
}
