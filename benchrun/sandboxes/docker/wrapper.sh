#!/bin/sh
# A sample's wrapper: run as `sh -c <this file's text> benchrun DIR [again]`, one exec per
# sample as uid 65534 (see benchrun/sandboxes/docker/__init__.py; wrapper.py builds its
# request and reads its status line).
#
# $1 sample dir, made before the request arrives (with $2 = again: the dir of a program
# that has run, for one of the task's `after` commands; no tar then). stdin: one request
# line (wrapper.py `request`: exports, then `set -- TIMEOUT CMD...`), then the tar. Only
# shell builtins on the common path, so a sample costs the command plus `timeout`, `tar`
# and one `rm`. (`kill -0 -1` cannot tell whether processes are left: it succeeds whenever
# any process exists; `[ -O ]` on /proc/PID can.) Last line of stdout: the status line
# `\036BENCHRUN EXIT OOM_KILLS PIDS_HITS LEFTOVERS`.
nl='
'
d=$1 m=$2
if [ "$m" = again ]; then made=0; else
  rm -rf /work/* /work/.[!.]* /work/..?* 2>/dev/null
  mkdir -m 755 "$d"; made=$?
fi
IFS= read -r req || { [ "$m" = again ] || rmdir "$d"; exit 0; }
eval "$req"
t=$1; shift
count() { c=0; [ -r "$1" ] || return 0; while read -r k v; do [ "$k" = "$2" ] && c=$v; done < "$1"; }
mem=/sys/fs/cgroup/memory/memory.oom_control; [ -r $mem ] || mem=/sys/fs/cgroup/memory.events
pid=/sys/fs/cgroup/pids/pids.events; [ -r $pid ] || pid=/sys/fs/cgroup/pids.events
count $mem oom_kill; oom0=$c; count $pid max; pids0=$c
if [ $made = 0 ] && cd "$d" && { [ "$m" = again ] || tar -x -o -m -f -; }; then
  # The OOM killer's first choice: the sample, never a warm server beside it.
  { echo 1000 > /proc/self/oom_score_adj; } 2>/dev/null
  timeout -s KILL "$t" "$@" </dev/null; rc=$?
else
  rc=125; echo "benchrun: could not unpack the sample's files" >&2
fi
cd /
ours() { o=0; for p in /proc/[0-9]*; do [ -O "$p" ] && [ "$p" != /proc/$$ ] && o=$((o+1)); done; }
kill -9 -1 2>/dev/null; ours; n=0
while [ $o -gt 0 ] && [ $n -lt 50 ]; do n=$((n+1)); sleep 0.02; kill -9 -1 2>/dev/null; ours; done
left=$((o>0))
# Nothing of the sample runs now: let the judge use it all, also through the absolute
# paths the program recorded (MLflow writes beside a registered model's artifacts as it
# loads them).
[ $o = 0 ] && chmod -R a+rwX "$d" 2>/dev/null
rm -rf /dev/shm/* /dev/shm/.[!.]* 2>/dev/null
for f in /dev/shm/* /dev/shm/.[!.]*; do [ -e "$f" ] && left=$((left+2)); done
# System V IPC objects and POSIX message queues outlive their processes (and hold memory
# charged to the container): remove them (the sample created them, so it may), and
# recycle the container if any is left.
ipc() { i=0; for f in /proc/sysvipc/shm /proc/sysvipc/sem /proc/sysvipc/msg; do
  [ -r $f ] && { read -r _; while read -r _; do i=$((i+1)); done; } < $f; done
  for f in /dev/mqueue/* /dev/mqueue/.[!.]*; do [ -e "$f" ] && i=$((i+1)); done; }
ipc; if [ $i -gt 0 ]; then
  ipcrm --all 2>/dev/null; rm -f /dev/mqueue/* /dev/mqueue/.[!.]* 2>/dev/null; ipc; [ $i -gt 0 ] && left=$((left+4))
fi
count $mem oom_kill; oom1=$c; count $pid max; pids1=$c
printf '\036BENCHRUN %s %s %s %s\n' "$rc" $((oom1-oom0)) $((pids1-pids0)) "$left"
