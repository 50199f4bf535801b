/*
 * diff_buf.h - the user buffers of msgsnd/msgrcv, the same bytes for both
 * sides: a `long mtype` followed by the text.
 *
 * Allocated once, before any fork (the host children must not call malloc).
 * Sizes above DIFF_MAX_TEXT are only ever generated where the kernel refuses
 * them before touching the buffer (msgsz > msgmax, (long)msgsz < 0).
 */
#ifndef IPCSIM_DIFF_BUF_H
#define IPCSIM_DIFF_BUF_H

#include <stddef.h>

#define DIFF_MAX_TEXT (1u << 17)

struct diff_buf {
	unsigned char *snd, *rcv; /* sizeof(long) + DIFF_MAX_TEXT each */
};

/* 0 or -1 (out of memory). */
int diff_buf_init(struct diff_buf *b);
void diff_buf_fini(struct diff_buf *b);

/* The send buffer for step `step`: mtype, then min(msgsz, DIFF_MAX_TEXT) pattern bytes. */
void *diff_buf_snd(struct diff_buf *b, long mtype, int step, size_t msgsz);
/* The text part of the send buffer and how many bytes of it are real. */
unsigned char *diff_buf_snd_text(struct diff_buf *b, size_t msgsz, size_t *len);
unsigned char *diff_buf_rcv(struct diff_buf *b);

#endif
