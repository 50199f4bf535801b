/*
 * exec_report.c - what an exec run tells: a line per call as a scenario
 * line with its result (strace's form, the process named), the state at
 * the end (or after every call), what the program left behind, and the
 * files: --record writes the lines as a scenario, --trace and --html run
 * that scenario through the trace layer (ipcsim/trace.h), so the page shows
 * exactly what `ipcsim trace` shows for the record.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "exec/exec_int.h"
#include "ipcsim/kernel.h"
#include "ipcsim/render.h"
#include "ipcsim/trace.h"
#include "types/digits.h"

static void line_add(struct exec_server *s, size_t at, char *text)
{
	if (s->nlines == s->cap_lines) {
		size_t cap = s->cap_lines ? s->cap_lines * 2 : 256;
		char **nl = realloc(s->lines, cap * sizeof(*nl));

		if (!nl) {
			free(text);
			s->failed = 1;
			return;
		}
		s->lines = nl;
		s->cap_lines = cap;
	}
	memmove(s->lines + at + 1, s->lines + at, (s->nlines - at) * sizeof(*s->lines));
	s->lines[at] = text;
	s->nlines++;
}

char *exec_expand(struct exec_server *s, const char *line)
{
	char *out = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&out, &len);

	if (!w)
		return NULL;
	for (const char *c = line; *c; c++) {
		char *end;
		unsigned long i;

		if (*c != EXEC_TOK_START) {
			fputc(*c, w);
			continue;
		}
		i = strtoul(c + 1, &end, 10);
		if (*end == EXEC_TOK_END && i < s->nprocs) {
			fputs(s->procs[i].name, w);
			c = end;
		}
	}
	if (fclose(w) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* Takes text (malloc'd) as the next record line, printed when asked. */
static void line_take(struct exec_server *s, int print, char *text)
{
	if (!text) {
		s->failed = 1;
		return;
	}
	if (print && s->o->show != IPCSIM_EXEC_SHOW_NONE) {
		char *shown = exec_expand(s, text);

		fprintf(s->report, "%s\n", shown ? shown : text);
		free(shown);
		if (s->o->show == IPCSIM_EXEC_SHOW_EACH && strstr(text, "+++") == NULL)
			render_show(s->report, backend_kernel(s->b), &s->names, s->o->color);
	}
	line_add(s, s->nlines, text);
}

void exec_line(struct exec_server *s, int print, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	line_take(s, print, text);
}

void exec_line_text(struct exec_server *s, int print, const char *text)
{
	line_take(s, print, strdup(text));
}

void exec_line_insert(struct exec_server *s, size_t at, const char *text)
{
	char *copy = strdup(text);

	if (!copy || at > s->nlines) {
		free(copy);
		return;
	}
	line_add(s, at, copy);
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].blocked && (size_t)s->procs[i].block_line >= at)
			s->procs[i].block_line++;
}

/* Flags as C writes them: names joined by |, the permission bits in octal.
 * kind: 'm' msgget/semget, 's' shmget, 'n' msgsnd/msgrcv, 'a' shmat,
 * 'o' a sembuf's sem_flg. */
void exec_put_flags(FILE *w, long flags, int kind)
{
	static const struct { int kind; long bit; const char *name; } names[] = {
		{ 'm', IPC_CREAT, "IPC_CREAT" }, { 'm', IPC_EXCL, "IPC_EXCL" },
		{ 's', IPC_CREAT, "IPC_CREAT" }, { 's', IPC_EXCL, "IPC_EXCL" },
		{ 's', SHM_HUGETLB, "SHM_HUGETLB" }, { 's', SHM_NORESERVE, "SHM_NORESERVE" },
		{ 'n', IPC_NOWAIT, "IPC_NOWAIT" }, { 'n', MSG_NOERROR, "MSG_NOERROR" },
		{ 'n', MSG_EXCEPT, "MSG_EXCEPT" }, { 'n', MSG_COPY, "MSG_COPY" },
		{ 'a', SHM_RDONLY, "SHM_RDONLY" }, { 'a', SHM_RND, "SHM_RND" },
		{ 'a', SHM_REMAP, "SHM_REMAP" }, { 'a', SHM_EXEC, "SHM_EXEC" },
		{ 'o', IPC_NOWAIT, "IPC_NOWAIT" }, { 'o', SEM_UNDO, "SEM_UNDO" },
	};
	int any = 0;
	long rest = flags;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].kind != kind || !(rest & names[i].bit))
			continue;
		if (any)
			fputs(" | ", w);
		fputs(names[i].name, w);
		rest &= ~names[i].bit;
		any = 1;
	}
	if ((kind == 'm' || kind == 's') && (rest & 0777)) {
		fprintf(w, "%s0%lo", any ? " | " : "", rest & 0777);
		rest &= ~0777L;
		any = 1;
	}
	if (rest)
		fprintf(w, "%s%#lx", any ? " | " : "", rest);
	else if (!any)
		fputc('0', w);
}

void exec_put_hex(FILE *w, unsigned long long v)
{
	char buf[DIGITS_MAX + 2], *end = buf + sizeof(buf), *p = digits_u(end, v, 16);

	if (v != 0) { /* printf's "%#llx" */
		*--p = 'x';
		*--p = '0';
	}
	fwrite(p, 1, (size_t)(end - p), w);
}

FILE *exec_text_begin(struct exec_server *s)
{
	fseek(s->text, 0, SEEK_SET);
	return s->text;
}

const char *exec_text_end(struct exec_server *s)
{
	long end = ftell(s->text);

	/* After a seek back the buffer still holds the longer text of before:
	 * it ends where this one does (the buffer is longer than any text). */
	if (fflush(s->text) != 0 || end < 0 || !s->text_buf)
		return "";
	s->text_buf[end] = '\0';
	return s->text_buf;
}

/* The objects still there at the end: the most common lab bug. */
static void left_behind(struct exec_server *s)
{
	const struct sim_kernel *k = backend_kernel(s->b);
	int n = 0;

	for (int i = 0; i <= sim_msg_max_idx(k); i++) {
		struct ipcsim_msqid_ds ds;
		long id = sim_msg_stat_idx(k, i, &ds);

		if (id >= 0 && ++n)
			fprintf(s->report, "left behind: message queue %ld (key %#x) with %lu messages"
			        " (ipcrm -q %ld)\n", id, ds.msg_perm.key, ds.msg_qnum, id);
	}
	for (int i = 0; i <= sim_shm_max_idx(k); i++) {
		struct ipcsim_shmid_ds ds;
		long id = sim_shm_stat_idx(k, i, &ds);

		if (id >= 0 && ++n)
			fprintf(s->report, "left behind: shared memory segment %ld (key %#x), %zu bytes"
			        " (ipcrm -m %ld)\n", id, ds.shm_perm.key, ds.shm_segsz, id);
	}
	for (int i = 0; i <= sim_sem_max_idx(k); i++) {
		struct ipcsim_semid_ds ds;
		long id = sim_sem_stat_idx(k, i, &ds);

		if (id >= 0 && ++n)
			fprintf(s->report, "left behind: semaphore set %ld (key %#x), %lu semaphores"
			        " (ipcrm -s %ld)\n", id, ds.sem_perm.key, ds.sem_nsems, id);
	}
	if (n == 0)
		fprintf(s->report, "nothing left behind: every queue, segment and set was removed\n");
}

void exec_report_end(struct exec_server *s)
{
	if (s->o->show != IPCSIM_EXEC_SHOW_NONE) {
		fprintf(s->report, "\n");
		render_show(s->report, backend_kernel(s->b), &s->names, s->o->color);
	}
	left_behind(s);
}

static char *record_text(struct exec_server *s, size_t *len)
{
	char *text = NULL;
	FILE *w = open_memstream(&text, len);

	if (!w)
		return NULL;
	fprintf(w, "# recorded by ipcsim exec: every call of the program, with its result\n");
	for (size_t i = 0; i < s->nlines; i++) {
		char *line = exec_expand(s, s->lines[i]);

		fprintf(w, "%s\n", line ? line : "");
		free(line);
	}
	if (fclose(w) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static int write_file(struct exec_server *s, const char *path, const char *what,
                      int (*fill)(struct exec_server *s, FILE *f, const char *text, size_t len,
                                  const char *path),
                      const char *text, size_t len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	int rc;

	if (!f) {
		fprintf(s->report, "ipcsim exec: cannot write %s %s: %s\n", what, path, strerror(errno));
		return -1;
	}
	rc = fill(s, f, text, len, path);
	if (f != stdout ? fclose(f) != 0 : fflush(f) != 0)
		rc = -1;
	if (rc < 0)
		fprintf(s->report, "ipcsim exec: cannot write %s %s\n", what, path);
	return rc;
}

static int fill_record(struct exec_server *s, FILE *f, const char *text, size_t len,
                       const char *path)
{
	return fwrite(text, 1, len, f) == len ? 0 : -1;
}

static int fill_trace(struct exec_server *s, FILE *f, const char *text, size_t len,
                      const char *path, enum trace_format format)
{
	int rc = trace_scenario("exec.scn", text, len, format, f, s->report);

	return rc == 2 ? -1 : 0;
}

static int fill_json(struct exec_server *s, FILE *f, const char *text, size_t len,
                     const char *path)
{
	return fill_trace(s, f, text, len, path, TRACE_JSON);
}

static int fill_html(struct exec_server *s, FILE *f, const char *text, size_t len,
                     const char *path)
{
	return fill_trace(s, f, text, len, path, TRACE_HTML);
}

int exec_write_outputs(struct exec_server *s)
{
	const struct ipcsim_exec_options *o = s->o;
	size_t len = 0;
	char *text;
	int rc = 0;

	if (!o->record_path && !o->trace_path && !o->html_path)
		return 0;
	text = record_text(s, &len);
	if (!text)
		return -1;
	if (o->record_path && write_file(s, o->record_path, "the record", fill_record, text, len) < 0)
		rc = -1;
	if (o->trace_path && write_file(s, o->trace_path, "the trace", fill_json, text, len) < 0)
		rc = -1;
	if (o->html_path && write_file(s, o->html_path, "the page", fill_html, text, len) < 0)
		rc = -1;
	free(text);
	return rc;
}
