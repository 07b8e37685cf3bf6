"""The Docker backend: a warm pool of locked-down containers, one sample at a time each.

A container runs only `sleep infinity` under docker-init, as uid 65533. Each sample is one
`exec` as uid 65534 of a small shell wrapper (`wrapper.sh`) that clears /work of the previous
sample, receives the sample's command and environment as one line on stdin, then its files
as a tar, runs the command in a fresh directory of the /work tmpfs under `timeout -s KILL`,
then kills every process of uid 65534 (double-forked daemons included: `kill -9 -1` reaches
all of them, never the keeper or init, which belong to another uid), verifies none is left,
wipes /dev/shm, removes System V IPC objects and POSIX queues, and prints a status line.
A task's `after` commands each run in one more such exec, in the program's dir.

A judged sample (`judge`) then gets a second exec, as uid 65532, which the program never
was: `judge_runner.py`, whose request (and verdict nonce) arrives on stdin. It copies the
program's dir into /judge, a tmpfs only uid 65532 can enter, runs the check there, kills
every other process of uid 65532 and prints the verdict.
With `warm_judge = True` (`docker(warm_judge = on)` in a spec), each container also runs
the warm judge server (judge_runner.py `serve`, as uid 65532), started with the container:
libraries imported once, a pristine fork per judged sample whose check imports one of them
and per artefact loader (a light check is judged in its own exec, as cold).
With `warm_program = True` (`docker(warm_program = on)`), each container also runs the
preloaded interpreter (preload.py `serve`, the container's only root process, with the
SETUID and SETGID capabilities and no other): the libraries the corpus's programs import,
imported once; the sample's `python3 FILE` runs in a fork of it that became uid 65534
before touching anything of the sample (see preload.py for what it keeps and what a
program sees). The container's config user is then root, so that exec may have those
capabilities; its PID 1 is then not docker-init (which would be root with them) but a
reaper that `setpriv` started as uid 65533, with none. A program none of whose .py files
imports a preloaded library runs as a fresh python3 (the shim is left off its PATH).
The memory limit is exact with either server: the container starts with room for them
(WARM_RESERVE_BYTES, PRELOAD_RESERVE_BYTES); once they are up and before any sample runs,
it is set (`docker update`) to the sample's `memory` plus what the container then holds
that a sample could not reclaim (`memory.fit`). The sample's processes and every judge
are the OOM killer's first choice (`oom_score_adj` 1000), never a server.
Anything unexpected (timeout, OOM, output over the cap, leftovers, a missing status line, an
exec that does not return) retires the container through the engine and a fresh one takes
its place in the background.

Starting an exec costs the engine about 40 ms (runc joins the container), more than the rest
of a trivial sample. So once a sample has been cleaned up, the next sample's exec is started
at once and waits on its stdin: that cost then overlaps the time between samples. It is
still one fresh exec per sample, started only after the previous sample was verified gone.

The modules, one job each:
- pool.py: DockerSandbox, the pool of slots; `run` and `judge`; readying and replacing
  containers in the background.
- container.py: starting one hardened container (users, mounts, limits, PID 1).
- memory.py: fitting a container's memory limit to its warm servers (`docker update`).
- wrapper.sh: the sample's wrapper (shipped as package data); wrapper.py: its command,
  request line, files' tar and status line.
- execs.py: one sample's execs (the wrapper's, the judge's), each returning one value.
- exec_stream.py: reading an exec's multiplexed stream and its exit code.
- servers.py: starting the warm judge and the preloaded interpreter; which programs use it.
- preload.py: the preloaded interpreter and its shim (runs inside the container).
- cleanup.py: owner labels, removing retired and orphaned containers.
Nothing is imported here: the docker SDK loads only with the backend.
"""
