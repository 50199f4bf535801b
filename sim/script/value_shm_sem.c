/*
 * value_shm_sem.c - the shared-memory and semaphore structs as runtime values:
 * shmid_ds, shminfo, shm_info, semid_ds, seminfo as struct trees with
 * glibc's field names in strace's order (FORMATS.md §3), GETALL's values as
 * an array, and the overlays a partial IPC_SET applies to the current state.
 *
 * shmmax and shmall are unsigned long with a default above LLONG_MAX, so
 * the unsigned fields print as unsigned ('u'); a scenario compares them by
 * their 64 bits, which is how the lexer stores such a literal.
 */
#include <stdlib.h>
#include <string.h>

#include "script/interp_int.h"

int value_set_perm(struct value *v, const char *prefix, const struct ipcsim_ipc_perm *p)
{
	static const char *const names[] = { "uid", "gid", "mode", "key", "cuid", "cgid", "seq" };
	long long vals[] = { p->uid, p->gid, p->mode, p->key, p->cuid, p->cgid, p->seq };
	char path[64];
	int rc = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s.%s", prefix, names[i]);
		rc |= value_set_int(v, path, vals[i], i == 2 ? 'o' : 'd');
	}
	return rc;
}

static int finish(struct value *v, int rc)
{
	if (rc != 0)
		value_free(v);
	return rc != 0 ? -1 : 0;
}

int value_from_shmid_ds(struct value *v, const struct ipcsim_shmid_ds *ds)
{
	int rc;

	memset(v, 0, sizeof(*v));
	v->kind = V_STRUCT;
	rc = value_set_perm(v, "shm_perm", &ds->shm_perm);
	rc |= value_set_int(v, "shm_segsz", (long long)ds->shm_segsz, 'u');
	rc |= value_set_int(v, "shm_cpid", ds->shm_cpid, 'd');
	rc |= value_set_int(v, "shm_lpid", ds->shm_lpid, 'd');
	rc |= value_set_int(v, "shm_nattch", (long long)ds->shm_nattch, 'u');
	rc |= value_set_int(v, "shm_atime", ds->shm_atime, 'd');
	rc |= value_set_int(v, "shm_dtime", ds->shm_dtime, 'd');
	rc |= value_set_int(v, "shm_ctime", ds->shm_ctime, 'd');
	return finish(v, rc);
}

int value_from_shminfo(struct value *v, const struct ipcsim_shminfo *info)
{
	int rc = 0;

	memset(v, 0, sizeof(*v));
	v->kind = V_STRUCT;
	rc |= value_set_int(v, "shmmax", (long long)info->shmmax, 'u');
	rc |= value_set_int(v, "shmmin", (long long)info->shmmin, 'u');
	rc |= value_set_int(v, "shmmni", (long long)info->shmmni, 'u');
	rc |= value_set_int(v, "shmseg", (long long)info->shmseg, 'u');
	rc |= value_set_int(v, "shmall", (long long)info->shmall, 'u');
	return finish(v, rc);
}

int value_from_shm_info(struct value *v, const struct ipcsim_shm_info *info)
{
	int rc = 0;

	memset(v, 0, sizeof(*v));
	v->kind = V_STRUCT;
	rc |= value_set_int(v, "used_ids", info->used_ids, 'd');
	rc |= value_set_int(v, "shm_tot", (long long)info->shm_tot, 'u');
	rc |= value_set_int(v, "shm_rss", (long long)info->shm_rss, 'u');
	rc |= value_set_int(v, "shm_swp", (long long)info->shm_swp, 'u');
	rc |= value_set_int(v, "swap_attempts", (long long)info->swap_attempts, 'u');
	rc |= value_set_int(v, "swap_successes", (long long)info->swap_successes, 'u');
	return finish(v, rc);
}

int value_from_semid_ds(struct value *v, const struct ipcsim_semid_ds *ds)
{
	int rc;

	memset(v, 0, sizeof(*v));
	v->kind = V_STRUCT;
	rc = value_set_perm(v, "sem_perm", &ds->sem_perm);
	rc |= value_set_int(v, "sem_otime", ds->sem_otime, 'd');
	rc |= value_set_int(v, "sem_ctime", ds->sem_ctime, 'd');
	rc |= value_set_int(v, "sem_nsems", (long long)ds->sem_nsems, 'u');
	return finish(v, rc);
}

int value_from_seminfo(struct value *v, const struct ipcsim_seminfo *info)
{
	static const char *const names[] = { "semmap", "semmni", "semmns", "semmnu", "semmsl",
	                                     "semopm", "semume", "semusz", "semvmx", "semaem" };
	const int vals[] = { info->semmap, info->semmni, info->semmns, info->semmnu, info->semmsl,
	                     info->semopm, info->semume, info->semusz, info->semvmx, info->semaem };
	int rc = 0;

	memset(v, 0, sizeof(*v));
	v->kind = V_STRUCT;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		rc |= value_set_int(v, names[i], vals[i], 'd');
	return finish(v, rc);
}

int value_from_semvals(struct value *v, const unsigned short *vals, size_t n)
{
	memset(v, 0, sizeof(*v));
	v->kind = V_ARRAY;
	if (n == 0)
		return 0;
	v->items = calloc(n, sizeof(*v->items));
	if (v->items == NULL)
		return -1;
	v->nitems = (int)n;
	for (size_t i = 0; i < n; i++) {
		v->items[i].kind = V_INT;
		v->items[i].i = vals[i];
	}
	return 0;
}

/* The value at path if v names it as an integer, else *to unchanged. */
static void overlay(const struct value *v, const char *path, long long *to)
{
	struct value *f = value_field((struct value *)v, path);

	if (f != NULL && f->kind == V_INT)
		*to = f->i;
}

static void overlay_perm(const struct value *v, const char *prefix, struct ipcsim_ipc_perm *p)
{
	char path[64];
	long long uid = p->uid, gid = p->gid, mode = p->mode;

	snprintf(path, sizeof(path), "%s.uid", prefix);
	overlay(v, path, &uid);
	snprintf(path, sizeof(path), "%s.gid", prefix);
	overlay(v, path, &gid);
	snprintf(path, sizeof(path), "%s.mode", prefix);
	overlay(v, path, &mode);
	p->uid = (unsigned)uid;
	p->gid = (unsigned)gid;
	p->mode = (unsigned)mode;
}

/* IPC_SET reads only uid, gid and mode (ipc/shm.c shmctl_down): the rest
 * of a literal is accepted, as C would compile it, and ignored. */
void value_to_shmid_ds(const struct value *v, struct ipcsim_shmid_ds *ds)
{
	overlay_perm(v, "shm_perm", &ds->shm_perm);
}

void value_to_semid_ds(const struct value *v, struct ipcsim_semid_ds *ds)
{
	overlay_perm(v, "sem_perm", &ds->sem_perm);
}
