/*
 * kernel_int.h - private structures of the simulated kernel.
 *
 * Mirrors Linux's ipc/util.h, ipc/msg.c and include/linux/ipc_namespace.h:
 *
 *   struct sim_kernel (one IPC namespace)
 *     |- limits                      ns->msg_ctlmax, msg_ctlmnb, ...
 *     |- msg_ids  (struct sim_ipc_ids)  idr + key hash + cyclic allocator
 *     |     '- struct msg_queue (q_perm first)
 *     |           |- q_messages: FIFO of struct msg_rec ---------------.
 *     |           |- types: table (ptab.c) mtype -> struct             |
 *     |           |    msg_type_bucket (FIFO per type), as long as the |
 *     |           |    queue lives; + list sorted by mtype             |
 *     |           |- q_senders   (struct msg_sender, FIFO)             |
 *     |           '- q_receivers (struct msg_receiver, FIFO)           |
 *     |- area: the kernel data area, msgssz units, first-fit free map  |
 *     |        (a tree of holes by address, largest hole per subtree)|
 *     |        rec->data_unit ----------------------------------------'
 *     |- shm_ids  (struct sim_ipc_ids)
 *     |     '- struct shm_segment (shm_perm first)
 *     |           '- pages: table page index -> struct shm_page, on first touch
 *     |                 |- bytes: SIM_PAGE_SIZE
 *     |                 '- cells: per 8-byte cell, how it was last written
 *     |                           (unwritten / a stored long / copied bytes)
 *     |                           and by which process
 *     |- sem_ids  (struct sim_ipc_ids)
 *     |     '- struct sem_array: sems, pending lists, undo list
 *     |- procs: array by pid - SIM_FIRST_PID -> struct sim_proc, plus
 *     |         creation order
 *     |     '- aspace: its attachments (VMAs) -> struct shm_segment
 *     |- caches: free lists of records, buckets and waiters (sim_cache)
 *     '- events: what happened to other processes during the last call
 *
 * Invariants (checked by sim_kernel_check):
 *   q_qnum   = number of records on q_messages
 *   q_cbytes = sum of their m_ts
 *   area.used_units = sum of the records' units over all queues
 *   a process is SIM_PROC_BLOCKED iff exactly one wait record points at it
 *   shm_nattch = number of VMAs of all processes that map the segment
 *   npages_touched = pages in the segment's table; shm_mem = all of them in bytes
 *   every touched page has its cells; a cell of kind SIM_MEM_LONG holds one
 *   aligned 8-byte store (cells are aligned), so a run of them is longs;
 *   an unwritten cell has writer 0
 *   every record's bucket is the bucket of its m_type; a queue's types
 *   holds exactly the buckets on its types_sorted list, none empty but
 *   the parked one (at most one)
 *   the holes of the data area are a treap (BST by start, heap by prio) whose
 *   maxlen is the largest len of each subtree; holes + spare nodes = all nodes
 *   ids->slot[idx] is the object at idx, for every idx in use, else NULL
 *   k->procs[pid - SIM_FIRST_PID] is the process of that pid (all of them)
 */
#ifndef IPCSIM_KERNEL_INT_H
#define IPCSIM_KERNEL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipcsim/kernel.h"
#include "types/bytebuf.h"

/* ---- ptab.c: pointers by a 64-bit key ----------------------------------- */
struct sim_ptab {
	void **slot;       /* cap slots, NULL: empty */
	size_t cap, n;     /* power of two (or 0); n <= cap / 2 */
};
typedef unsigned long long (*sim_ptab_key)(const void *item);
size_t sim_ptab_home(const struct sim_ptab *t, unsigned long long key);
void *sim_ptab_find(const struct sim_ptab *t, unsigned long long key, sim_ptab_key keyof);
/* Room for one more item, so that the insert cannot fail: 0 or -ENOMEM. */
int sim_ptab_reserve(struct sim_kernel *k, struct sim_ptab *t, sim_ptab_key keyof);
void sim_ptab_insert(struct sim_kernel *k, struct sim_ptab *t, void *item, sim_ptab_key keyof);
void sim_ptab_remove(struct sim_kernel *k, struct sim_ptab *t, void *item, sim_ptab_key keyof);
void sim_ptab_destroy(struct sim_ptab *t);
/* 0 when every item is found by its key and the counts agree, else -1. */
int sim_ptab_check(const struct sim_ptab *t, sim_ptab_key keyof);

/* ---- ids (ipc/util.h) ---------------------------------------------------- */
#define SIM_IPCMNI_SHIFT 15
#define SIM_IPCMNI (1 << SIM_IPCMNI_SHIFT) /* 32768 */
#define SIM_IPC_MIN_CYCLE 64                /* RADIX_TREE_MAP_SIZE */
#define SIM_SEQ_MAX (0x7fffffff >> SIM_IPCMNI_SHIFT)

/* struct kern_ipc_perm */
struct sim_perm {
	int id;
	int key;         /* key_t: 32 bits */
	unsigned uid, gid, cuid, cgid;
	unsigned mode;
	unsigned seq;
	bool deleted;
	struct sim_perm *idx_prev, *idx_next; /* ids->first..last, creation order */
	int idx;
};

/* struct ipc_ids */
struct sim_ipc_ids {
	int in_use;
	unsigned seq;
	int last_idx;
	int max_idx;
	unsigned next_cyclic;                 /* idr->idr_next */
	struct sim_perm *first, *last;        /* every object, in creation order */
	struct sim_ptab by_key;               /* by (unsigned) key, unless IPC_PRIVATE */
	/* lookup: slot[idx], nslots long (a multiple of 64); after it in the
	 * same block, nslots / 64 words of idx bitmap, the idr's occupancy
	 * (sim_ipc_used; a fixed 4 KiB each made a new kernel zero 3 pages) */
	struct sim_perm **slot;
	int nslots;
};

static inline unsigned long *sim_ipc_used(const struct sim_ipc_ids *ids)
{
	return (unsigned long *)(ids->slot + ids->nslots);
}

/* Every object of ids, in creation order; the loop may remove perm. */
#define SIM_IDS_FOREACH(ids, perm, tmp) \
	for ((perm) = (ids)->first; (perm) && ((tmp) = (perm)->idx_next, 1); (perm) = (tmp))

/* ---- processes ----------------------------------------------------------- */
struct msg_sender;
struct msg_receiver;
struct shm_segment;
struct sem_queue;
struct sem_undo;

/*
 * One shared-memory VMA of a process: [start, end) maps the segment from
 * page pgoff on.  shmat makes one with pgoff 0; SHM_REMAP over part of an
 * old one leaves fragments, each a VMA that counts in nattch, as in Linux.
 */
struct sim_attach {
	unsigned long start, end;
	unsigned long pgoff;
	struct shm_segment *seg;
	bool rdonly, exec;
	struct sim_attach *next; /* sorted by start */
};

/*
 * A process's SysV address space: its VMAs.  fork shares it (refs++) instead
 * of copying every VMA as dup_mmap does, and the first change on either
 * side copies it (as_own in shm.c): 10,000 forks of a process with 4,096
 * attachments cost 10,000 references, not 40 million VMAs.  Invariant:
 * nvmas is the length of the list; refs is the number of processes whose
 * aspace points here.
 */
struct sim_aspace {
	unsigned refs;
	size_t nvmas;
	struct sim_attach *head;       /* sorted by start */
};


struct sim_proc {
	int pid, ppid;
	unsigned uid, gid, caps;
	enum sim_proc_state state;
	int exit_status, term_sig;
	unsigned char sig_disp[65]; /* enum sim_sig_disp per signal */
	/* while blocked: exactly one of these, and the id slept on */
	struct msg_sender *sending;
	struct msg_receiver *receiving;
	struct sem_queue *semwait;
	int blocked_id;
	struct sim_aspace *aspace;     /* its SysV segments; NULL: none */
	struct sem_undo *undos;        /* SEM_UNDO adjustments, one per set */
	struct sim_proc *next_created;
};

/* ---- the kernel data area (sim/kernel/msg_area.c) ------------------------ */
struct area_extent {
	size_t start, len; /* in units */
};

/*
 * A hole of the free map: a node of a treap by start (a binary search tree
 * by address, a heap by prio), with the largest hole of its subtree, so
 * first fit walks one root-to-leaf path.  Nodes live in one array and name
 * each other by index; node 0 is the empty tree (maxlen 0).
 */
struct area_node {
	size_t start, len, maxlen;
	uint32_t prio;
	uint32_t left, right;  /* the spare list links through left */
};

struct msg_area {
	struct sim_kernel *k;   /* its kernel: for the undo log */
	unsigned char *bytes;
	size_t unit;        /* msgssz: a power of two */
	unsigned unit_shift; /* log2(unit): a text's units without a division */
	size_t nunits;
	size_t used_units;
	size_t nused;       /* used extents (one per stored message text) */
	size_t limit_units; /* 0: grows as needed */
	struct area_node *node; /* holes: never empty, never adjacent */
	uint32_t root, spare;   /* the tree; the free nodes' list */
	size_t nfree, nspare, capnodes; /* holes; spare nodes; node[] length */
	uint32_t seed;          /* priorities: a fixed sequence, same tree every run */
};

/* ---- message queues ------------------------------------------------------ */
struct msg_queue;

/* struct msg_msg: a message record; its text lives in the data area */
struct msg_rec {
	long m_type;
	size_t m_ts;
	long data_unit;          /* -1: no text */
	size_t nunits;
	unsigned long long seq;  /* arrival order within the queue */
	struct msg_rec *q_prev, *q_next;       /* q_messages */
	struct msg_rec *type_prev, *type_next; /* the bucket of m_type */
	struct msg_type_bucket *bucket;        /* so removal needs no lookup */
};

struct msg_type_bucket {
	long mtype;
	struct msg_rec *head, *tail;
	size_t count;
	struct msg_type_bucket *sorted_prev, *sorted_next;
};

/*
 * A message being sent.  A call that completes at once keeps it on the
 * stack and copies straight from the caller's text (src) into the data
 * area; only a sender that must sleep takes a heap copy (text, owned), as
 * the caller's buffer is gone when it wakes.  The message is the first
 * srclen bytes of src (or text), zero-padded to msgsz.
 */
struct msg_sender {
	struct sim_proc *proc;
	size_t msgsz;
	int msgflg;
	long mtype;
	const unsigned char *src; /* srclen bytes, the caller's; NULL: text holds it */
	size_t srclen;
	unsigned char *text;      /* msgsz bytes, owned (a sleeping sender) */
	bool on_heap;             /* the struct itself is from k->sender_cache */
	struct msg_sender *prev, *next;
};

enum msg_search { SEARCH_ANY = 1, SEARCH_EQUAL, SEARCH_NOTEQUAL, SEARCH_LESSEQUAL, SEARCH_NUMBER };

struct msg_receiver {
	struct sim_proc *proc;
	long r_msgtype;
	enum msg_search r_mode;
	size_t r_maxsize;
	size_t bufsz;
	int msgflg;
	long asked_msgtyp;
	bool want_buffer; /* false: the caller passed a bad buffer */
	struct msg_receiver *prev, *next;
};

struct msg_queue {
	struct sim_perm q_perm; /* first, as in Linux */
	long q_stime, q_rtime, q_ctime;
	unsigned long q_cbytes, q_qnum, q_qbytes;
	int q_lspid, q_lrpid;
	unsigned long long next_seq;
	struct msg_rec *head, *tail;
	struct sim_ptab types;                /* buckets by mtype, as long as the queue lives */
	struct msg_type_bucket *types_sorted; /* ascending mtype */
	struct msg_sender *senders, *senders_tail;
	struct msg_receiver *receivers, *receivers_tail;
	struct msg_type_bucket *spare_bucket; /* so that enqueueing never fails */
	/* The bucket emptied last, still in types and on types_sorted: the
	 * next message of its type takes it back without a table or list
	 * write (a queue that one message at a time goes through). */
	struct msg_type_bucket *parked_bucket;
};

/* ---- shared memory (sim/kernel/shm.c) ------------------------------------ */
/*
 * A touched page of a segment: its bytes, and how and by whom each
 * SIM_MEM_CELL-byte cell was last written, so that a renderer can draw a
 * long stored there as a number and copied text as text, and say which
 * process wrote it (sim_shm_written): the race's lost update is the parent
 * storing over what the child stored.  This is the kernel's memory of the
 * writes, not of the bytes: a store of 0 is still a long.
 */
#define SHM_CELL_KIND_SHIFT 30                       /* cell = kind << 30 | pid */
#define SHM_CELL_PID_MASK ((1u << SHM_CELL_KIND_SHIFT) - 1)
struct shm_page {
	unsigned long index;
	unsigned char *bytes; /* SIM_PAGE_SIZE */
	uint32_t *cells;      /* SIM_PAGE_SIZE / SIM_MEM_CELL: enum sim_mem_kind, writer */
};
/* the key of a page in its segment's table */
unsigned long long shm_page_key(const void *page);

struct shm_segment {
	struct sim_perm shm_perm; /* first */
	size_t shm_segsz;
	long shm_atim, shm_dtim, shm_ctim;
	int shm_cprid, shm_lprid;
	unsigned long shm_nattch;
	struct sim_ptab pages;    /* touched pages by index, lazily */
	unsigned long npages_touched;
	unsigned locked_by_uid;   /* for RLIMIT_MEMLOCK accounting while SHM_LOCKED */
	int file_key;             /* the key at creation: names the shmem file "SYSV%08x" */
};

/* pages locked with SHM_LOCK, per uid (user_shm_lock's ucounts) */
struct sim_memlock {
	unsigned uid;
	unsigned long pages;
	struct sim_memlock *next;
};

/* ---- semaphores (sim/kernel/sem.c) --------------------------------------- */
struct sem_queue;

struct sem_list {
	struct sem_queue *first, *last;
};

struct sem {
	int semval, sempid;
	long otime;
	struct sem_list pending_alter; /* simple (one-op) decrements sleeping on it */
	struct sem_list pending_const; /* simple wait-for-zero */
};

/* struct sem_queue: one sleeping semop */
struct sem_queue {
	struct sim_proc *proc;
	struct ipcsim_sembuf *sops;
	size_t nsops;
	size_t blocking;          /* index of the op that blocks (q->blocking) */
	struct sem_undo *undo;
	bool alter;
	const char *call;         /* "semop" / "semtimedop" */
	long long deadline_ns;    /* 0: no timeout */
	unsigned long long seq;   /* sleep order, for timeouts expiring together */
	int semid;
	struct sem_list *list;    /* the pending list it is on */
	struct sem_queue *prev, *next;
};

struct sem_array {
	struct sim_perm sem_perm; /* first */
	long sem_ctime;
	int sem_nsems;
	struct sem *sems;
	struct sem_list pending_alter; /* complex ops, and simple ones while complex ones sleep */
	struct sem_list pending_const;
	int complex_count;
	struct sem_undo *undos;   /* list_id: every process's undo for this set */
};

/* struct sem_undo: a process's adjustments for one set */
struct sem_undo {
	int semid;                /* -1 once the set is gone */
	struct sem_array *sma;
	struct sim_proc *proc;
	short *semadj;
	struct sem_undo *next_proc;     /* the process's list, newest first */
	struct sem_undo *next_id;       /* the set's list */
};

/* ---- events -------------------------------------------------------------- */
struct sim_event_node {
	struct sim_event ev;
	struct sim_event_node *next;
};

struct sim_limits {
	long long msgmax, msgmnb, msgmni;
	long long shmmax, shmall, shmmni;
	long long semmsl, semmns, semopm, semmni;
	long long msgpool, msgssz;
};

struct sim_file {
	char *path;
	unsigned long inode;
	unsigned dev_major, dev_minor;
	struct sim_file *next;     /* a scenario declares a handful */
};

/*
 * A free list of same-size objects (a slab): records, buckets and waiters
 * are reused instead of a malloc and free per message.  Objects come out
 * zeroed (sim_cache_get) or as they were (sim_cache_take); either counts
 * as an allocation for fault injection.
 */
struct sim_cache {
	void *head;   /* each free object's first word links the next */
	size_t size;
};

/* The undo log (undo.c): entries back to back, marks are offsets into it. */
struct sim_undo {
	struct bytebuf log;
	size_t *marks;
	size_t nmarks, capmarks;
};

struct sim_kernel {
	struct sim_limits limits;
	long now;
	int next_pid;
	struct sim_proc **procs;           /* procs[pid - SIM_FIRST_PID] */
	size_t procs_cap;
	struct sim_proc *first_created, *last_created;
	struct sim_proc shell;             /* pid 0 */
	struct sim_file *files;
	struct sim_ipc_ids msg_ids;
	struct sim_ipc_ids shm_ids;
	struct sim_ipc_ids sem_ids;
	unsigned long shm_tot;             /* pages of all segments */
	size_t shm_mem;                    /* bytes of touched pages */
	size_t shm_mem_cap;                /* shm_mem stays <= this (whole pages) */
	size_t max_map_count;              /* vm.max_map_count (sim_shm_set_max_map_count) */
	char failure[128];                 /* why the last SIM_ENOMEM_CAP (sim_kernel_failure) */
	bool explain;                      /* record the reasons of successes too (why.c) */
	unsigned long why_serial;          /* sim_kernel_why: reasons recorded so far */
	int why_pid;
	long why_result;
	char why_code[32];
	char why[320];
	struct sim_memlock *memlocks;
	long used_sems;
	unsigned long long sem_sleep_seq;
	struct msg_area area;
	long msg_hdrs, msg_bytes;          /* percpu_msg_hdrs / percpu_msg_bytes */
	struct sim_event_node *ev_head, *ev_tail;
	unsigned long fail_alloc_countdown;
	struct sim_cache rec_cache, bucket_cache, sender_cache, receiver_cache;
	struct sim_undo undo;
};

/* ---- undo.c: what every change to kernel memory must do ----------------- */
/*
 * The rule: while a mark is set (k->undo.nmarks), memory that existed at
 * the mark is saved before it is written (SIM_SAVE / SIM_SAVE_OBJ, or
 * sim_undo_save for a range), kernel objects are allocated with
 * sim_alloc/sim_cache_get (noted) and freed with sim_free/sim_cache_put
 * (deferred).  Saving an object allocated since the mark is harmless.
 */
void sim_undo_record(struct sim_kernel *k, void *p, size_t n);
static inline void sim_undo_save(struct sim_kernel *k, void *p, size_t n)
{
	if (k->undo.nmarks)
		sim_undo_record(k, p, n);
}
#define SIM_SAVE(k, lvalue) sim_undo_save((k), &(lvalue), sizeof(lvalue))
#define SIM_SAVE_OBJ(k, ptr) sim_undo_save((k), (ptr), sizeof(*(ptr)))
/* Appends node to a doubly linked list whose ends are the lvalues first and
 * last, through its fields PREV and NEXT: the old last node's link is saved
 * before it changes; the node and the ends are the caller's to save. */
#define SIM_LIST_APPEND(k, node, PREV, NEXT, first, last)               \
	do {                                                             \
		(node)->NEXT = NULL;                                     \
		(node)->PREV = (last);                                   \
		if (last) {                                              \
			SIM_SAVE(k, (last)->NEXT);                       \
			(last)->NEXT = (node);                           \
		} else {                                                 \
			(first) = (node);                                \
		}                                                        \
		(last) = (node);                                         \
	} while (0)
/* Unlinks node from a doubly linked list whose ends are the lvalues first
 * and last, through its fields PREV and NEXT: the neighbours' links are
 * saved before they change; the node and the ends are the caller's to save.
 * The node's own links are left as they are. */
#define SIM_LIST_UNLINK(k, node, PREV, NEXT, first, last)               \
	do {                                                             \
		if ((node)->PREV) {                                      \
			SIM_SAVE(k, (node)->PREV->NEXT);                 \
			(node)->PREV->NEXT = (node)->NEXT;               \
		} else {                                                 \
			(first) = (node)->NEXT;                          \
		}                                                        \
		if ((node)->NEXT) {                                      \
			SIM_SAVE(k, (node)->NEXT->PREV);                 \
			(node)->NEXT->PREV = (node)->PREV;               \
		} else {                                                 \
			(last) = (node)->PREV;                           \
		}                                                        \
	} while (0)
/* Notes p (just allocated) so that a rewind frees it. */
void sim_undo_alloced(struct sim_kernel *k, void *p);
/* free(), deferred to the release of the outermost mark while one is set. */
void sim_free(struct sim_kernel *k, void *p);
void sim_undo_destroy(struct sim_kernel *k);
/* undo_check.c: every byte of the state a rewind restores (raw, pointers
 * included), malloc'd, for tests to compare; NULL when out of memory. */
unsigned char *sim_kernel_state_bytes(const struct sim_kernel *k, size_t *len);

/* ---- kernel.c ------------------------------------------------------------ */
/* Zeroed; NULL on (injected) failure or for one block over SIM_ALLOC_MAX. */
#define SIM_ALLOC_MAX ((size_t)256 << 20)
void *sim_alloc(struct sim_kernel *k, size_t n);
/* p (oldn bytes) grown or shrunk to n; under a mark a new block (p stays
 * for a rewind).  NULL on failure, p untouched. */
void *sim_realloc(struct sim_kernel *k, void *p, size_t oldn, size_t n);
/* As sim_alloc, but not zeroed: for kernel buffers about to be overwritten. */
void *sim_alloc_bytes(struct sim_kernel *k, size_t n);
/* A buffer handed to the caller (never logged: the caller frees it). */
void *sim_alloc_out(struct sim_kernel *k, size_t n);
void *sim_cache_get(struct sim_kernel *k, struct sim_cache *c);
void *sim_cache_take_slow(struct sim_kernel *k, struct sim_cache *c);
/* As sim_cache_get, but not zeroed: for an object the caller fills whole.
 * Inline: the free list's head serves when no mark is set and no fault is
 * being injected (sim_cache_take_slow does the rest). */
static inline void *sim_cache_take(struct sim_kernel *k, struct sim_cache *c)
{
	void *p = c->head;

	if (!p || k->undo.nmarks || k->fail_alloc_countdown)
		return sim_cache_take_slow(k, c);
	c->head = *(void **)p;
	return p;
}
void sim_cache_put(struct sim_kernel *k, struct sim_cache *c, void *p); /* NULL: no-op */
void sim_event_push(struct sim_kernel *k, const struct sim_event *ev); /* cannot fail */
/* The current last event (a mark), and insertion right after a mark (NULL: at the head). */
struct sim_event_node *sim_event_mark(struct sim_kernel *k);
void sim_event_insert_after(struct sim_kernel *k, struct sim_event_node *mark,
                            const struct sim_event *ev);

/* ---- why.c: reasons at the failure sites ---------------------------------
 * Each records a reason for pid and returns rc, so a failure site reads
 * `return sim_why_perm(k, perm, p, 0222);`. */
long sim_why(struct sim_kernel *k, int pid, long rc, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* EACCES.mode: which class of the mode applied and what it lacked; -EACCES. */
long sim_why_perm(struct sim_kernel *k, const struct sim_perm *perm, const struct sim_proc *p,
                  int flag);
/* EPERM.owner: neither owner nor creator, no CAP_SYS_ADMIN; err. */
long sim_why_owner(struct sim_kernel *k, const struct sim_perm *perm, const struct sim_proc *p,
                   long err);
/* EINVAL.id: no object of that id (never made, or removed); -EINVAL. */
long sim_why_no_id(struct sim_kernel *k, int pid, int id, const char *what);
/* msgsnd's full queue: EAGAIN.qbytes/.qnum/.pool, or the sleep (rc SIM_BLOCKED). */
struct msg_queue;
struct msg_sender;
long sim_why_msg_full(struct sim_kernel *k, const struct msg_queue *q, const struct msg_sender *s,
                      long rc);
/* msgrcv found nothing: ENOMSG.type, or the sleep; rc. */
long sim_why_msg_none(struct sim_kernel *k, int pid, const struct msg_queue *q, long asked,
                      int msgflg, long rc);
/* msgrcv took rec (explaining only): which messages were eligible, which won. */
struct msg_rec;
void sim_why_msg_took(struct sim_kernel *k, int pid, const struct msg_queue *q,
                      const struct msg_rec *rec, long asked, int msgflg);

/* ---- proc.c -------------------------------------------------------------- */
/* Inline, as the few lookups below: every call of the kernel makes them. */
static inline struct sim_proc *sim_proc_find(struct sim_kernel *k, int pid)
{
	if (pid == 0)
		return &k->shell;
	/* pids are dense from SIM_FIRST_PID: an array, not a hash */
	if (pid < SIM_FIRST_PID || pid >= k->next_pid)
		return NULL;
	return k->procs[pid - SIM_FIRST_PID];
}

static inline bool sim_capable(const struct sim_proc *p, unsigned cap)
{
	return (p->caps & cap) != 0;
}
/* Ends the process (state, status); detaches it from any wait. */
void sim_proc_terminate(struct sim_kernel *k, struct sim_proc *p, enum sim_proc_state how, int code);

/* ---- ids.c (ipc/util.c) -------------------------------------------------- */
void sim_ipc_init_ids(struct sim_ipc_ids *ids);
void sim_ipc_destroy_ids(struct sim_ipc_ids *ids); /* after every object is removed */
int sim_ipc_addid(struct sim_kernel *k, struct sim_ipc_ids *ids, struct sim_perm *perm,
                  long long limit, const struct sim_proc *p);
void sim_ipc_rmid(struct sim_kernel *k, struct sim_ipc_ids *ids, struct sim_perm *perm);
struct sim_perm *sim_ipc_findkey(struct sim_ipc_ids *ids, int key);
void sim_ipc_set_key_private(struct sim_kernel *k, struct sim_ipc_ids *ids, struct sim_perm *perm);
static inline struct sim_perm *sim_ipc_obtain_idx(const struct sim_ipc_ids *ids, int idx)
{
	idx &= SIM_IPCMNI - 1;
	return idx < ids->nslots ? ids->slot[idx] : NULL;
}

/* ipc_obtain_object_check: a stale seq is EINVAL like an empty slot (caller maps NULL). */
static inline struct sim_perm *sim_ipc_obtain_check(const struct sim_ipc_ids *ids, int id)
{
	struct sim_perm *perm = sim_ipc_obtain_idx(ids, id);

	if (!perm || (unsigned)id >> SIM_IPCMNI_SHIFT != perm->seq)
		return NULL;
	return perm;
}

int sim_ipc_get_maxidx(const struct sim_ipc_ids *ids);

/*
 * ipcperms: the request's owner, group and other bits are folded together;
 * only one class of the mode applies (owner if euid is cuid or uid, else
 * group, else other); CAP_IPC_OWNER overrides.  Returns true when allowed.
 */
static inline bool sim_ipcperms(const struct sim_perm *perm, const struct sim_proc *p, int flag)
{
	int requested = (flag >> 6) | (flag >> 3) | flag;
	unsigned granted = perm->mode;

	if (p->uid == perm->cuid || p->uid == perm->uid)
		granted >>= 6;
	else if (p->gid == perm->cgid || p->gid == perm->gid)
		granted >>= 3;
	if ((requested & ~(int)granted & 0007) && !sim_capable(p, SIM_CAP_IPC_OWNER))
		return false;
	return true;
}
int sim_ipcctl_owner_check(const struct sim_perm *perm, const struct sim_proc *p);
int sim_ipc_update_perm(struct sim_kernel *k, struct sim_perm *out, unsigned uid, unsigned gid,
                        unsigned mode);

struct sim_ipc_ops {
	long (*getnew)(struct sim_kernel *k, struct sim_proc *p, int key, int flg, void *params);
	int (*more_checks)(struct sim_perm *perm, void *params);
};
long sim_ipcget(struct sim_kernel *k, struct sim_proc *p, struct sim_ipc_ids *ids,
                const struct sim_ipc_ops *ops, int key, int flg, void *params);

/* ---- msg_area.c ---------------------------------------------------------- */
/* unit (msgssz) is a power of two, here and in msg_area_set_unit
 * (sim_limit_set refuses any other). */
int msg_area_init(struct sim_kernel *k, struct msg_area *a, size_t unit);
void msg_area_destroy(struct msg_area *a);
static inline size_t msg_area_units_for(const struct msg_area *a, size_t bytes)
{
	return (bytes + a->unit - 1) >> a->unit_shift;
}

/* true if nunits could be placed now without growing past a fixed pool */
static inline bool msg_area_has_room(const struct msg_area *a, size_t nunits)
{
	if (nunits == 0 || a->limit_units == 0)
		return true;
	return a->root && a->node[a->root].maxlen >= nunits;
}
long msg_area_reserve_tree(struct sim_kernel *k, struct msg_area *a, size_t nunits);
void msg_area_release_tree(struct msg_area *a, size_t first, size_t nunits);
/* A hole's node from the spare list (msg_area_reserve keeps one for every
 * hole releases can make), with the next priority of the fixed sequence. */
uint32_t msg_area_node_new(struct msg_area *a, size_t start, size_t len);

/* Reserves nunits (first fit, growing if allowed): first unit, or -ENOMEM/-EAGAIN.
 * The lone hole (nfree == 1: the root) serves in place when it is longer
 * than nunits and a spare node is kept for each hole releases can make. */
static inline long msg_area_reserve(struct sim_kernel *k, struct msg_area *a, size_t nunits)
{
	struct area_node *x = a->nfree == 1 ? &a->node[a->root] : NULL;

	if (!x || x->len <= nunits || a->nspare + 1 < a->nused + 3 || nunits == 0)
		return msg_area_reserve_tree(k, a, nunits);
	SIM_SAVE_OBJ(k, a);
	SIM_SAVE_OBJ(k, x);
	x->start += nunits;
	x->len -= nunits;
	x->maxlen = x->len;
	a->used_units += nunits;
	a->nused++;
	return (long)(x->start - nunits);
}

/* Frees an extent (a->k's log).  Inline: one that ends where the lone hole
 * starts joins it in place; one freed into an empty tree (a message that
 * took the whole area) becomes its only hole. */
static inline void msg_area_release(struct msg_area *a, size_t first, size_t nunits)
{
	struct area_node *x = a->nfree == 1 ? &a->node[a->root] : NULL;

	if (a->nfree > 1 || (x && first + nunits != x->start) || nunits == 0) {
		msg_area_release_tree(a, first, nunits);
		return;
	}
	SIM_SAVE_OBJ(a->k, a);
	if (!x) {
		a->root = msg_area_node_new(a, first, nunits);
	} else {
		SIM_SAVE_OBJ(a->k, x);
		x->start = first;
		x->len += nunits;
		x->maxlen = x->len;
	}
	a->used_units -= nunits;
	a->nused--;
}
int msg_area_set_limit(struct sim_kernel *k, struct msg_area *a, size_t limit_bytes);
int msg_area_set_unit(struct msg_area *a, size_t unit);
/* The holes in address order into out (a->nfree of them); returns how many. */
size_t msg_area_holes(const struct msg_area *a, struct area_extent *out);
/* The free map's own invariants (tree order, heap, maxlen, holes apart). */
int msg_area_check(const struct msg_area *a, char *err, size_t errlen);

/* ---- msg_index.c --------------------------------------------------------- */
unsigned long long msg_bucket_key(const void *bucket);
struct msg_type_bucket *msg_index_bucket_find(const struct msg_queue *q, long mtype);
/* Makes sure msg_index_add cannot fail for a type that has no bucket yet:
 * a spare bucket and room in the type table.  0 or -ENOMEM, nothing
 * changed that anyone sees. */
int msg_index_prepare(struct sim_kernel *k, struct msg_queue *q);
struct msg_type_bucket *msg_index_new_bucket(struct sim_kernel *k, struct msg_queue *q,
                                             long mtype);
void msg_index_unpark(struct sim_kernel *k, struct msg_queue *q);

/* Inline, the three below: every send and receive makes them. */

/* The bucket of mtype (parked or not), or NULL: then msg_index_prepare
 * before msg_index_add.  The queue's tail and the parked bucket are looked
 * at first: a queue that one type goes through finds its bucket there
 * without hashing. */
static inline struct msg_type_bucket *msg_index_bucket(const struct msg_queue *q, long mtype)
{
	if (q->tail && q->tail->m_type == mtype)
		return q->tail->bucket;
	if (q->parked_bucket && q->parked_bucket->mtype == mtype)
		return q->parked_bucket;
	return msg_index_bucket_find(q, mtype);
}

/* Links r at the tail of the queue and of b, its type's bucket
 * (msg_index_bucket), or of the spare bucket when b is NULL (after
 * msg_index_prepare); cannot fail.  q is saved by the caller; r is new. */
static inline void msg_index_add(struct sim_kernel *k, struct msg_queue *q, struct msg_rec *r,
                                 struct msg_type_bucket *b)
{
	if (!b)
		b = msg_index_new_bucket(k, q, r->m_type);
	else if (b == q->parked_bucket)
		q->parked_bucket = NULL; /* in use again, where it was */
	SIM_SAVE_OBJ(k, b);
	r->bucket = b;
	r->seq = q->next_seq++;
	SIM_LIST_APPEND(k, r, q_prev, q_next, q->head, q->tail);
	SIM_LIST_APPEND(k, r, type_prev, type_next, b->head, b->tail);
	b->count++;
}

/* Unlinks r from q (saved by the caller) and its bucket, which is parked
 * when it empties.  r's own links are left as they are: it is freed next
 * (msg_dequeue). */
static inline void msg_index_del(struct sim_kernel *k, struct msg_queue *q, struct msg_rec *r)
{
	struct msg_type_bucket *b = r->bucket;

	SIM_SAVE_OBJ(k, b);
	SIM_LIST_UNLINK(k, r, q_prev, q_next, q->head, q->tail);
	SIM_LIST_UNLINK(k, r, type_prev, type_next, b->head, b->tail);
	if (--b->count == 0) {
		if (q->parked_bucket)
			msg_index_unpark(k, q);
		q->parked_bucket = b;
	}
}

struct msg_rec *msg_index_find_typed(struct msg_queue *q, long msgtyp, enum msg_search mode);
/* find_msg: the message msgrcv would take, or NULL.  Inline: msgtyp 0
 * takes the queue's head. */
static inline struct msg_rec *msg_index_find(struct msg_queue *q, long msgtyp,
                                             enum msg_search mode)
{
	return mode == SEARCH_ANY ? q->head : msg_index_find_typed(q, msgtyp, mode);
}
void msg_index_destroy(struct sim_kernel *k, struct msg_queue *q);

/* ---- shm.c / mem.c ------------------------------------------------------- */
void shm_detach_all(struct sim_kernel *k, struct sim_proc *p);
int shm_fork_attaches(struct sim_kernel *k, struct sim_proc *parent, struct sim_proc *child);
/* The first VMA of p's address space (sorted by start), or NULL. */
static inline struct sim_attach *as_first(const struct sim_proc *p)
{
	return p->aspace != NULL ? p->aspace->head : NULL;
}
void shm_free_all(struct sim_kernel *k);
struct shm_segment *shm_segment_of(struct sim_perm *perm);
int shm_check(const struct sim_kernel *k, char *err, size_t errlen);
/* the SIGSEGV death of p during a memory access */
long sim_mem_fault(struct sim_kernel *k, struct sim_proc *p);

/* ---- sem.c (shared with sem_ctl.c and sem_view.c) ------------------------ */
struct sem_array *sem_array_of(struct sim_perm *perm);
struct sem_array *sem_obtain_check(struct sim_kernel *k, int id);
void sem_unlink_queue(struct sim_kernel *k, struct sem_array *sma, struct sem_queue *q);
void sem_unmerge_queues(struct sim_kernel *k, struct sem_array *sma);
/* the sleeper's call returns error (an event); q is freed */
void sem_wake(struct sim_kernel *k, struct sem_queue *q, int error);
void sem_do_smart_update(struct sim_kernel *k, struct sem_array *sma,
                         const struct ipcsim_sembuf *sops, size_t nsops, int otime);
void sem_undo_unlink_proc(struct sim_kernel *k, struct sem_undo *un);
void sem_undo_free(struct sim_kernel *k, struct sem_undo *un);
/* GETNCNT / GETZCNT: a sleeper counts only on its blocking op's semaphore */
int sem_count_waiters(const struct sem_array *sma, int semnum, bool count_zero);
void sem_kill_waiter(struct sim_kernel *k, struct sim_proc *p);
void sem_exit(struct sim_kernel *k, struct sim_proc *p);
void sem_clock_advanced(struct sim_kernel *k);
void sem_free_all(struct sim_kernel *k);
int sem_check(const struct sim_kernel *k, char *err, size_t errlen);

/* ---- msg.c --------------------------------------------------------------- */
void msg_kill_waiter(struct sim_kernel *k, struct sim_proc *p);
void msg_free_all(struct sim_kernel *k);
struct msg_queue *msg_queue_of(struct sim_perm *perm);
/* msqid_ds as IPC_STAT reports it */
void msg_fill_ds(const struct msg_queue *q, struct ipcsim_msqid_ds *ds);
int msg_check(const struct sim_kernel *k, char *err, size_t errlen);

#endif
