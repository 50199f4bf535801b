/*
 * show.c - the `show` diagram: what the simulated kernel holds, in at most
 * 80 columns, for a student to take in at a glance.
 *
 *   == Message queues (1) ====...
 *     key         msqid owner    perms   qnum cbytes qbytes lspid lrpid
 *     0x00001234      0 user     0666      2     12  16384  1000  1001
 *   -- q 0 (key 0x00001234): 2 messages, 12 bytes ----...
 *     head -> [A 300 "hello" 5 B @u0] -> [B 1 "world!!" 7 B @u1] -> NULL
 *     asleep: P2 (1001) msgrcv type 400, buffer 512 B
 *   == Kernel data area: 64 units of 16 B, 2 used, grows ====...
 *          0 |AB..............................................................|
 *     free: u2-63 (62)
 *   == Shared memory (1) ====...
 *   -- shm 0 (key 0x00000000): 4096 bytes, 1 page ----...
 *   ~ @0        long 150  (stored by P2)
 *     @8-4095   zeros
 *   == Processes (2) ====...
 *     name         pid   uid  state
 *     P1          1000  1000  running                  q=0 m={1, "hi"}
 *     P2          1001  1000  blocked in msgrcv on q 0
 *
 * Sections with nothing in them are left out.  Each record carries a label,
 * a letter that names it for its whole life (its queue and arrival number:
 * show_msg.c), the same in its queue's chain and in the data area's strip.
 * The two columns before each item hold its mark of change when the drawing
 * is compared with an earlier one (show_lines.c).  Everything comes from the
 * kernel's read-only views and the scenario's callbacks; output depends only
 * on the state (no addresses, no host time), so it is stable for tests.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "render/show_int.h"
#include "types/digits.h"

const char *show_user_name(const struct show *s, unsigned uid, char buf[16])
{
	const struct scenario_names *names = s->o->names;
	const char *name = NULL;

	if (names && names->user_name)
		name = names->user_name(names->ctx, uid);
	else if (uid == 0)
		name = "root";
	if (!name) {
		snprintf(buf, 16, "%u", uid);
		return buf;
	}
	return name;
}

const char *show_proc_name(const struct show *s, int pid)
{
	const struct scenario_names *names = s->o->names;
	const char *name = NULL;

	if (names && names->proc_name)
		name = names->proc_name(names->ctx, pid);
	return name ? name : "-";
}

void show_text_init(struct show_text *t, char *buf, size_t size)
{
	t->s = buf;
	t->size = size;
	t->len = 0;
	buf[0] = '\0';
}

void show_text_str(struct show_text *t, const char *str)
{
	t->len += show_copy(t->s + t->len, t->size - t->len, str);
	if (t->len >= t->size)
		t->len = t->size - 1;
}

void show_text_char(struct show_text *t, char c)
{
	char one[2] = { c, '\0' };

	show_text_str(t, one);
}

void show_text_uint(struct show_text *t, unsigned long long v)
{
	char digits[DIGITS_MAX + 1];

	digits[DIGITS_MAX] = '\0';
	show_text_str(t, digits_u(digits + DIGITS_MAX, v, 10));
}

void show_text_int(struct show_text *t, long long v)
{
	if (v < 0) {
		show_text_char(t, '-');
		show_text_uint(t, 0ULL - (unsigned long long)v);
	} else {
		show_text_uint(t, (unsigned long long)v);
	}
}

/* One byte as a C string literal writes it, into esc (not ended): its length. */
static size_t quote_char(char esc[4], const unsigned char *b, size_t i, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c = b[i];

	if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
		esc[0] = (char)c;
		return 1;
	}
	esc[0] = '\\';
	if (c == '\n' || c == '\t' || c == '\\' || c == '"') {
		esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : (char)c;
		return 2;
	}
	/* "\0" before an octal digit would read as one escape */
	if (c == '\0' && !(i + 1 < n && b[i + 1] >= '0' && b[i + 1] <= '7')) {
		esc[1] = '0';
		return 2;
	}
	esc[1] = 'x';
	esc[2] = hex[c >> 4];
	esc[3] = hex[c & 15];
	return 4;
}

void show_quote(char *buf, size_t size, const unsigned char *b, size_t n, size_t max)
{
	size_t len = 0, total = 0;
	char esc[4];

	while (n > 0 && b[n - 1] == '\0')
		n--;
	if (max + 1 > size)
		max = size - 1;
	for (size_t i = 0; i < n && total <= max; i++)
		total += quote_char(esc, b, i, n);
	for (size_t i = 0; i < n; i++) {
		size_t e = quote_char(esc, b, i, n);

		if (total > max && len + e + 3 > max) {
			memcpy(buf + len, "...", 3);
			len += 3;
			break;
		}
		memcpy(buf + len, esc, e);
		len += e;
	}
	buf[len] = '\0';
}

/* ---- items that wrap ------------------------------------------------------- */

static void flow_line(struct flow *f)
{
	char key[SHOW_KEY];
	struct show_text k;

	show_text_init(&k, key, sizeof(key));
	show_text_str(&k, f->key);
	if (f->rows > 0) {
		show_text_char(&k, '.');
		show_text_int(&k, f->rows);
	}
	f->line[f->len] = '\0';
	show_add_text(f->s, ROLE_ITEM, f->prio, key, f->group, f->line);
	if (f->rows > 0 && f->s->doc->n > 0 && !f->s->doc->oom)
		f->s->doc->v[f->s->doc->n - 1].cont = 1;
	f->rows++;
}

/* text after the line's text, cut at its end. */
static void flow_append(struct flow *f, const char *text)
{
	f->len += (int)show_copy(f->line + f->len, sizeof(f->line) - (size_t)f->len, text);
	if (f->len >= (int)sizeof(f->line))
		f->len = (int)sizeof(f->line) - 1;
}

void show_flow_begin(struct flow *f, struct show *s, int prio, const char *key, const char *group,
                     const char *first)
{
	memset(f, 0, sizeof(*f));
	f->s = s;
	f->prio = prio;
	f->key = key;
	f->group = group;
	f->indent = 4;
	f->len = 0;
	flow_append(f, first);
}

/* Lines hold SHOW_WIDTH - 3 columns after the gutter. */
void show_flow_item(struct flow *f, const char *lead, const char *text)
{
	int len = (int)strlen(text), llen = lead ? (int)strlen(lead) : 0;

	if (f->items > 0 && f->len + llen + len > SHOW_WIDTH - 3) {
		flow_line(f);
		memset(f->line, ' ', (size_t)f->indent);
		f->len = f->indent;
		f->items = 0;
		while (lead && *lead == ' ')
			lead++, llen--;
	}
	f->items++;
	if (lead != NULL)
		flow_append(f, lead);
	flow_append(f, text);
}

void show_flow_end(struct flow *f)
{
	flow_line(f);
}

/* ---- the drawing ----------------------------------------------------------- */

static void build(struct show *s)
{
	show_msg(s);
	show_area(s);
	show_shm(s);
	show_sem(s);
	show_procs(s);
	if (s->doc->n == 0)
		show_add(s, ROLE_NOTE, PRIO_BANNER, NULL, NULL,
		         "(nothing yet: no IPC objects, no processes)");
}

int render_draw(FILE *out, const struct sim_kernel *k, const struct render_opts *o)
{
	struct show_doc doc = { 0 };
	struct show s = { k, o, o->since, &doc, 0 };
	int n;

	if (!out || !k)
		return 0;
	build(&s);
	n = show_emit(&s, out);
	show_doc_free(&doc);
	fflush(out);
	return n;
}

int render_memo_take(struct render_memo *m, const struct sim_kernel *k, const struct render_opts *o)
{
	struct show_doc doc = { 0 };
	struct show s = { k, o, NULL, &doc, 0 };
	int rc;

	if (!m || !k)
		return -1;
	build(&s);
	rc = show_memo_set(m, &doc);
	show_doc_free(&doc);
	return rc;
}

void render_show(FILE *out, const struct sim_kernel *k, const struct scenario_names *names,
                 int color)
{
	struct render_opts o = { 0 };

	o.names = names;
	o.color = color;
	render_draw(out, k, &o);
}
