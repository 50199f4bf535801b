/*
 * undo.c - the kernel's undo log: marks, rewind, release.
 *
 * While a mark is set, every change to kernel memory that existed at the
 * mark is preceded by a copy of the bytes it overwrites (sim_undo_save), an
 * object allocated is noted (so rewinding frees it) and an object freed is
 * not freed but noted (so rewinding finds it as it was).  Rewinding to a
 * mark plays the log back from the end to the mark: every saved range gets
 * its old bytes, every object allocated since goes.  Releasing the
 * outermost mark frees what was freed under it and empties the log.  So a
 * rewind costs what changed since its mark, and a kernel without marks
 * pays one test per change.
 *
 * Entries are kept back to back in one byte buffer, each followed by its
 * own size, so the log can be read from the end:
 *
 *   | kind | len | addr | len bytes (padded to 8) | size of the entry |
 *
 * Events (sim_event_next) are not logged: a mark needs an empty event queue,
 * and a rewind drops the events made after the mark with the wake-ups that
 * made them.  Buffers handed to the caller (a received message's text) are
 * the caller's and never logged (sim_alloc_out).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

enum undo_kind { UNDO_SAVE, UNDO_ALLOC, UNDO_FREE };

struct undo_head {
	unsigned kind;
	unsigned len;
	void *addr;
};

#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

/* Room for n more bytes of log; aborts when memory runs out, as an event
 * push does: a change that has happened must be undoable. */
static unsigned char *log_room(struct sim_undo *u, size_t n)
{
	unsigned char *room = bytebuf_room(&u->log, n);

	if (!room)
		abort();
	return room;
}

static void log_push(struct sim_undo *u, enum undo_kind kind, void *addr, const void *bytes,
                     size_t len)
{
	size_t size = sizeof(struct undo_head) + ALIGN8(len) + sizeof(size_t);
	unsigned char *e = log_room(u, size);
	struct undo_head h = { kind, (unsigned)len, addr };

	memcpy(e, &h, sizeof(h));
	if (len)
		memcpy(e + sizeof(h), bytes, len);
	memcpy(e + size - sizeof(size_t), &size, sizeof(size));
	u->log.len += size;
}

void sim_undo_record(struct sim_kernel *k, void *p, size_t n)
{
	/* larger ranges are saved in pieces: len is 32 bits */
	while (n > 0) {
		size_t piece = n < (1u << 30) ? n : (1u << 30);

		log_push(&k->undo, UNDO_SAVE, p, p, piece);
		p = (unsigned char *)p + piece;
		n -= piece;
	}
}

void sim_undo_alloced(struct sim_kernel *k, void *p)
{
	if (p && k->undo.nmarks)
		log_push(&k->undo, UNDO_ALLOC, p, NULL, 0);
}

void sim_free(struct sim_kernel *k, void *p)
{
	if (!p)
		return;
	if (k->undo.nmarks)
		log_push(&k->undo, UNDO_FREE, p, NULL, 0);
	else
		free(p);
}

/* Plays the log back from its end down to offset `to`. */
static void log_rewind(struct sim_undo *u, size_t to)
{
	while (u->log.len > to) {
		size_t size;
		struct undo_head h;
		const char *e;

		memcpy(&size, u->log.b + u->log.len - sizeof(size_t), sizeof(size));
		e = u->log.b + u->log.len - size;
		memcpy(&h, e, sizeof(h));
		if (h.kind == UNDO_SAVE)
			memcpy(h.addr, e + sizeof(h), h.len);
		else if (h.kind == UNDO_ALLOC)
			free(h.addr);
		u->log.len -= size;
	}
}

/* The outermost mark goes: what was freed under it is freed now. */
static void log_commit(struct sim_undo *u)
{
	size_t at = 0;

	while (at < u->log.len) {
		struct undo_head h;
		size_t size;

		memcpy(&h, u->log.b + at, sizeof(h));
		size = sizeof(h) + ALIGN8(h.len) + sizeof(size_t);
		if (h.kind == UNDO_FREE)
			free(h.addr);
		at += size;
	}
	u->log.len = 0;
}

long sim_kernel_mark(struct sim_kernel *k)
{
	struct sim_undo *u = &k->undo;

	if (k->ev_head)
		return -EBUSY;
	if (u->nmarks == u->capmarks) {
		size_t cap = u->capmarks ? u->capmarks * 2 : 16;
		size_t *grown = realloc(u->marks, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		u->marks = grown;
		u->capmarks = cap;
	}
	u->marks[u->nmarks++] = u->log.len;
	return (long)u->nmarks;
}

int sim_kernel_rewind(struct sim_kernel *k, long mark)
{
	struct sim_undo *u = &k->undo;
	struct sim_event ev;

	if (mark < 1 || (size_t)mark > u->nmarks)
		return -EINVAL;
	/* the wake-ups being undone take their events with them */
	while (sim_event_next(k, &ev))
		sim_msgbuf_release(&ev.msg);
	log_rewind(u, u->marks[mark - 1]);
	u->nmarks = (size_t)mark;
	return 0;
}

int sim_kernel_release(struct sim_kernel *k, long mark)
{
	struct sim_undo *u = &k->undo;

	if (mark < 1 || (size_t)mark > u->nmarks)
		return -EINVAL;
	u->nmarks = (size_t)mark - 1;
	if (u->nmarks == 0)
		log_commit(u);
	return 0;
}

size_t sim_kernel_undo_bytes(const struct sim_kernel *k)
{
	return k->undo.log.len;
}

void sim_undo_destroy(struct sim_kernel *k)
{
	if (k->undo.nmarks) {
		/* the kernel goes as it is now: frees deferred by marks happen */
		k->undo.nmarks = 0;
		log_commit(&k->undo);
	}
	bytebuf_free(&k->undo.log);
	free(k->undo.marks);
	memset(&k->undo, 0, sizeof(k->undo));
}
