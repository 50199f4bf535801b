/*
 * show_mem.c - a segment's written bytes as the diagrams show them
 * (render_shm_regions): the kernel says how each 8-byte cell was last
 * written (sim_shm_written); here copied bytes are split into what reads as
 * text and what does not.
 *
 * Runs come cut where the writer changes, so each region has one writer.
 * A run of copied bytes is cut at its NULs into stretches: a stretch of
 * printable characters is text ("hello", the NUL after it not shown), any
 * other stretch is hex, and hex stretches separated only by NULs are one
 * hex region (binary data has zeros in it).  A run that is all NULs is one
 * hex region: zeros written on purpose are still written.  Bytes are read a
 * window at a time, and only the first SCAN_MAX bytes of a run are looked
 * at (the rest is hex): a drawing costs little whatever a scenario writes.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "render/show_int.h"

#define WINDOW 4096
#define SCAN_MAX ((size_t)1 << 20)

struct regions {
	const struct sim_kernel *k;
	int shmid;
	int (*cb)(void *ctx, const struct render_mem_region *r);
	void *ctx;
	struct render_mem_region pending; /* len 0: none */
	int pid;                          /* the writer of the run being scanned */
	int rc;
};

static bool printable(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t';
}

static void flush(struct regions *x)
{
	if (x->pending.len > 0 && x->rc == 0)
		x->rc = x->cb(x->ctx, &x->pending);
	x->pending.len = 0;
}

/* A stretch [off, off + len) of non-NUL bytes, text or not. */
static void stretch(struct regions *x, size_t off, size_t len, bool text)
{
	struct render_mem_region *p = &x->pending;

	if (!text && p->len > 0 && p->kind == RENDER_MEM_HEX) {
		p->len = off + len - p->off; /* the NULs between are part of it */
		return;
	}
	flush(x);
	p->off = off;
	p->len = len;
	p->kind = text ? RENDER_MEM_TEXT : RENDER_MEM_HEX;
	p->pid = x->pid;
}

static void scan_bytes(struct regions *x, size_t off, size_t len)
{
	unsigned char buf[WINDOW];
	size_t start = 0, scanned = len < SCAN_MAX ? len : SCAN_MAX;
	bool in = false, text = true, any = false;

	for (size_t done = 0; done < scanned && x->rc == 0; done += WINDOW) {
		size_t n = scanned - done < WINDOW ? scanned - done : WINDOW;

		if (sim_shm_peek(x->k, x->shmid, off + done, buf, n) < 0) {
			x->rc = -EINVAL;
			return;
		}
		for (size_t i = 0; i < n; i++) {
			size_t at = off + done + i;

			if (buf[i] == '\0') {
				if (in)
					stretch(x, start, at - start, text);
				in = false;
				continue;
			}
			if (!in) {
				in = any = true;
				start = at;
				text = true;
			}
			text = text && printable(buf[i]);
		}
	}
	if (in)
		stretch(x, start, off + scanned - start, text);
	if (scanned < len)
		stretch(x, off + scanned, len - scanned, false);
	else if (!any)
		stretch(x, off, len, false); /* written zeros */
	flush(x);
}

static int on_run(void *ctx, const struct sim_mem_run_view *r)
{
	struct regions *x = ctx;

	x->pid = r->pid;
	if (r->kind == SIM_MEM_LONG) {
		x->pending = (struct render_mem_region){ r->off, r->len, RENDER_MEM_LONG, r->pid };
		flush(x);
	} else {
		scan_bytes(x, r->off, r->len);
	}
	return x->rc;
}

int render_shm_regions(const struct sim_kernel *k, int shmid,
                       int (*cb)(void *ctx, const struct render_mem_region *r), void *ctx)
{
	struct regions x = { k, shmid, cb, ctx, { 0, 0, RENDER_MEM_HEX, 0 }, 0, 0 };
	int rc;

	if (k == NULL || cb == NULL)
		return -EINVAL;
	rc = sim_shm_written(k, shmid, on_run, &x);
	return rc < 0 && x.rc == 0 ? rc : x.rc;
}
