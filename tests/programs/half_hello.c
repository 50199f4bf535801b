/* half_hello.c - a program that writes half a request to exec's socket and
 * leaves it so (a bug, or a test of the server): the server must go on
 * serving everybody else, this process's own calls included, and must not
 * take the connection for a process. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(void)
{
	const char *path = getenv("IPCSIM_EXEC_SOCK");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char half[10] = "IPC3half";
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), q;

	if (path && strlen(path) < sizeof(sa.sun_path)) {
		strcpy(sa.sun_path, path);
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			write(fd, half, sizeof(half));
	}
	q = msgget(IPC_PRIVATE, 0600);
	printf("msgget %s\n", q >= 0 ? "answered" : "failed");
	printf("msgctl = %d\n", msgctl(q, IPC_RMID, NULL));
	close(fd);
	return 0;
}
