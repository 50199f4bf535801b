/*
 * shell_fmt.c - small formatting rules the simulated commands share.
 *
 * Times: the simulated clock is printed in UTC exactly as glibc's ctime()
 * prints it with TZ=UTC, independent of the host's TZ and locale, so that
 * output is the same on every machine.  Sizes: util-linux's
 * size_to_human_string() as of 2.38 (three-digit fraction rounded to one,
 * "1075 B" is "1K", "1090 B" is "1.1K").  Names: the scenario's users and
 * groups through struct scenario_names.  Lines of output compare up to
 * trailing blanks (shell_lines_equal, ipcsim/shell.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shell/shell_int.h"

void shell_ctime(long t, char buf[32])
{
	static const char wday[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char mon[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL) {
		snprintf(buf, 32, "%-24ld", t);
		return;
	}
	/* glibc asctime: "%.3s %.3s%3d %.2d:%.2d:%.2d %d\n" */
	snprintf(buf, 32, "%.3s %.3s%3d %.2d:%.2d:%.2d %d", wday[tm.tm_wday % 7],
	         mon[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	         tm.tm_year + 1900);
}

void shell_human_size(uint64_t bytes, char buf[32])
{
	static const char letters[] = "BKMGTPE";
	int exp = 0;

	for (int shft = 10; shft <= 60; shft += 10) {
		if (bytes < (1ULL << shft))
			break;
		exp = shft;
	}
	/* dec < 1024 always: the unit is chosen so */
	char c = letters[exp / 10];
	uint64_t dec = exp ? bytes / (1ULL << exp) : bytes;
	uint64_t frac = exp ? bytes % (1ULL << exp) : 0;

	if (frac) {
		/* three digits after the point, then rounded to one */
		if (frac >= UINT64_MAX / 1000)
			frac = ((frac / 1024) * 1000) / (1ULL << (exp - 10));
		else
			frac = (frac * 1000) / (1ULL << exp);
		frac = ((frac + 50) / 100) * 10;
		if (frac == 100) {
			dec++;
			frac = 0;
		}
	}
	if (frac) {
		/* "%d.%02d" and then the extraneous zero dropped: 1.10 -> 1.1 */
		snprintf(buf, 32, "%u.%u%c", (unsigned)(dec % 1024), (unsigned)(frac / 10 % 10), c);
	} else {
		snprintf(buf, 32, "%u%c", (unsigned)(dec % 1024), c);
	}
}

const char *shell_user_name(const struct shell_ctx *sh, unsigned uid)
{
	if (sh->names && sh->names->user_name)
		return sh->names->user_name(sh->names->ctx, uid);
	/* No name table at all: root is still root (it is predefined). */
	return uid == 0 ? "root" : NULL;
}

const char *shell_group_name(const struct shell_ctx *sh, unsigned gid)
{
	if (sh->names && sh->names->group_name)
		return sh->names->group_name(sh->names->ctx, gid);
	return gid == 0 ? "root" : NULL;
}

int shell_try_help(struct shell_ctx *sh, const char *prog)
{
	fprintf(sh->out, "Try '%s --help' for more information.\n", prog);
	return SHELL_EXIT(1);
}

int shell_strtos32(struct shell_ctx *sh, const char *prog, const char *str,
                   const char *errmesg, int32_t *v)
{
	char *end = NULL;
	long long num;

	errno = 0;
	if (str == NULL || *str == '\0')
		goto bad;
	num = strtoll(str, &end, 10);
	if (errno || str == end || (end && *end))
		goto bad;
	if (num < INT32_MIN || num > INT32_MAX) {
		errno = ERANGE;
		goto bad;
	}
	*v = (int32_t)num;
	return 0;
bad:
	if (errno == ERANGE)
		fprintf(sh->out, "%s: %s: '%s': Numerical result out of range\n", prog, errmesg,
		        str ? str : "");
	else
		fprintf(sh->out, "%s: %s: '%s'\n", prog, errmesg, str ? str : "");
	return SHELL_EXIT(1);
}

/* ---- growing string ------------------------------------------------------ */
void shell_text_printf(struct shell_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t cap = (t->cap ? t->cap * 2 : 256) + (size_t)n;
		char *nb = realloc(t->buf, cap);
		if (!nb) {
			t->oom = 1;
			return;
		}
		t->buf = nb;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* ---- comparing output ---------------------------------------------------- */

/* ipcs pads its last column with blanks that a terminal does not show, and
 * that a scenario's `>` line cannot be seen to hold. */
int shell_lines_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	while (la > 0 && (a[la - 1] == ' ' || a[la - 1] == '\t'))
		la--;
	while (lb > 0 && (b[lb - 1] == ' ' || b[lb - 1] == '\t'))
		lb--;
	return la == lb && memcmp(a, b, la) == 0;
}
