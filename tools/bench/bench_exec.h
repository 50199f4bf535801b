/*
 * bench_exec.h - `ipcsim exec` in `make bench` (bench_exec.c): a blocking
 * msgsnd/msgrcv ping-pong between two processes and shmat+shmdt pairs, the
 * same code once under `ipcsim exec` and once on the host kernel (in a
 * private IPC namespace), interleaved rounds, the median per-call cost of
 * each and of their ratio round by round, with the spread (goal: within
 * 3x, never past 10x).  `bench --exec` runs these rows alone.
 */
#ifndef IPCSIM_BENCH_EXEC_H
#define IPCSIM_BENCH_EXEC_H

/* The workloads themselves, when bench runs as the measured program
 * (argv[1] "--exec-pingpong N" or "--exec-shm N"): prints the seconds per
 * call and returns the exit status; -1 when argv is not such a run. */
int bench_exec_program(int argc, char **argv);

/* Runs and prints the exec rows, N scaled by scale, rounds interleaved
 * rounds.  0, or -1 on failure. */
int bench_exec_run(double scale, int rounds);

#endif
