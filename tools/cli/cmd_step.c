/*
 * cmd_step.c - `ipcsim step FILE`: a scenario one step at a time, with the
 * state diagram after each step; next, back, jump to a line, quit.
 *
 * On a terminal the keys act at once (term.h) and the screen is redrawn for
 * every step.  When stdin is not a terminal (a pipe, a test) the commands are
 * read one per line and each screen is printed after the last, so the whole
 * session can be scripted:  printf 'n\nn\nj 12\nb\nq\n' | ipcsim step F.
 * The stepping itself is script_stepper (ipcsim/session.h); this file only
 * reads keys and lays out the screen.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "ipcsim/session.h"
#include "term.h"

#define SCREEN_COLS 80
#define CONTEXT_BEFORE 3 /* source lines shown above the current one */
#define CONTEXT_AFTER 1

static const char step_usage[] =
	"usage: ipcsim step FILE [--schedule S] [--no-color]\n"
	"\n"
	"Runs the scenario one step at a time and draws the simulated kernel after\n"
	"each step: the source line, its result strace-style, then the diagram,\n"
	"where what the step created, changed or removed is marked +, ~, - in the\n"
	"first column.  On a short terminal the diagram leaves out column titles,\n"
	"summaries and unchanged rows first, never a mark.\n"
	"\n"
	"keys (on a terminal they act at once):\n"
	"  n, Enter, Space, Right   next step\n"
	"  b, Left                  back one step\n"
	"  j N, g N                 jump to line N: run up to and including it (on a\n"
	"                           comment or blank line, up to the step before it)\n"
	"  Home / End               the start / the last step\n"
	"  q                        quit\n"
	"  ?                        this help\n"
	"\n"
	"When stdin is not a terminal, the same commands are read one per line\n"
	"(`n`, `b`, `j 12`, `q`; an empty line is `n`) and every screen is\n"
	"printed in turn.\n"
	"\n"
	"  --no-color   no ANSI colours (they are used only on a terminal)\n"
	"%s"
	"\n"
	"exit status: 0, or 2 when the scenario is malformed\n";

static const char keys_line[] = "n next  b back  j jump to line  q quit  ? help";

struct step_ui {
	struct script_stepper *sp;
	int tty;         /* keys from a terminal, screen cleared between steps */
	int color;
	char *output;    /* what the shown step printed */
	char *message;   /* a note under the screen ("no step at line 99") */
};

static void rule(FILE *out)
{
	for (int i = 0; i < SCREEN_COLS; i++)
		fputc('-', out);
	fputc('\n', out);
}

/* One source line, numbered, marked, cut to the screen width. */
static void source_line(FILE *out, const struct step_ui *ui, int line, const char *mark,
                        int bold)
{
	const char *text = script_stepper_source(ui->sp, line);
	int room = SCREEN_COLS - 11;

	fprintf(out, "%s%-4s%5d  %.*s%s\n", bold && ui->color ? "\033[1m" : "", mark, line, room,
	        text, bold && ui->color ? "\033[0m" : "");
}

/* The source around the step just run (or, before step 1, the next one),
 * with `before` lines above it and `after` lines below the next step. */
static void source_context(FILE *out, const struct step_ui *ui, int before, int after)
{
	int pos = script_stepper_pos(ui->sp), count = script_stepper_count(ui->sp);
	int at = pos > 0 ? script_stepper_line(ui->sp, pos) : script_stepper_line(ui->sp, 1);
	int next = pos < count ? script_stepper_line(ui->sp, pos + 1) : 0;
	int first = at - before, last = (next > at ? next : at) + after;

	if (at == 0)
		return;
	if (first < 1)
		first = 1;
	if (last > script_stepper_lines(ui->sp))
		last = script_stepper_lines(ui->sp);
	for (int l = first; l <= last; l++) {
		/* Between the step and the next one, only they matter. */
		if (after == 0 && l != at && l != next)
			continue;
		if (pos > 0 && l == at)
			source_line(out, ui, l, "=>", 1);
		else if (l == next)
			source_line(out, ui, l, "next", 0);
		else
			source_line(out, ui, l, "", 0);
	}
}

/* The screen's header: the step, the source around it. */
static void draw_top(FILE *out, const struct step_ui *ui, int before, int after)
{
	int pos = script_stepper_pos(ui->sp), count = script_stepper_count(ui->sp);

	if (pos == 0)
		fprintf(out, "ipcsim step %s: step 0 of %d, before the first step\n",
		        script_stepper_file(ui->sp), count);
	else
		fprintf(out, "ipcsim step %s: step %d of %d, line %d\n",
		        script_stepper_file(ui->sp), pos, count, script_stepper_line(ui->sp, pos));
	rule(out);
	source_context(out, ui, before, after);
	rule(out);
}

/* What the step printed, then the state after it in at most rows lines
 * (0: all of it). */
static void draw_body(FILE *out, const struct step_ui *ui, int rows)
{
	if (ui->output != NULL)
		fputs(ui->output, out);
	if (!script_stepper_shows_state(ui->sp, script_stepper_pos(ui->sp)))
		script_stepper_show_fit(ui->sp, out, ui->color, rows);
}

/* The status line, the message, the keys. */
static void draw_bottom(FILE *out, const struct step_ui *ui)
{
	int pos = script_stepper_pos(ui->sp), stopped = script_stepper_stopped(ui->sp);
	struct script_stats st;

	script_stepper_stats(ui->sp, &st);
	rule(out);
	if (stopped)
		fprintf(out, "stopped: step %d (line %d) is a runtime error; b goes back\n", stopped,
		        script_stepper_line(ui->sp, stopped));
	else if (pos == script_stepper_count(ui->sp))
		fprintf(out, "end of the scenario: %d passed, %d failed\n", st.passed, st.failed);
	if (ui->message != NULL)
		fprintf(out, "%s\n", ui->message);
	fprintf(out, "%s\n", keys_line);
}

/* A part of the screen as text (malloc'd, never NULL unless out of memory):
 * 0 the top (before, after: source lines around the step), 1 the body (the
 * diagram in at most rows lines), 2 the bottom. */
static char *compose(const struct step_ui *ui, int part, int before, int after, int rows)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);

	if (w == NULL)
		return NULL;
	if (part == 0)
		draw_top(w, ui, before, after);
	else if (part == 1)
		draw_body(w, ui, rows);
	else
		draw_bottom(w, ui);
	fclose(w);
	return buf;
}

/* Terminal rows one line takes (its first `len` bytes) on `cols` columns:
 * escape sequences take no room, a long line wraps. */
static int line_rows(const char *line, size_t len, int cols)
{
	int width = 0;

	for (size_t i = 0; i < len; i++) {
		if (line[i] == '\033') {
			while (i < len && !(line[i] >= '@' && line[i] <= '~' && line[i] != '['))
				i++;
			continue;
		}
		/* UTF-8 continuation bytes take no column of their own. */
		width += ((unsigned char)line[i] & 0xC0) != 0x80;
	}
	return cols > 0 && width > cols ? (width + cols - 1) / cols : 1;
}

/* Terminal rows text takes on `cols` columns. */
static int count_rows(const char *text, int cols)
{
	int rows = 0;

	while (text != NULL && *text != '\0') {
		size_t n = strcspn(text, "\n");

		rows += line_rows(text, n, cols);
		text += n + (text[n] == '\n');
	}
	return rows;
}

/* Prints the lines of text that fit in `room` rows, then how many rows were
 * left out. */
static void print_cut(const char *text, int room, int cols, int color)
{
	int used = 0, total = count_rows(text, cols);

	while (*text != '\0') {
		size_t n = strcspn(text, "\n");
		int r = line_rows(text, n, cols);

		if (used + r > room)
			break;
		fwrite(text, 1, n + (text[n] == '\n'), stdout);
		used += r;
		text += n + (text[n] == '\n');
	}
	if (total > used)
		printf("%s  ... %d more rows: a taller terminal shows them\n", color ? "\033[0m" : "",
		       total - used);
}

/* The terminal's size; 0 rows when unknown. */
static void terminal_size(int *rows, int *cols)
{
	struct winsize ws;

	*rows = 0;
	*cols = SCREEN_COLS;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_col == 0)
		return;
	*rows = ws.ws_row;
	*cols = ws.ws_col;
}

static void draw_screen(struct step_ui *ui)
{
	char *top = compose(ui, 0, CONTEXT_BEFORE, CONTEXT_AFTER, 0), *body = compose(ui, 1, 0, 0, 0);
	char *bottom = compose(ui, 2, 0, 0, 0);
	int rows = 0, cols = SCREEN_COLS, room;

	if (top == NULL || body == NULL || bottom == NULL)
		goto out_free;
	if (ui->tty) {
		terminal_size(&rows, &cols);
		fputs("\033[H\033[2J\033[3J", stdout);
	}
	/* On a short terminal the header must stay in sight: less source
	 * first, then the diagram leaves out what matters least (column
	 * titles, summaries, unchanged rows; never a mark of change).  One row
	 * stays free for the cursor. */
	room = rows - 1 - count_rows(bottom, cols);
	if (rows > 0 && count_rows(top, cols) + count_rows(body, cols) > room) {
		free(top);
		top = compose(ui, 0, 0, 0, 0);
		if (top == NULL)
			goto out_free;
	}
	room -= count_rows(top, cols);
	if (rows > 0 && count_rows(body, cols) > room) {
		int output = ui->output != NULL ? count_rows(ui->output, cols) : 0;

		free(body);
		body = compose(ui, 1, 0, 0, room - output > 1 ? room - output : 1);
		if (body == NULL)
			goto out_free;
	}
	fputs(top, stdout);
	if (rows > 0 && count_rows(body, cols) > room)
		print_cut(body, room - 1, cols, ui->color);
	else
		fputs(body, stdout);
	fputs(bottom, stdout);
	fflush(stdout);

out_free:
	free(top);
	free(body);
	free(bottom);
}

/* Runs to step k, keeping what the step printed for the screen. */
static void go(struct step_ui *ui, int k)
{
	size_t len = 0;
	FILE *w;

	free(ui->output);
	ui->output = NULL;
	w = open_memstream(&ui->output, &len);
	if (w == NULL)
		return;
	script_stepper_goto(ui->sp, k, w, ui->color);
	fclose(w);
}

static void set_message(struct step_ui *ui, const char *msg)
{
	free(ui->message);
	ui->message = msg != NULL ? strdup(msg) : NULL;
}

/* `j N`: runs up to and including line N: the last step at or before it
 * (on a comment or blank line, the step before; before the first step,
 * the start). */
static void jump(struct step_ui *ui, const char *arg)
{
	char *end;
	long line;
	int k;
	char msg[96];

	while (*arg == ' ' || *arg == '\t')
		arg++;
	line = strtol(arg, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == arg || *end != '\0' || line < 1) {
		set_message(ui, "jump: give a line number, as in `j 12`");
		return;
	}
	if (line > script_stepper_lines(ui->sp)) {
		snprintf(msg, sizeof(msg), "jump: line %ld is past the end (the scenario has %d lines)",
		         line, script_stepper_lines(ui->sp));
		set_message(ui, msg);
		return;
	}
	k = script_stepper_step_upto_line(ui->sp, (int)line);
	go(ui, k);
}

/* In raw mode: reads the digits of a line number, echoing them. */
static int read_line_number(char *buf, size_t size)
{
	size_t n = 0;

	printf("jump to line: ");
	fflush(stdout);
	for (;;) {
		int key = term_read_key(STDIN_FILENO);

		if (key == '\r' || key == '\n')
			break;
		if (key == KEY_EOF || key == 27 || key == 'q' || key == 3)
			return -1;
		if ((key == 127 || key == 8) && n > 0) {
			n--;
			fputs("\b \b", stdout);
		} else if (key < 256 && isdigit(key) && n + 1 < size) {
			buf[n++] = (char)key;
			fputc(key, stdout);
		}
		fflush(stdout);
	}
	buf[n] = '\0';
	return 0;
}

enum action { ACT_NEXT, ACT_BACK, ACT_JUMP, ACT_START, ACT_END, ACT_HELP, ACT_QUIT,
	      ACT_REDRAW, ACT_UNKNOWN };

/* Keys on a terminal.  *arg gets the jump target. */
static enum action key_action(char *arg, size_t size)
{
	int key = term_read_key(STDIN_FILENO);

	switch (key) {
	case 'n': case ' ': case '\r': case '\n': case KEY_RIGHT: case KEY_DOWN:
		return ACT_NEXT;
	case 'b': case 'p': case KEY_LEFT: case KEY_UP: case 127:
		return ACT_BACK;
	case 'j': case 'g': case ':':
		return read_line_number(arg, size) == 0 ? ACT_JUMP : ACT_REDRAW;
	case KEY_HOME: case '0':
		return ACT_START;
	case KEY_END: case 'G': case '$':
		return ACT_END;
	case '?': case 'h':
		return ACT_HELP;
	case 'q': case 'Q': case KEY_EOF: case 4: case 27:
		return ACT_QUIT;
	case 12: /* Ctrl-L */
		return ACT_REDRAW;
	default:
		return ACT_UNKNOWN;
	}
}

/* One command line: `n`, `b`, `j 12`...  *arg gets what follows the
 * command (or, for an unknown command, the command itself). */
static enum action parse_command(char *buf, char *arg, size_t size)
{
	char *cmd, *rest;
	size_t n = strlen(buf);

	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	cmd = buf + strspn(buf, " \t");
	rest = cmd + strcspn(cmd, " \t");
	if (*rest != '\0')
		*rest++ = '\0';
	snprintf(arg, size, "%s", rest);
	if (*cmd == '\0' || strcmp(cmd, "n") == 0 || strcmp(cmd, "next") == 0)
		return ACT_NEXT;
	if (strcmp(cmd, "b") == 0 || strcmp(cmd, "back") == 0)
		return ACT_BACK;
	if (strcmp(cmd, "j") == 0 || strcmp(cmd, "g") == 0 || strcmp(cmd, "jump") == 0)
		return ACT_JUMP;
	/* `j12`, `g12` */
	if ((cmd[0] == 'j' || cmd[0] == 'g') && isdigit((unsigned char)cmd[1])) {
		snprintf(arg, size, "%s", cmd + 1);
		return ACT_JUMP;
	}
	if (strcmp(cmd, "start") == 0)
		return ACT_START;
	if (strcmp(cmd, "end") == 0)
		return ACT_END;
	if (strcmp(cmd, "?") == 0 || strcmp(cmd, "help") == 0)
		return ACT_HELP;
	if (strcmp(cmd, "q") == 0 || strcmp(cmd, "quit") == 0)
		return ACT_QUIT;
	snprintf(arg, size, "%s", cmd);
	return ACT_UNKNOWN;
}

/* Commands one per line, when stdin is not a terminal. */
static enum action line_action(char *arg, size_t size)
{
	char *buf = NULL;
	size_t cap = 0;
	enum action a;

	if (getline(&buf, &cap, stdin) < 0) {
		free(buf);
		return ACT_QUIT;
	}
	a = parse_command(buf, arg, size);
	free(buf);
	return a;
}

static void show_help(struct step_ui *ui)
{
	if (ui->tty)
		fputs("\033[H\033[2J\033[3J", stdout);
	printf(step_usage, cli_schedule_usage);
	if (ui->tty) {
		fputs("\npress any key to go back to the scenario\n", stdout);
		fflush(stdout);
		term_read_key(STDIN_FILENO);
	}
}

static void loop(struct step_ui *ui)
{
	char arg[64];

	draw_screen(ui);
	for (;;) {
		enum action a = ui->tty ? key_action(arg, sizeof(arg)) : line_action(arg, sizeof(arg));
		int pos = script_stepper_pos(ui->sp), count = script_stepper_count(ui->sp);
		char msg[160];

		set_message(ui, NULL);
		switch (a) {
		case ACT_NEXT:
			if (script_stepper_stopped(ui->sp))
				set_message(ui, "a runtime error stops the scenario here; b goes back");
			else if (pos == count)
				set_message(ui, "this is the last step; b goes back, q quits");
			else
				go(ui, pos + 1);
			break;
		case ACT_BACK:
			if (pos == 0 && !script_stepper_stopped(ui->sp))
				set_message(ui, "this is the start");
			else
				go(ui, script_stepper_stopped(ui->sp) ? pos : pos - 1);
			break;
		case ACT_JUMP:
			jump(ui, arg);
			break;
		case ACT_START:
			go(ui, 0);
			break;
		case ACT_END:
			go(ui, count);
			break;
		case ACT_HELP:
			show_help(ui);
			break;
		case ACT_QUIT:
			return;
		case ACT_REDRAW:
			break;
		case ACT_UNKNOWN:
			if (ui->tty)
				snprintf(msg, sizeof(msg), "unknown key; ? lists the keys");
			else
				snprintf(msg, sizeof(msg), "unknown command '%.60s'; ? lists them", arg);
			set_message(ui, msg);
			break;
		}
		draw_screen(ui);
	}
}

int cli_step(int argc, char **argv)
{
	struct step_ui ui = { 0 };
	struct script *s = NULL;
	const char *file = NULL, *schedule = NULL;
	int color = isatty(STDOUT_FILENO), rc = 2, sch_rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf(step_usage, cli_schedule_usage);
			return 0;
		} else if (strcmp(argv[i], "--no-color") == 0) {
			color = 0;
		} else if ((sch_rc = cli_schedule_option(argc, argv, &i, &schedule, "step")) != 0) {
			if (sch_rc < 0)
				return 2;
		} else if ((argv[i][0] == '-' && argv[i][1] != '\0') || file != NULL) {
			fprintf(stderr, "ipcsim step: unexpected '%s'\n\n", argv[i]);
			fprintf(stderr, step_usage, cli_schedule_usage);
			return 2;
		} else {
			file = argv[i];
		}
	}
	if (file == NULL) {
		fprintf(stderr, step_usage, cli_schedule_usage);
		return 2;
	}
	if (cli_is_stdin(file)) {
		fprintf(stderr, "ipcsim step: `-`: step reads its keys from standard input; "
		        "give the scenario as a file\n");
		return 2;
	}
	s = script_load(file, stderr);
	if (s == NULL)
		return 2;
	if (cli_apply_schedule(s, schedule, "step") < 0)
		goto out_free;
	ui.sp = script_stepper_new(s);
	if (ui.sp == NULL) {
		fprintf(stderr, "ipcsim: out of memory\n");
		goto out_free;
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	ui.tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) && term_raw_enter(STDIN_FILENO) == 0;
	ui.color = color;
	loop(&ui);
	if (ui.tty)
		term_raw_leave();
	rc = 0;

out_free:
	free(ui.output);
	free(ui.message);
	script_stepper_free(&ui.sp);
	script_free(&s);
	return rc;
}
