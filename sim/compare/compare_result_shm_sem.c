/*
 * compare_result_shm_sem.c - the shared-memory and semaphore payloads of a
 * result, compared by the rules of ipcsim/compare.h (compare_result.c does
 * the rest of a result).
 *
 * shmid_ds: perm fields, size and nattch as they are (the model); the key
 * through the bindings; cpid/lpid through the process table; atime, dtime,
 * ctime by relation.  semid_ds: the same, with otime and ctime (the third
 * time slot is unused).  The info structs, GETALL's values and memread's
 * bytes: as they are.
 */
#include <string.h>

#include "compare/compare_int.h"

static void perm_compare(struct compare_backend *cb, FILE *w, int *n, const char *name,
                         const struct ipcsim_ipc_perm *s, const struct ipcsim_ipc_perm *h)
{
	if (!cmp_bind(&cb->keys, s->key, h->key))
		cmp_differs(w, n, "%s.key: %#x is bound to another key", name, s->key);
#define SAME(f, fmt)                                                                   \
	do {                                                                           \
		if (s->f != h->f)                                                      \
			cmp_differs(w, n, "%s." #f ": " fmt " vs " fmt, name, s->f, h->f); \
	} while (0)
	SAME(uid, "%u");
	SAME(gid, "%u");
	SAME(cuid, "%u");
	SAME(cgid, "%u");
	SAME(mode, "%#o");
	SAME(seq, "%u");
#undef SAME
}

static void shm_ds_compare(struct compare_backend *cb, FILE *w, int *n,
                           const struct ipcsim_shmid_ds *s, const struct ipcsim_shmid_ds *h)
{
	static const char *const names[3] = { "shm_atime", "shm_dtime", "shm_ctime" };
	const long st[3] = { s->shm_atime, s->shm_dtime, s->shm_ctime };
	const long ht[3] = { h->shm_atime, h->shm_dtime, h->shm_ctime };

	perm_compare(cb, w, n, "shm_perm", &s->shm_perm, &h->shm_perm);
	if (s->shm_segsz != h->shm_segsz)
		cmp_differs(w, n, "shm_segsz: %zu vs %zu", s->shm_segsz, h->shm_segsz);
	if (s->shm_nattch != h->shm_nattch)
		cmp_differs(w, n, "shm_nattch: %lu vs %lu", s->shm_nattch, h->shm_nattch);
	if (!cmp_pids_agree(cb, s->shm_cpid, h->shm_cpid))
		cmp_differs(w, n, "shm_cpid: %d vs %d", s->shm_cpid, h->shm_cpid);
	if (!cmp_pids_agree(cb, s->shm_lpid, h->shm_lpid))
		cmp_differs(w, n, "shm_lpid: %d vs %d", s->shm_lpid, h->shm_lpid);
	cmp_times_compare(w, n, names, st, ht);
}

static void sem_ds_compare(struct compare_backend *cb, FILE *w, int *n,
                           const struct ipcsim_semid_ds *s, const struct ipcsim_semid_ds *h)
{
	static const char *const names[3] = { "sem_otime", "sem_ctime", "(none)" };
	const long st[3] = { s->sem_otime, s->sem_ctime, 0 };
	const long ht[3] = { h->sem_otime, h->sem_ctime, 0 };

	perm_compare(cb, w, n, "sem_perm", &s->sem_perm, &h->sem_perm);
	if (s->sem_nsems != h->sem_nsems)
		cmp_differs(w, n, "sem_nsems: %lu vs %lu", s->sem_nsems, h->sem_nsems);
	cmp_times_compare(w, n, names, st, ht);
}

static int bytes_agree(const unsigned char *a, size_t la, const unsigned char *b, size_t lb)
{
	return la == lb && (la == 0 || memcmp(a, b, la) == 0);
}

void cmp_ipc_payload_compare(struct compare_backend *cb, FILE *w, int *n,
                             const struct backend_result *s, const struct backend_result *h)
{
	if (s->has_shm_ds != h->has_shm_ds || s->has_sem_ds != h->has_sem_ds ||
	    s->has_shminfo != h->has_shminfo || s->has_shm_info != h->has_shm_info ||
	    s->has_seminfo != h->has_seminfo || (s->semvals == NULL) != (h->semvals == NULL) ||
	    (s->bytes == NULL) != (h->bytes == NULL)) {
		cmp_differs(w, n, "a result structure is filled on one side only");
		return;
	}
	if (s->has_shm_ds)
		shm_ds_compare(cb, w, n, &s->shm_ds, &h->shm_ds);
	if (s->has_sem_ds)
		sem_ds_compare(cb, w, n, &s->sem_ds, &h->sem_ds);
	if (s->has_shminfo)
		cmp_fields_compare(w, n, strace_shminfo_fields, &s->shminfo, &h->shminfo);
	if (s->has_shm_info)
		cmp_fields_compare(w, n, strace_shm_info_fields, &s->shm_info, &h->shm_info);
	if (s->has_seminfo)
		cmp_fields_compare(w, n, strace_seminfo_fields, &s->seminfo, &h->seminfo);
	if (s->semvals != NULL &&
	    !bytes_agree((const unsigned char *)s->semvals, s->nsemvals * sizeof(*s->semvals),
	                 (const unsigned char *)h->semvals, h->nsemvals * sizeof(*h->semvals)))
		cmp_differs(w, n, "the semaphore values differ");
	if (s->bytes != NULL && !bytes_agree(s->bytes, s->nbytes, h->bytes, h->nbytes))
		cmp_differs(w, n, "the bytes read differ");
}
