/*
 * host_shell_args.c - the scenario's pids and keys written in a `$` line's
 * arguments, as the real tools must see them, and back in what they print.
 *
 * host_shell_map.c rewrites the real pids and keys a tool prints into the
 * scenario's; this is the other direction, for what the scenario writes:
 *
 *   cat /proc/1000/maps      the scenario's pid 1000 -> the real process
 *                            playing it; a pid the scenario has no live
 *                            process for -> one that cannot exist (a real
 *                            pid of the sandbox, its coordinator or a
 *                            reaped child's successor, must not answer)
 *   ipcrm -Q 0x41112345      an ftok key as the scenario computes it -> the
 *   ipcrm -M KEY, -S KEY,    real file's key (the key map of ftok);
 *     -QKEY, --queue-key=KEY   --shmem-key, --semaphore-key and their
 *                            unambiguous prefixes likewise (not in the old
 *                            form `ipcrm shm|msg|sem ID...`: ids only)
 *
 * Each rewritten text is remembered (as written, as run), because the tools
 * echo arguments in their messages ("cat: /proc/2/maps: Permission
 * denied", "ipcrm: invalid key (0x012b0006)"): the output gets the written
 * text back, only where the run text stands as a whole word part (not
 * inside a longer number or name).  Two written texts run as one text
 * (0x41112345 twice, or 0x41112345 and 0x041112345) are given back in the
 * order written, the order in which the tools echo their arguments.
 *
 * Keys are parsed as ipcrm parses them (strtoul, base 0, the whole word)
 * and handed over in the base they were written in; a word ipcrm would
 * refuse is left alone, so its error is the same on both sides.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_int.h"
#include "ipcsim/shell.h" /* struct shell_words */

/* A pid the scenario has no live process for becomes this plus itself:
 * above PID_MAX_LIMIT (4194304), no process of any namespace has it, and
 * each written pid keeps a text of its own in the tools' messages. */
#define HOST_NO_SUCH_PID 1000000000L

static int subs_add(struct host_shell_subs *s, const char *written, size_t wlen,
                    const char *real)
{
	struct host_shell_sub *bigger = realloc(s->v, (size_t)(s->n + 1) * sizeof(*bigger));

	if (bigger == NULL)
		return -ENOMEM;
	s->v = bigger;
	s->v[s->n].written = strndup(written, wlen);
	s->v[s->n].real = strdup(real);
	if (s->v[s->n].written == NULL || s->v[s->n].real == NULL) {
		free(s->v[s->n].written);
		free(s->v[s->n].real);
		return -ENOMEM;
	}
	s->n++;
	return 0;
}

void host_shell_subs_free(struct host_shell_subs *s)
{
	for (int i = 0; i < s->n; i++) {
		free(s->v[i].written);
		free(s->v[i].real);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* *word with [at, at + len) replaced by real; the old word freed. */
static int splice(char **word, size_t at, size_t len, const char *real)
{
	size_t wl = strlen(*word), rl = strlen(real);
	char *n = malloc(wl - len + rl + 1);

	if (n == NULL)
		return -ENOMEM;
	memcpy(n, *word, at);
	memcpy(n + at, real, rl);
	memcpy(n + at + rl, *word + at + len, wl - at - len + 1);
	free(*word);
	*word = n;
	return 0;
}

/* "/proc/PID/maps" (the only /proc/PID path a line may name): the pid as
 * the scenario wrote it, canonical decimal only ("/proc/01000" is no
 * process on Linux either, and stays as written). */
static int map_proc_word(char **word, const struct host_shell_maps *m,
                         struct host_shell_subs *subs)
{
	const char *p, *end;
	char real[32], *written = NULL;
	long spid, rpid;
	int rc = 0;

	if (strncmp(*word, "/proc/", 6) != 0)
		return 0;
	p = *word + 6;
	if (*p < '1' || *p > '9')
		return 0;
	for (end = p; isdigit((unsigned char)*end); end++)
		;
	if (*end != '/' || end - p > 9)
		return 0;
	spid = strtol(p, NULL, 10);
	rpid = m->pid_to_real(m->ctx, spid);
	snprintf(real, sizeof(real), "%ld", rpid > 0 ? rpid : HOST_NO_SUCH_PID + spid);
	/* the tools echo the whole path: it is remembered whole */
	written = strdup(*word);
	if (written == NULL)
		return -ENOMEM;
	rc = splice(word, 6, (size_t)(end - p), real);
	if (rc < 0)
		goto out;
	if (strcmp(written, *word) != 0)
		rc = subs_add(subs, written, strlen(written), *word);
out:
	free(written);
	return rc;
}

/* The key text at [at, at + len) of *word, mapped when ftok made it. */
static int map_key_text(char **word, size_t at, size_t len, const struct host_shell_maps *m,
                        struct host_shell_subs *subs)
{
	char text[64], real[16], *end;
	unsigned long v;
	uint32_t skey, rkey;

	if (len == 0 || len >= sizeof(text))
		return 0;
	memcpy(text, *word + at, len);
	text[len] = '\0';
	errno = 0;
	v = strtoul(text, &end, 0);
	if (errno != 0 || *end != '\0')
		return 0; /* ipcrm refuses it: the same words on both sides */
	skey = (uint32_t)v;
	rkey = m->key_to_real(m->ctx, skey);
	if (rkey == skey)
		return 0;
	/* in the base it was written in, so that two spellings stay two texts */
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		snprintf(real, sizeof(real), "0x%08x", rkey);
	else if (text[0] == '0')
		snprintf(real, sizeof(real), "0%o", rkey);
	else
		snprintf(real, sizeof(real), "%u", rkey);
	if (splice(word, at, len, real) < 0 || subs_add(subs, text, len, real) < 0)
		return -ENOMEM;
	return 0;
}

/* ipcrm's long options that take a key, and the others (for prefixes). */
static const char *const ipcrm_longs[] = {
	"queue-key", "shmem-key", "semaphore-key", /* keys: the first three */
	"queue-id", "shmem-id", "semaphore-id", "all", "verbose", "help", "version", NULL,
};

/* The long option name[0, n) as getopt_long resolves it: its index in
 * ipcrm_longs (exact, or the one option it is a prefix of), or -1. */
static int ipcrm_long(const char *name, size_t n)
{
	int found = -1;

	for (int i = 0; ipcrm_longs[i] != NULL; i++) {
		if (strncmp(ipcrm_longs[i], name, n) != 0)
			continue;
		if (strlen(ipcrm_longs[i]) == n)
			return i;
		if (found >= 0)
			return -1; /* ambiguous: getopt refuses it */
		found = i;
	}
	return found;
}

/*
 * ipcrm's arguments as its getopt_long ("q:m:s:Q:M:S:a::vhV") reads them:
 * the key arguments of -Q -M -S and their long forms are mapped.
 */
static int map_ipcrm(struct shell_words *w, int from, const struct host_shell_maps *m,
                     struct host_shell_subs *subs)
{
	for (int i = from; i < w->n; i++) {
		char *a = w->v[i];

		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--", 2) == 0) {
			const char *eq = strchr(a, '=');
			size_t n = eq != NULL ? (size_t)(eq - a - 2) : strlen(a + 2);
			int opt = ipcrm_long(a + 2, n);

			if (opt < 0 || opt >= 6)
				continue;
			if (eq != NULL) {
				if (opt < 3 && map_key_text(&w->v[i], (size_t)(eq - a + 1),
				                            strlen(eq + 1), m, subs) < 0)
					return -ENOMEM;
			} else if (i + 1 < w->n) {
				i++; /* the option's argument */
				if (opt < 3 && map_key_text(&w->v[i], 0, strlen(w->v[i]), m, subs) < 0)
					return -ENOMEM;
			}
			continue;
		}
		if (a[0] != '-' || a[1] == '\0')
			continue; /* an operand: `ipcrm shm ID` takes ids */
		for (size_t k = 1; a[k] != '\0'; k++) {
			int is_key = strchr("QMS", a[k]) != NULL;

			if (a[k] == 'a')
				break; /* its optional argument is the rest of the word */
			if (strchr("qmsQMS", a[k]) == NULL)
				continue;
			if (a[k + 1] != '\0') {
				if (is_key && map_key_text(&w->v[i], k + 1, strlen(a + k + 1), m, subs) < 0)
					return -ENOMEM;
			} else if (i + 1 < w->n) {
				i++;
				if (is_key && map_key_text(&w->v[i], 0, strlen(w->v[i]), m, subs) < 0)
					return -ENOMEM;
			}
			break;
		}
	}
	return 0;
}

int host_shell_args_map(struct shell_words *w, int first, const struct host_shell_maps *m,
                        struct host_shell_subs *subs)
{
	if (m == NULL || first >= w->n)
		return 0;
	if (strcmp(w->v[first], "ipcrm") == 0) {
		const char *mode = first + 1 < w->n ? w->v[first + 1] : "";

		/* `ipcrm shm|msg|sem ID...`, the old form: every word is an id */
		if (strcmp(mode, "shm") == 0 || strcmp(mode, "msg") == 0 || strcmp(mode, "sem") == 0)
			return 0;
		return map_ipcrm(w, first + 1, m, subs);
	}
	if (strcmp(w->v[first], "cat") == 0) {
		for (int i = first + 1; i < w->n; i++)
			if (map_proc_word(&w->v[i], m, subs) < 0)
				return -ENOMEM;
	}
	return 0;
}

/* Whether c may continue or begin a number or a name next to a replaced
 * text (then the text found is part of something longer). */
static int word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

char *host_shell_args_unmap(const char *out, size_t len, const struct host_shell_subs *subs,
                            size_t *newlen)
{
	char *buf = NULL;
	size_t blen = 0, i = 0;
	int *uses = NULL;
	FILE *w;

	if (subs->n == 0)
		return NULL;
	uses = calloc((size_t)subs->n, sizeof(*uses));
	w = uses != NULL ? open_memstream(&buf, &blen) : NULL;
	if (w == NULL) {
		free(uses);
		return NULL;
	}
	while (i < len) {
		int pick = -1;

		for (int k = 0; k < subs->n; k++) {
			const char *real = subs->v[k].real;
			size_t rl = strlen(real);

			if (rl > len - i || memcmp(out + i, real, rl) != 0 ||
			    (i > 0 && word_char(out[i - 1])) || (i + rl < len && word_char(out[i + rl])))
				continue;
			/* the first not given back yet, else the last of that text */
			if (pick < 0 || uses[pick] > 0)
				pick = k;
			if (uses[k] == 0)
				break;
		}
		if (pick < 0) {
			fputc(out[i++], w);
			continue;
		}
		uses[pick]++;
		fputs(subs->v[pick].written, w);
		i += strlen(subs->v[pick].real);
	}
	fclose(w);
	free(uses);
	*newlen = blen;
	return buf;
}
