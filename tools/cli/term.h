/*
 * term.h - the terminal for the interactive commands (`ipcsim step`): keys
 * one at a time without echo, and the promise to give the terminal back as
 * it was, whatever happens.
 *
 * term_raw_enter() saves the terminal's settings and turns off line
 * buffering and echo (signals stay on: Ctrl-C still interrupts).  The saved
 * settings come back on term_raw_leave(), at exit(), and on SIGINT, SIGTERM,
 * SIGHUP and SIGQUIT, after which the signal does what it would have done.
 * Only one terminal is put in raw mode per process.
 */
#ifndef IPCSIM_CLI_TERM_H
#define IPCSIM_CLI_TERM_H

enum term_key {
	KEY_NONE = 0,
	/* 1..255: the byte itself */
	KEY_LEFT = 256,
	KEY_RIGHT,
	KEY_UP,
	KEY_DOWN,
	KEY_HOME,
	KEY_END,
	KEY_EOF,
};

/* 0, or -1 when fd is not a terminal or its settings cannot be changed. */
int term_raw_enter(int fd);
/* Restores the saved settings; a no-op when not in raw mode. */
void term_raw_leave(void);
/* One key from fd (arrow keys decoded from their escape sequences);
 * KEY_EOF at the end of input or on a read error. */
int term_read_key(int fd);

#endif
