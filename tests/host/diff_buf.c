/*
 * diff_buf.c - msgsnd/msgrcv user buffers (see diff_buf.h).
 */
#include "diff_buf.h"
#include "diff_seq.h"

#include <stdlib.h>
#include <string.h>

int diff_buf_init(struct diff_buf *b)
{
	b->snd = calloc(1, sizeof(long) + DIFF_MAX_TEXT);
	b->rcv = calloc(1, sizeof(long) + DIFF_MAX_TEXT);
	if (!b->snd || !b->rcv) {
		diff_buf_fini(b);
		return -1;
	}
	return 0;
}

void diff_buf_fini(struct diff_buf *b)
{
	free(b->snd);
	free(b->rcv);
	b->snd = b->rcv = NULL;
}

void *diff_buf_snd(struct diff_buf *b, long mtype, int step, size_t msgsz)
{
	size_t n = msgsz < DIFF_MAX_TEXT ? msgsz : DIFF_MAX_TEXT;

	memcpy(b->snd, &mtype, sizeof(mtype));
	for (size_t j = 0; j < n; j++)
		b->snd[sizeof(long) + j] = diff_text_byte(step, j);
	return b->snd;
}

unsigned char *diff_buf_snd_text(struct diff_buf *b, size_t msgsz, size_t *len)
{
	*len = msgsz < DIFF_MAX_TEXT ? msgsz : DIFF_MAX_TEXT;
	return b->snd + sizeof(long);
}

unsigned char *diff_buf_rcv(struct diff_buf *b)
{
	return b->rcv;
}
