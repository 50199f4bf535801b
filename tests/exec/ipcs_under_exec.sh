#!/bin/sh
# ipcs_under_exec.sh - util-linux's ipcmk, ipcs and ipcrm and /proc reads
# and writes, run under `ipcsim exec` by tests/exec_programs.sh: each must
# see the simulated kernel, never the machine's.
q=$(ipcmk -Q | awk '{print $NF}')
ipcmk -M 4096 >/dev/null
ipcs -q | grep -c "^0x[0-9a-f]* *$q "
cat /proc/sysvipc/msg | wc -l
echo 100 > /proc/sys/kernel/msgmax
cat /proc/sys/kernel/msgmax
ipcrm -q "$q"
ipcs -q | grep -c '^0x'
ipcrm -M "$(ipcs -m | awk '/^0x/ {print $1}')"
