/*
 * host_sandbox_lock.c - what the sandbox's processes may still do once its
 * view is built: the capabilities the scenario's calls need, and a seccomp
 * filter against the rest of what those capabilities allow.
 *
 * Capabilities kept (bounding, permitted and effective sets; the scenario's
 * processes narrow them further, host_child.c, host_shell.c):
 *   CAP_IPC_OWNER       bypass IPC permissions (ipc/util.c ipcperms)
 *   CAP_IPC_LOCK        SHM_LOCK of another's segment (ipc/shm.c)
 *   CAP_SYS_ADMIN       IPC_SET / IPC_RMID by a non-owner (ipcctl_obtain_check)
 *   CAP_SYS_RESOURCE    msg_qbytes above msgmnb (ipc/msg.c)
 *   CAP_SETUID/SETGID   become the scenario's users
 *   CAP_SETPCAP         narrow a tool's bounding set (host_shell.c)
 *   CAP_KILL            kill() another user's process
 *   CAP_SYS_RAWIO       shmat below mmap_min_addr (security/commoncap.c)
 *   CAP_SYS_PTRACE      read /proc/PID/syscall and maps of another user's
 *   CAP_DAC_READ_SEARCH    process (blocking detection, `cat /proc/PID/maps`)
 * Everything else goes: no CAP_SYS_MODULE, CAP_SYS_CHROOT, CAP_NET_ADMIN,
 * CAP_MKNOD, CAP_DAC_OVERRIDE, CAP_SYS_TIME...  (CAP_SYS_RAWIO's other
 * uses are closed: iopl and ioperm by the filter, /dev/mem and /proc/kcore
 * are not in the view, host_sandbox_fs.c.)
 *
 * CAP_SYS_ADMIN is the broad one; without a user namespace it is the
 * machine's.  The filter therefore refuses (EPERM) what it grants beyond
 * System V IPC - mount and the new mount API, pivot_root, chroot, unshare,
 * setns and clone with namespace flags (clone3 is ENOSYS: its flags are in
 * memory a filter cannot read, and glibc falls back to clone), sethostname,
 * swapon, modules, kexec, reboot, bpf, perf, keys (not namespaced),
 * open_by_handle_at, fanotify, quotactl, time, syslog, ptrace and reading
 * or writing other processes' memory, io_uring, raising an rlimit, the
 * terminal's TIOCSTI - and any syscall of another ABI (x32, i386 on x86-64).
 * It is inherited by every process the coordinator starts, across execve.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host/host_sandbox.h"

static const int lock_keep[] = {
	CAP_IPC_OWNER, CAP_IPC_LOCK, CAP_SYS_ADMIN, CAP_SYS_RESOURCE, CAP_SETUID,
	CAP_SETGID,    CAP_SETPCAP,  CAP_KILL,      CAP_SYS_RAWIO,    CAP_SYS_PTRACE,
	CAP_DAC_READ_SEARCH,
};

int host_sandbox_drop_caps(char *why, size_t whylen)
{
	unsigned long long keep = 0;
	int rc;

	for (size_t i = 0; i < sizeof(lock_keep) / sizeof(lock_keep[0]); i++)
		keep |= 1ull << lock_keep[i];
	for (int cap = 0; cap < 64; cap++) {
		if (keep & (1ull << cap))
			continue;
		/* EINVAL: past the kernel's last capability. */
		if (prctl(PR_CAPBSET_DROP, (long)cap, 0L, 0L, 0L) != 0 && errno != EINVAL) {
			snprintf(why, whylen, "dropping capability %d from the bounding set: %s", cap,
			         strerror(errno));
			return -1;
		}
	}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0L, 0L, 0L);
	/* Only what is permitted now can stay (root in a container may lack
	 * some); host_caps_set leaves the inheritable set empty. */
	rc = host_caps_set(keep & host_caps_permitted_linux());
	if (rc != 0) {
		snprintf(why, whylen, "capset: %s", strerror(-rc));
		return -1;
	}
	return 0;
}

#if defined(__x86_64__)
#define LOCK_ARCH AUDIT_ARCH_X86_64
#define LOCK_X32_BIT 0x40000000u /* __X32_SYSCALL_BIT */
#elif defined(__aarch64__)
#define LOCK_ARCH AUDIT_ARCH_AARCH64
#endif

#ifdef LOCK_ARCH

/* Refused outright. */
static const int lock_denied[] = {
	__NR_mount, __NR_umount2, __NR_pivot_root, __NR_chroot, __NR_unshare, __NR_setns,
	__NR_sethostname, __NR_setdomainname, __NR_swapon, __NR_swapoff, __NR_reboot,
	__NR_kexec_load, __NR_init_module, __NR_finit_module, __NR_delete_module, __NR_bpf,
	__NR_perf_event_open, __NR_ptrace, __NR_process_vm_readv, __NR_process_vm_writev,
	__NR_keyctl, __NR_add_key, __NR_request_key, __NR_acct, __NR_settimeofday,
	__NR_clock_settime, __NR_clock_adjtime, __NR_adjtimex, __NR_syslog,
	__NR_open_by_handle_at, __NR_name_to_handle_at, __NR_fanotify_init, __NR_userfaultfd,
	__NR_quotactl, __NR_vhangup, __NR_setrlimit,
#ifdef __NR_kexec_file_load
	__NR_kexec_file_load,
#endif
#ifdef __NR_move_mount
	__NR_open_tree, __NR_move_mount, __NR_fsopen, __NR_fsconfig, __NR_fsmount, __NR_fspick,
#endif
#ifdef __NR_mount_setattr
	__NR_mount_setattr,
#endif
#ifdef __NR_open_tree_attr
	__NR_open_tree_attr,
#endif
#ifdef __NR_pidfd_getfd
	__NR_pidfd_getfd,
#endif
#ifdef __NR_process_madvise
	__NR_process_madvise,
#endif
#ifdef __NR_quotactl_fd
	__NR_quotactl_fd,
#endif
#ifdef __NR_io_uring_setup
	__NR_io_uring_setup, __NR_io_uring_enter, __NR_io_uring_register,
#endif
#ifdef __NR_lookup_dcookie
	__NR_lookup_dcookie,
#endif
#if defined(__x86_64__)
	__NR_iopl, __NR_ioperm, __NR_uselib,
#endif
};

#define LOCK_MAX_INSNS 256
#define LOCK_NS_FLAGS (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
                       CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | 0x00000080 /* NEWTIME */)
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + (i) * 8)
#define ARG_HI(i) (ARG_LO(i) + 4) /* little-endian: the low word first */
#define RET_EPERM BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))
#define LOAD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))

struct lock_prog {
	struct sock_filter v[LOCK_MAX_INSNS];
	int n;
};

static void emit(struct lock_prog *p, struct sock_filter f)
{
	if (p->n < LOCK_MAX_INSNS)
		p->v[p->n++] = f;
}

/* nr with an argument whose low word has any bit of mask: EPERM. */
static void deny_arg_bits(struct lock_prog *p, int nr, int arg, unsigned mask)
{
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 4));
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(arg)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, mask, 0, 1));
	emit(p, (struct sock_filter)RET_EPERM);
	emit(p, (struct sock_filter)LOAD_NR);
}

/* nr with argument arg's low word equal to v: EPERM. */
static void deny_arg_eq(struct lock_prog *p, int nr, int arg, unsigned v)
{
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 4));
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(arg)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, v, 0, 1));
	emit(p, (struct sock_filter)RET_EPERM);
	emit(p, (struct sock_filter)LOAD_NR);
}

/* nr with a non-NULL pointer in argument arg: EPERM (prlimit64 setting). */
static void deny_arg_set(struct lock_prog *p, int nr, int arg)
{
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 6));
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(arg)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2));
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_HI(arg)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0));
	emit(p, (struct sock_filter)RET_EPERM);
	emit(p, (struct sock_filter)LOAD_NR);
}

int host_sandbox_seccomp(char *why, size_t whylen)
{
	struct lock_prog p = { .n = 0 };
	struct sock_fprog prog;

	emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	                                      offsetof(struct seccomp_data, arch)));
	emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LOCK_ARCH, 1, 0));
	emit(&p, (struct sock_filter)RET_EPERM);
	emit(&p, (struct sock_filter)LOAD_NR);
#ifdef LOCK_X32_BIT
	emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, LOCK_X32_BIT, 0, 1));
	emit(&p, (struct sock_filter)RET_EPERM);
#endif
	for (size_t i = 0; i < sizeof(lock_denied) / sizeof(lock_denied[0]); i++) {
		emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		                                      (unsigned)lock_denied[i], 0, 1));
		emit(&p, (struct sock_filter)RET_EPERM);
	}
	deny_arg_bits(&p, __NR_clone, 0, LOCK_NS_FLAGS);
	deny_arg_set(&p, __NR_prlimit64, 2);
	deny_arg_eq(&p, __NR_ioctl, 1, TIOCSTI);
	deny_arg_eq(&p, __NR_ioctl, 1, TIOCLINUX);
#ifdef __NR_clone3
	emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1));
	emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	                                      SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)));
#endif
	emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	if (p.n >= LOCK_MAX_INSNS) {
		snprintf(why, whylen, "seccomp filter: more than %d instructions", LOCK_MAX_INSNS);
		return -1;
	}
	prog.len = (unsigned short)p.n;
	prog.filter = p.v;
	/* No new privileges: no set-uid binary regains what was dropped. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0L, 0L) != 0) {
		snprintf(why, whylen, "seccomp filter: %s", strerror(errno));
		return -1;
	}
	return 1;
}

#else

int host_sandbox_seccomp(char *why, size_t whylen)
{
	(void)why;
	(void)whylen;
	return 0; /* an architecture this filter does not know: capabilities only */
}

#endif
