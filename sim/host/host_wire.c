/*
 * host_wire.c - frames between the host backend's processes (see host_int.h).
 *
 * A frame is u32 header length, u32 blob length, the header, the blob.
 * Stream sockets, so a message text of any size (msgmax can be raised far
 * past a datagram) fits; MSG_NOSIGNAL everywhere, so a peer that died gives
 * -EPIPE instead of killing the sender with SIGPIPE (a scenario process's
 * signal dispositions belong to the scenario).
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host/host_int.h"

/* A blob larger than this is a broken peer, not a message. */
#define HOST_WIRE_MAX_BLOB (1u << 30)

static int send_all(int sock, const unsigned char *p, size_t n, int fd_pass)
{
	while (n > 0) {
		struct iovec iov = { (void *)p, n };
		struct msghdr mh = { 0 };
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} cm;
		ssize_t k;

		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		if (fd_pass >= 0) {
			struct cmsghdr *c;

			memset(&cm, 0, sizeof(cm));
			mh.msg_control = cm.buf;
			mh.msg_controllen = sizeof(cm.buf);
			c = CMSG_FIRSTHDR(&mh);
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			c->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(c), &fd_pass, sizeof(int));
		}
		k = sendmsg(sock, &mh, MSG_NOSIGNAL);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		fd_pass = -1; /* the fd went with the first byte */
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int host_wire_send(int sock, const void *hdr, size_t hlen, const void *blob, size_t blen,
                   int fd_pass)
{
	uint32_t lens[2] = { (uint32_t)hlen, (uint32_t)blen };
	unsigned char *frame;
	int rc;

	frame = malloc(sizeof(lens) + hlen + blen);
	if (frame == NULL)
		return -ENOMEM;
	memcpy(frame, lens, sizeof(lens));
	memcpy(frame + sizeof(lens), hdr, hlen);
	if (blen > 0)
		memcpy(frame + sizeof(lens) + hlen, blob, blen);
	rc = send_all(sock, frame, sizeof(lens) + hlen + blen, fd_pass);
	free(frame);
	return rc;
}

/* Reads exactly n bytes; collects a passed fd into *fd_got. */
static int recv_all(int sock, unsigned char *p, size_t n, int *fd_got)
{
	while (n > 0) {
		struct iovec iov = { p, n };
		struct msghdr mh = { 0 };
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} cm;
		ssize_t k;

		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		k = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (k == 0)
			return -EPIPE;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
			int fd;

			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
				continue;
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
			if (fd_got != NULL && *fd_got < 0)
				*fd_got = fd;
			else
				close(fd);
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int host_wire_recv(int sock, void *hdr, size_t hlen, unsigned char **blob, size_t *blen,
                   int *fd_got)
{
	uint32_t lens[2];
	unsigned char *b;
	int rc;

	*blob = NULL;
	*blen = 0;
	if (fd_got != NULL)
		*fd_got = -1;
	rc = recv_all(sock, (unsigned char *)lens, sizeof(lens), fd_got);
	if (rc < 0)
		return rc;
	if (lens[0] != hlen || lens[1] > HOST_WIRE_MAX_BLOB)
		return -EPROTO;
	rc = recv_all(sock, hdr, hlen, fd_got);
	if (rc < 0)
		return rc;
	b = malloc((size_t)lens[1] + 1);
	if (b == NULL)
		return -ENOMEM;
	rc = recv_all(sock, b, lens[1], fd_got);
	if (rc < 0) {
		free(b);
		return rc;
	}
	b[lens[1]] = '\0';
	*blob = b;
	*blen = lens[1];
	return 0;
}

void host_wire_from_result(struct host_wire_result *w, const struct backend_result *r)
{
	memset(w, 0, sizeof(*w));
	w->ret = r->ret;
	w->err = r->err;
	w->blocked = r->blocked;
	w->has_msg = r->has_msg;
	w->mtype = r->msg.mtype;
	w->has_ds = r->has_ds;
	w->ds = r->ds;
	w->has_info = r->has_info;
	w->info = r->info;
	w->killed = r->killed;
	w->has_shm_ds = r->has_shm_ds;
	w->shm_ds = r->shm_ds;
	w->has_shminfo = r->has_shminfo;
	w->shminfo = r->shminfo;
	w->has_shm_info = r->has_shm_info;
	w->shm_info = r->shm_info;
	w->has_sem_ds = r->has_sem_ds;
	w->sem_ds = r->sem_ds;
	w->has_seminfo = r->has_seminfo;
	w->seminfo = r->seminfo;
	w->has_semvals = r->semvals != NULL;
	w->has_bytes = r->bytes != NULL;
}

void host_wire_to_result(struct backend_result *r, const struct host_wire_result *w,
                         unsigned char **blob, size_t blen)
{
	memset(r, 0, sizeof(*r));
	r->ret = w->ret;
	r->err = w->err;
	r->blocked = w->blocked;
	r->has_ds = w->has_ds;
	r->ds = w->ds;
	r->has_info = w->has_info;
	r->info = w->info;
	r->has_msg = w->has_msg;
	r->killed = w->killed;
	r->has_shm_ds = w->has_shm_ds;
	r->shm_ds = w->shm_ds;
	r->has_shminfo = w->has_shminfo;
	r->shminfo = w->shminfo;
	r->has_shm_info = w->has_shm_info;
	r->shm_info = w->shm_info;
	r->has_sem_ds = w->has_sem_ds;
	r->sem_ds = w->sem_ds;
	r->has_seminfo = w->has_seminfo;
	r->seminfo = w->seminfo;
	/* The blob is one of three payloads; ownership passes to r.  (malloc's
	 * alignment suits an unsigned short array.) */
	if (w->has_msg) {
		r->msg.mtype = w->mtype;
		r->msg.len = blen;
		r->msg.text = *blob;
		*blob = NULL;
	} else if (w->has_semvals && *blob != NULL) {
		r->semvals = (unsigned short *)*blob;
		r->nsemvals = blen / sizeof(unsigned short);
		*blob = NULL;
	} else if (w->has_bytes && *blob != NULL) {
		r->bytes = *blob;
		r->nbytes = blen;
		*blob = NULL;
	}
}

void host_close_fds_except(int keep)
{
	/* close_range (Linux 5.9) in the ranges around keep; /proc as fallback. */
	long rc;

	if (keep < 0)
		rc = syscall(SYS_close_range, 3u, ~0u, 0u);
	else if (keep == 3)
		rc = syscall(SYS_close_range, 4u, ~0u, 0u);
	else {
		rc = syscall(SYS_close_range, 3u, (unsigned)keep - 1, 0u);
		if (rc == 0)
			rc = syscall(SYS_close_range, (unsigned)keep + 1, ~0u, 0u);
	}
	if (rc == 0)
		return;
	DIR *d = opendir("/proc/self/fd");
	if (d == NULL)
		return;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		int fd = atoi(e->d_name);

		if (fd > 2 && fd != keep && fd != dirfd(d))
			close(fd);
	}
	closedir(d);
}
