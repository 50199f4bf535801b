/*
 * term.c - raw keyboard input for `ipcsim step`, and restoring the terminal
 * on every way out (term.h).
 *
 * The only mutable file-scope state of the tool lives here, on purpose: a
 * signal handler can reach nothing else.  raw_saved holds the settings to
 * restore and raw_fd the terminal; raw_active says they are valid.  The
 * handler calls only async-signal-safe functions (tcsetattr, signal, raise).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "term.h"

static struct termios raw_saved;          /* the terminal as the user had it */
static int raw_fd = -1;                   /* the terminal in raw mode */
static volatile sig_atomic_t raw_active;  /* raw_saved must be restored */
static int raw_hooks_installed;           /* atexit and handlers are set */

static const int restore_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

void term_raw_leave(void)
{
	if (!raw_active)
		return;
	tcsetattr(raw_fd, TCSAFLUSH, &raw_saved);
	raw_active = 0;
}

/* Gives the terminal back, then lets the signal do what it would have. */
static void on_fatal_signal(int sig)
{
	if (raw_active) {
		tcsetattr(raw_fd, TCSAFLUSH, &raw_saved);
		raw_active = 0;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_hooks(void)
{
	struct sigaction sa;

	if (raw_hooks_installed)
		return;
	raw_hooks_installed = 1;
	atexit(term_raw_leave);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(restore_signals) / sizeof(restore_signals[0]); i++)
		sigaction(restore_signals[i], &sa, NULL);
}

int term_raw_enter(int fd)
{
	struct termios raw;

	if (raw_active || !isatty(fd) || tcgetattr(fd, &raw_saved) < 0)
		return -1;
	install_hooks();
	raw = raw_saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	raw_fd = fd;
	raw_active = 1;
	if (tcsetattr(fd, TCSAFLUSH, &raw) < 0) {
		raw_active = 0;
		return -1;
	}
	return 0;
}

/* One byte, or -1 at EOF/error; timeout_ms < 0 waits for ever. */
static int read_byte(int fd, int timeout_ms)
{
	unsigned char c;

	if (timeout_ms >= 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, timeout_ms) <= 0)
			return -1;
	}
	for (;;) {
		ssize_t n = read(fd, &c, 1);

		if (n == 1)
			return c;
		if (n < 0 && errno == EINTR)
			continue;
		return -1;
	}
}

int term_read_key(int fd)
{
	int c = read_byte(fd, -1), c2, c3;

	if (c < 0)
		return KEY_EOF;
	if (c != 27)
		return c;
	/* An escape sequence arrives at once; a lone ESC is the Esc key. */
	c2 = read_byte(fd, 50);
	if (c2 != '[' && c2 != 'O')
		return 27;
	c3 = read_byte(fd, 50);
	switch (c3) {
	case 'A': return KEY_UP;
	case 'B': return KEY_DOWN;
	case 'C': return KEY_RIGHT;
	case 'D': return KEY_LEFT;
	case 'H': return KEY_HOME;
	case 'F': return KEY_END;
	default: break;
	}
	/* ESC [ 1 ~ (Home), ESC [ 4 ~ (End) and others: read up to the '~'. */
	if (c3 >= '0' && c3 <= '9') {
		int c4 = read_byte(fd, 50);

		if (c4 == '~')
			return c3 == '1' || c3 == '7' ? KEY_HOME : c3 == '4' || c3 == '8' ? KEY_END
			                                                               : KEY_NONE;
	}
	return KEY_NONE;
}
