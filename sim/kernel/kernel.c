/*
 * kernel.c - the simulated kernel's lifetime, limits, clock, allocator and
 * event queue.
 *
 * One struct sim_kernel is one IPC namespace (Linux's struct ipc_namespace):
 * the limits live here, as ns->msg_ctlmax etc. do, so nothing is global.
 * Every allocation goes through sim_alloc so tests can make the N-th one
 * fail (Lua's failnext, SQLite's COUNT'th call) and check that the call that
 * needed it returns -ENOMEM with nothing changed.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"

/* Linux 6.1 defaults: ipc/msg.c msg_init_ns, ipc/shm.c, ipc/sem.c, uapi headers. */
static const struct sim_limits default_limits = {
	.msgmax = 8192,
	.msgmnb = 16384,
	.msgmni = 32000,
	.shmmax = (long long)(~0ULL - (1ULL << 24)), /* ULONG_MAX - 2^24, as a bit pattern */
	.shmall = (long long)(~0ULL - (1ULL << 24)),
	.shmmni = 4096,
	.semmsl = 32000,
	.semmns = 1024000000,
	.semopm = 500,
	.semmni = 32000,
	.msgpool = 0,
	.msgssz = 16,
};

const char *const sim_limit_names[] = {
	"msgmax", "msgmnb", "msgmni", "shmmax", "shmall", "shmmni",
	"semmsl", "semmns", "semopm", "semmni", "msgpool", "msgssz", NULL,
};

/* The fault injection's verdict on the next allocation: false makes it fail. */
static bool alloc_allowed(struct sim_kernel *k, size_t n)
{
	if (n > SIM_ALLOC_MAX)
		return false;
	return !(k->fail_alloc_countdown && --k->fail_alloc_countdown == 0);
}

void *sim_alloc(struct sim_kernel *k, size_t n)
{
	void *p;

	if (!alloc_allowed(k, n))
		return NULL;
	p = calloc(1, n ? n : 1);
	sim_undo_alloced(k, p);
	return p;
}

void *sim_realloc(struct sim_kernel *k, void *p, size_t oldn, size_t n)
{
	void *q;

	if (!alloc_allowed(k, n))
		return NULL;
	if (!k->undo.nmarks)
		return realloc(p, n ? n : 1);
	/* under a mark the old block must survive for a rewind */
	q = malloc(n ? n : 1);
	if (!q)
		return NULL;
	if (p)
		memcpy(q, p, oldn < n ? oldn : n);
	sim_undo_alloced(k, q);
	sim_free(k, p);
	return q;
}

void *sim_alloc_bytes(struct sim_kernel *k, size_t n)
{
	void *p;

	if (!alloc_allowed(k, n))
		return NULL;
	p = malloc(n ? n : 1);
	sim_undo_alloced(k, p);
	return p;
}

void *sim_alloc_out(struct sim_kernel *k, size_t n)
{
	if (!alloc_allowed(k, n))
		return NULL;
	return malloc(n ? n : 1);
}

/*
 * Under AddressSanitizer the caches pass through to calloc and free, so a
 * use after free of a record or waiter is still caught.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SIM_CACHE_PASSTHROUGH 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIM_CACHE_PASSTHROUGH 1
#endif
#endif

void *sim_cache_take_slow(struct sim_kernel *k, struct sim_cache *c)
{
	void *p;

	if (!alloc_allowed(k, c->size))
		return NULL;
	p = c->head;
	if (!p || k->undo.nmarks) {
		/* under a mark the free list stays as it is: a rewind frees p */
		p = malloc(c->size);
		sim_undo_alloced(k, p);
		return p;
	}
	c->head = *(void **)p;
	return p;
}

void *sim_cache_get(struct sim_kernel *k, struct sim_cache *c)
{
	void *p = sim_cache_take(k, c);

	if (p)
		memset(p, 0, c->size);
	return p;
}

void sim_cache_put(struct sim_kernel *k, struct sim_cache *c, void *p)
{
	if (!p)
		return;
	if (k->undo.nmarks) {
		sim_free(k, p);
		return;
	}
#ifdef SIM_CACHE_PASSTHROUGH
	free(p);
#else
	*(void **)p = c->head;
	c->head = p;
#endif
}

static void cache_destroy(struct sim_cache *c)
{
	while (c->head) {
		void *next = *(void **)c->head;

		free(c->head);
		c->head = next;
	}
}

/* Not kernel state: a test's knob, never rewound. */
void sim_kernel_fail_alloc_after(struct sim_kernel *k, unsigned long n)
{
	k->fail_alloc_countdown = n;
}

struct sim_kernel *sim_kernel_new(void)
{
	struct sim_kernel *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->limits = default_limits;
	k->now = SIM_EPOCH;
	k->shm_mem_cap = SIM_SHM_MEM_CAP;
	k->max_map_count = SIM_MAX_MAP_COUNT;
	k->next_pid = SIM_FIRST_PID;
	k->shell.pid = 0;
	k->shell.state = SIM_PROC_RUNNING;
	k->rec_cache.size = sizeof(struct msg_rec);
	k->bucket_cache.size = sizeof(struct msg_type_bucket);
	k->sender_cache.size = sizeof(struct msg_sender);
	k->receiver_cache.size = sizeof(struct msg_receiver);
	sim_ipc_init_ids(&k->msg_ids);
	sim_ipc_init_ids(&k->shm_ids);
	sim_ipc_init_ids(&k->sem_ids);
	if (msg_area_init(k, &k->area, (size_t)k->limits.msgssz) < 0) {
		free(k);
		return NULL;
	}
	return k;
}

static void events_clear(struct sim_kernel *k)
{
	struct sim_event ev;

	while (sim_event_next(k, &ev))
		sim_msgbuf_release(&ev.msg);
}

void sim_kernel_free(struct sim_kernel **kp)
{
	struct sim_kernel *k;
	struct sim_proc *p, *next;
	struct sim_file *f, *ftmp;

	if (!kp || !*kp)
		return;
	k = *kp;
	sim_undo_destroy(k); /* marks go: what follows frees at once */
	msg_free_all(k);
	for (p = k->first_created; p; p = p->next_created)
		shm_detach_all(k, p);
	shm_free_all(k);
	sem_free_all(k);
	msg_area_destroy(&k->area);
	events_clear(k);
	for (p = k->first_created; p; p = next) {
		next = p->next_created;
		free(p);
	}
	free(k->procs);
	sim_ipc_destroy_ids(&k->msg_ids);
	sim_ipc_destroy_ids(&k->shm_ids);
	sim_ipc_destroy_ids(&k->sem_ids);
	cache_destroy(&k->rec_cache);
	cache_destroy(&k->bucket_cache);
	cache_destroy(&k->sender_cache);
	cache_destroy(&k->receiver_cache);
	for (f = k->files; f; f = ftmp) {
		ftmp = f->next;
		free(f->path);
		free(f);
	}
	free(k);
	*kp = NULL;
}

/* ---- limits -------------------------------------------------------------- */

static long long *limit_slot(struct sim_limits *l, const char *name)
{
	static const struct { const char *name; size_t off; } slots[] = {
		{ "msgmax", offsetof(struct sim_limits, msgmax) },
		{ "msgmnb", offsetof(struct sim_limits, msgmnb) },
		{ "msgmni", offsetof(struct sim_limits, msgmni) },
		{ "shmmax", offsetof(struct sim_limits, shmmax) },
		{ "shmall", offsetof(struct sim_limits, shmall) },
		{ "shmmni", offsetof(struct sim_limits, shmmni) },
		{ "semmsl", offsetof(struct sim_limits, semmsl) },
		{ "semmns", offsetof(struct sim_limits, semmns) },
		{ "semopm", offsetof(struct sim_limits, semopm) },
		{ "semmni", offsetof(struct sim_limits, semmni) },
		{ "msgpool", offsetof(struct sim_limits, msgpool) },
		{ "msgssz", offsetof(struct sim_limits, msgssz) },
	};

	for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		if (strcmp(slots[i].name, name) == 0)
			return (long long *)((char *)l + slots[i].off);
	return NULL;
}

/*
 * The msg sysctls are ints handled by proc_dointvec_minmax with a floor of 0
 * (ipc/ipc_sysctl.c); msgmni is also capped at IPCMNI.  A value outside
 * int range is EINVAL as the sysctl would answer.
 */
int sim_limit_set(struct sim_kernel *k, const char *name, long long value)
{
	long long *slot = limit_slot(&k->limits, name);
	int err;

	if (!slot)
		return -ENOENT;
	if (strcmp(name, "shmmax") == 0 || strcmp(name, "shmall") == 0)
		goto set; /* unsigned long: every bit pattern is a value */
	if (strncmp(name, "sem", 3) == 0 && strcmp(name, "semmni") != 0) {
		if (value < INT_MIN || value > INT_MAX)
			return -EINVAL;
		goto set; /* kernel.sem is four plain ints */
	}
	if (strcmp(name, "semmni") == 0 && (value < 0 || value > SIM_IPCMNI))
		return -ERANGE; /* sem_check_semmni, not proc_dointvec_minmax */
	if (value < 0)
		return -EINVAL;
	if ((strcmp(name, "msgmax") == 0 || strcmp(name, "msgmnb") == 0) && value > 0x7fffffff)
		return -EINVAL;
	if ((strcmp(name, "msgmni") == 0 || strcmp(name, "shmmni") == 0) && value > SIM_IPCMNI)
		return -EINVAL;
	if (strcmp(name, "msgssz") == 0) {
		if (value < 1 || value > 65536 || (value & (value - 1)))
			return -EINVAL;
		err = msg_area_set_unit(&k->area, (size_t)value);
		if (err)
			return err;
	} else if (strcmp(name, "msgpool") == 0) {
		err = msg_area_set_limit(k, &k->area, (size_t)value);
		if (err)
			return err;
	}
set:
	SIM_SAVE(k, *slot);
	*slot = value;
	return 0;
}

int sim_limit_get(const struct sim_kernel *k, const char *name, long long *value)
{
	long long *slot = limit_slot((struct sim_limits *)&k->limits, name);

	if (!slot)
		return -ENOENT;
	*value = *slot;
	return 0;
}

/* ---- clock --------------------------------------------------------------- */

long sim_now(const struct sim_kernel *k)
{
	return k->now;
}

long sim_sleep(struct sim_kernel *k, int pid, long seconds)
{
	if (seconds < 0)
		return -EINVAL;
	if (!sim_proc_find(k, pid))
		return -ESRCH;
	/* Saturating, as ktime_add_safe(): nanoseconds of the clock must fit
	 * a long long (semtimedop deadlines). */
	SIM_SAVE(k, k->now);
	k->now = seconds > SIM_TIME_MAX - k->now ? SIM_TIME_MAX : k->now + seconds;
	sem_clock_advanced(k);
	return 0;
}

/* ---- events -------------------------------------------------------------- */

/*
 * Event nodes are allocated with plain malloc, never failing by injection:
 * a wake-up that has happened must be reported.  Should malloc itself fail,
 * the process aborts, as Redis does on OOM; there is no sane way back.
 */
void sim_event_push(struct sim_kernel *k, const struct sim_event *ev)
{
	struct sim_event_node *n = malloc(sizeof(*n));

	if (!n)
		abort();
	n->ev = *ev;
	n->next = NULL;
	if (k->ev_tail)
		k->ev_tail->next = n;
	else
		k->ev_head = n;
	k->ev_tail = n;
}

struct sim_event_node *sim_event_mark(struct sim_kernel *k)
{
	return k->ev_tail;
}

void sim_event_insert_after(struct sim_kernel *k, struct sim_event_node *mark,
                            const struct sim_event *ev)
{
	struct sim_event_node *n;

	if (mark == k->ev_tail) {
		sim_event_push(k, ev);
		return;
	}
	n = malloc(sizeof(*n));
	if (!n)
		abort();
	n->ev = *ev;
	if (mark) {
		n->next = mark->next;
		mark->next = n;
	} else {
		n->next = k->ev_head;
		k->ev_head = n;
	}
}

int sim_event_next(struct sim_kernel *k, struct sim_event *ev)
{
	struct sim_event_node *n = k->ev_head;

	if (!n)
		return 0;
	*ev = n->ev;
	k->ev_head = n->next;
	if (!k->ev_head)
		k->ev_tail = NULL;
	free(n);
	return 1;
}

void sim_msgbuf_release(struct sim_msgbuf *m)
{
	if (!m)
		return;
	free(m->text);
	m->text = NULL;
	m->len = 0;
}

/* ---- capabilities -------------------------------------------------------- */

static const struct { const char *name; unsigned bit; } cap_names[] = {
	{ "CAP_IPC_OWNER", SIM_CAP_IPC_OWNER },
	{ "CAP_SYS_RESOURCE", SIM_CAP_SYS_RESOURCE },
	{ "CAP_SYS_ADMIN", SIM_CAP_SYS_ADMIN },
	{ "CAP_IPC_LOCK", SIM_CAP_IPC_LOCK },
	{ "CAP_SETUID", SIM_CAP_SETUID },
	{ "CAP_SYS_RAWIO", SIM_CAP_SYS_RAWIO },
	{ "CAP_KILL", SIM_CAP_KILL },
};

unsigned sim_cap_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
		if (strcmp(cap_names[i].name, name) == 0)
			return cap_names[i].bit;
	return 0;
}

const char *sim_cap_name(unsigned bit)
{
	for (size_t i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
		if (cap_names[i].bit == bit)
			return cap_names[i].name;
	return NULL;
}

/* ---- invariants ---------------------------------------------------------- */

int sim_kernel_check(const struct sim_kernel *k, char *err, size_t errlen)
{
	if (msg_check(k, err, errlen) || shm_check(k, err, errlen) || sem_check(k, err, errlen))
		return -1;
	return 0;
}
