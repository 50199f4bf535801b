/*
 * trace_buf.c - the trace's JSON writer: one growing buffer per trace,
 * filled with a line and written once (trace.c), with no tree per value.
 *
 * Strings are escaped as JSON requires (quote, backslash, control
 * characters); in an HTML page every '<' is also written \u003c, so no text
 * can close the <script> block the trace sits in.  Bytes above 0x7f are
 * copied as they are: the texts given are valid UTF-8 (source lines are the
 * scenario's, message texts are C-escaped).  Running out of memory sets
 * `failed`; later appends do nothing, and the line is not written.
 */
#include <stdlib.h>
#include <string.h>

#include "ipcsim/strace.h" /* the one printer of texts */
#include "trace/trace_int.h"
#include "types/digits.h"

void tbuf_lit(struct tbuf *b, const char *s)
{
	tbuf_raw(b, s, strlen(s));
}

void tbuf_int(struct tbuf *b, long long v)
{
	char tmp[DIGITS_MAX], *end = tmp + sizeof(tmp), *p = digits_ll(end, v);

	tbuf_raw(b, p, (size_t)(end - p));
}

/* Bytes a JSON string cannot hold as they are (and '<' in a page). */
static int needs_escape(unsigned char c, int html)
{
	return c < 0x20 || c == '"' || c == '\\' || c == 0x7f || (c == '<' && html);
}

void tbuf_str_n(struct tbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *o;
	size_t i = 0;

	/* at most 6 bytes out for one in, and the quotes */
	if ((o = tbuf_room(b, 6 * n + 2)) == NULL)
		return;
	*o++ = '"';
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t run = i;

		/* the common case: a run of bytes that go as they are */
		while (run < n && !needs_escape((unsigned char)s[run], b->html))
			run++;
		if (run > i) {
			memcpy(o, s + i, run - i);
			o += run - i;
			i = run;
			continue;
		}
		i++;
		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else if (c < 0x20 || c == 0x7f || (c == '<' && b->html)) {
			memcpy(o, "\\u00", 4);
			o[4] = hex[c >> 4];
			o[5] = hex[c & 15];
			o += 6;
		}
	}
	*o++ = '"';
	b->text.len = (size_t)(o - b->text.b);
}

void tbuf_str(struct tbuf *b, const char *s)
{
	if (s == NULL)
		tbuf_lit(b, "null");
	else
		tbuf_str_n(b, s, strlen(s));
}

void tbuf_key(struct tbuf *b, const char *key)
{
	if (b->text.len > 0 && b->text.b[b->text.len - 1] != '{' &&
	    b->text.b[b->text.len - 1] != '[')
		tbuf_raw(b, ",", 1);
	tbuf_raw(b, "\"", 1);
	tbuf_lit(b, key);
	tbuf_raw(b, "\":", 2);
}

void tbuf_free(struct tbuf *b)
{
	if (b->tw != NULL)
		fclose(b->tw);
	bytebuf_free(&b->text);
	memset(b, 0, sizeof(*b));
}

/* The text as `run` prints it, quotes included, in b->tmem: its length, or
 * -1.  Trailing NULs dropped, at most TRACE_TEXT_MAX bytes, cut before a
 * UTF-8 character that would not fit whole. */
static long text_body(struct tbuf *b, const unsigned char *bytes, size_t len)
{
	if (b->tw == NULL && (b->tw = fmemopen(b->tmem, sizeof(b->tmem), "w")) == NULL)
		return -1;
	while (len > 0 && bytes[len - 1] == '\0')
		len--;
	if (len > TRACE_TEXT_MAX) {
		size_t cut = TRACE_TEXT_MAX;

		while (cut > TRACE_TEXT_MAX - 3 && (bytes[cut] & 0xc0) == 0x80)
			cut--;
		len = (bytes[cut] & 0xc0) == 0x80 ? TRACE_TEXT_MAX : cut;
	}
	rewind(b->tw);
	strace_print_string(b->tw, bytes, len, 0);
	if (fflush(b->tw) != 0)
		return -1;
	return ftell(b->tw);
}

void tbuf_text(struct tbuf *b, const unsigned char *bytes, size_t len)
{
	long n = text_body(b, bytes, len);

	if (n < 2) {
		b->failed = 1;
		return;
	}
	tbuf_str_n(b, b->tmem + 1, (size_t)n - 2); /* without the quotes */
}
