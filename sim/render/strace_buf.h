/*
 * strace_buf.h - the strace printer (ipcsim/strace.h) appending to a byte
 * buffer: the one implementation, which the FILE * functions of strace.h
 * wrap.  The interpreter builds each step's line in one buffer with these
 * and writes it once.  Out of memory, text is left out and bb->failed set.
 */
#ifndef IPCSIM_RENDER_STRACE_BUF_H
#define IPCSIM_RENDER_STRACE_BUF_H

#include "ipcsim/strace.h"
#include "types/bytebuf.h"

void strace_put_result(struct bytebuf *bb, const char *call, const struct backend_result *r);
void strace_put_resumed(struct bytebuf *bb, const char *call, const struct backend_result *r);
void strace_put_killed(struct bytebuf *bb, int sig);
void strace_put_int(struct bytebuf *bb, long long v, char fmt);
void strace_put_string(struct bytebuf *bb, const unsigned char *b, size_t len,
                       int drop_trailing_nuls);

#endif
