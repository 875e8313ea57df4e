#!/usr/bin/env bash
# Runs a command with its output in a log file, silently; on failure prints the log's last 80 lines and the
# log's path on stderr and exits with the command's status. The Maven build runs CMake through it, so that
# `mvn -q install` prints nothing but errors. Usage: logged.sh LOGFILE COMMAND [ARGS...]
set -uo pipefail
log=$1
shift
mkdir -p "$(dirname "$log")"
"$@" >"$log" 2>&1
status=$?
if (( status != 0 )); then
  { tail -n 80 "$log"; echo "error: '$*' failed with status $status; full output: $log"; } >&2
fi
exit $status
