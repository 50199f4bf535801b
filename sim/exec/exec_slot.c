/*
 * exec_slot.c - the server's side of each process's request slot
 * (preload_wire.h): made at the process's hello and sent with the bell,
 * a request taken out of it, a reply written into it.
 *
 * The slot is memory the program can write, so nothing is used in place:
 * a request is copied into the server's own memory first and checked
 * there (the library's state word, flags and header are only hints of
 * what to look at; the server keeps its own record of whether the process
 * is in a call).  The memfd is sealed against shrinking, so the server's
 * mapping can never lose its pages under it (no SIGBUS).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec/exec_int.h"

#define SLOT_MAX (sizeof(struct wire_slot) + WIRE_MAX_PAYLOAD)

static size_t room(const struct exec_proc *p)
{
	return p->slot_bytes - sizeof(struct wire_slot);
}

/* Maps the slot as large as its memfd is (at most SLOT_MAX). */
static int slot_map(struct exec_proc *p)
{
	struct stat st;
	size_t want;
	void *m;

	if (fstat(p->slot_fd, &st) < 0 || (size_t)st.st_size < sizeof(struct wire_slot))
		return -1;
	want = (size_t)st.st_size < SLOT_MAX ? (size_t)st.st_size : SLOT_MAX;
	if (p->slot && want <= p->slot_bytes)
		return 0;
	m = p->slot ? mremap(p->slot, p->slot_bytes, want, MREMAP_MAYMOVE)
	            : mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_SHARED, p->slot_fd, 0);
	if (m == MAP_FAILED)
		return -1;
	p->slot = m;
	p->slot_bytes = want;
	return 0;
}

void exec_slot_free(struct exec_proc *p)
{
	if (p->slot)
		munmap(p->slot, p->slot_bytes);
	if (p->slot_fd >= 0)
		close(p->slot_fd);
	p->slot = NULL;
	p->slot_bytes = 0;
	p->slot_fd = -1;
	p->in_call = 0;
	free(p->in);
	p->in = NULL;
	p->in_cap = 0;
}

int exec_slot_hello(struct exec_server *s, struct exec_proc *p, int conn)
{
	struct wire_rep rep = { .magic = WIRE_MAGIC };
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(2 * sizeof(int))];
	} ctl;
	struct iovec iov = { &rep, sizeof(rep) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b,
	                     .msg_controllen = sizeof(ctl.b) };
	struct cmsghdr *c;
	int fds[2];

	exec_slot_free(p); /* execve: the old image's slot is gone with it */
	p->slot_fd = memfd_create("ipcsim-slot", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (p->slot_fd < 0 ||
	    ftruncate(p->slot_fd, (off_t)(sizeof(struct wire_slot) + WIRE_SLOT_FIRST)) < 0 ||
	    fcntl(p->slot_fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_SEAL) < 0 || slot_map(p) < 0) {
		exec_slot_free(p);
		return -1;
	}
	memset(&ctl, 0, sizeof(ctl));
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	fds[0] = p->slot_fd;
	fds[1] = s->bell_fd;
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	/* A hello's reply is small: it fits the socket's buffer at once. */
	return sendmsg(conn, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) == (ssize_t)sizeof(rep) ? 0 : -1;
}

/* The library said a request is written and the server has not taken one. */
int exec_slot_posted(const struct exec_proc *p)
{
	return p->slot && !p->in_call &&
	       __atomic_load_n(&p->slot->state, __ATOMIC_ACQUIRE) == WIRE_SLOT_REQ;
}

int exec_slot_cancelled(const struct exec_proc *p)
{
	return p->slot && p->blocked && __atomic_load_n(&p->slot->cancel, __ATOMIC_ACQUIRE);
}

int exec_slot_take(struct exec_proc *p, struct wire_req *q, const unsigned char **payload)
{
	if (!exec_slot_posted(p))
		return 0;
	memcpy(q, &p->slot->req, sizeof(*q));
	p->in_call = 1;
	*payload = NULL;
	if (q->magic != WIRE_MAGIC || q->len > WIRE_MAX_PAYLOAD ||
	    (q->len > room(p) && (slot_map(p) < 0 || q->len > room(p))))
		return -1;
	if (q->len > p->in_cap) {
		unsigned char *n = realloc(p->in, q->len);

		if (!n)
			return -1;
		p->in = n;
		p->in_cap = q->len;
	}
	if (q->len)
		memcpy(p->in, p->slot->data, q->len);
	*payload = p->in;
	return 1;
}

void exec_slot_blocked(struct exec_proc *p)
{
	if (p->slot)
		__atomic_store_n(&p->slot->state, WIRE_SLOT_BLOCKED, __ATOMIC_RELEASE);
}

int exec_slot_reply(struct exec_proc *p, const struct wire_rep *rep, const void *a, size_t alen,
                    const void *b, size_t blen)
{
	size_t len = alen + blen;

	p->in_call = 0;
	if (!p->slot)
		return 0;
	if (len > WIRE_MAX_PAYLOAD)
		return -1;
	if (len > room(p)) {
		size_t want = (sizeof(struct wire_slot) + len + 4095) & ~(size_t)4095;
		struct stat st;

		/* the memfd may be larger already (the library grew it) */
		if ((fstat(p->slot_fd, &st) < 0 || (size_t)st.st_size < want) &&
		    ftruncate(p->slot_fd, (off_t)want) < 0)
			return -1;
		if (slot_map(p) < 0)
			return -1;
	}
	memcpy(&p->slot->rep, rep, sizeof(*rep));
	p->slot->rep.len = (uint32_t)len;
	if (alen)
		memcpy(p->slot->data, a, alen);
	if (blen)
		memcpy(p->slot->data + alen, b, blen);
	__atomic_store_n(&p->slot->state, WIRE_SLOT_REP, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&p->slot->client_sleeps, __ATOMIC_SEQ_CST))
		syscall(SYS_futex, &p->slot->state, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	return 0;
}

void exec_slot_server_sleeps(struct exec_server *s, int sleeps)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].slot)
			__atomic_store_n(&s->procs[i].slot->server_sleeps, (uint32_t)sleeps,
			                 __ATOMIC_SEQ_CST);
}
