#!/usr/bin/env bash
# Makes a Docker engine answer on this machine, for benchrun's Docker sandboxes.
# Idempotent: installs docker.io (and mmdebstrap, used to build the image offline, and
# bubblewrap, the local sandbox's isolation) with apt-get if missing, starts dockerd in
# the background if the engine does not answer, and waits until `docker info` works.
# Needs root (or sudo).
#   bash scripts/sandbox-engine.sh        # log: ${BENCHRUN_DOCKERD_LOG:-/var/log/benchrun-dockerd.log}
set -euo pipefail

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
LOG=${BENCHRUN_DOCKERD_LOG:-/var/log/benchrun-dockerd.log}

# bubblewrap isolates `sandbox local()` (no network, own PID namespace, read-only host).
if ! command -v dockerd >/dev/null 2>&1 || ! command -v mmdebstrap >/dev/null 2>&1 \
    || ! command -v bwrap >/dev/null 2>&1; then
  echo "installing docker.io, mmdebstrap and bubblewrap with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    docker.io mmdebstrap bubblewrap ca-certificates >/dev/null
fi

if docker info >/dev/null 2>&1; then
  echo "Docker engine already running"
  exit 0
fi

# A service manager starts it properly where there is one; otherwise run it directly.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $SUDO systemctl start docker || true
fi
if ! docker info >/dev/null 2>&1 && ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "starting dockerd in the background (log: $LOG)"
  $SUDO mkdir -p "$(dirname "$LOG")"
  $SUDO sh -c "nohup dockerd >>'$LOG' 2>&1 &"
fi

for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    echo "Docker engine running"
    exit 0
  fi
  sleep 1
done
echo "Docker engine did not answer within 60 s; see $LOG" >&2
exit 1
