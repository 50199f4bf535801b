/*
 * diff_env.c - host facts for the differential test (see diff_env.h).
 */
#include "diff_env.h"

#include <stdio.h>
#include <string.h>

#include "ipcsim/kernel.h"

unsigned diff_env_root_caps(unsigned long long *raw)
{
	static const struct { int linux_bit; unsigned sim_bit; } map[] = {
		{ 15, SIM_CAP_IPC_OWNER }, { 24, SIM_CAP_SYS_RESOURCE }, { 21, SIM_CAP_SYS_ADMIN },
		{ 14, SIM_CAP_IPC_LOCK },  { 7, SIM_CAP_SETUID },        { 17, SIM_CAP_SYS_RAWIO },
		{ 5, SIM_CAP_KILL },
	};
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long eff = 0;
	unsigned caps = 0;

	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "CapEff: %llx", &eff) == 1)
				break;
		fclose(f);
	}
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (eff & (1ull << map[i].linux_bit))
			caps |= map[i].sim_bit;
	if (raw)
		*raw = eff;
	return caps;
}

int diff_env_queue_count(void)
{
	return diff_env_ipc_count("msg");
}

int diff_env_ipc_count(const char *which)
{
	char path[64], line[512];
	FILE *f;
	int n = -1; /* the header line */

	snprintf(path, sizeof(path), "/proc/sysvipc/%s", which);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n < 0 ? 0 : n;
}
