#!/usr/bin/env bash
# Start or stop a private Docker Engine that touches nothing shared: vfs storage, no networking, and its
# data, state, socket and log all under DIR. Never talks to /var/run/docker.sock.
#
#   scripts/engines/dockerd.sh start DIR   # prints DOCKER_HOST=unix://DIR/docker.sock once the daemon answers
#   scripts/engines/dockerd.sh stop DIR    # stops exactly the daemon whose pid is in DIR/pid, then waits
#
# DIR should be short (mktemp -d /tmp/imga.XXXXXX): a unix socket path must stay under 108 bytes.
# DOCKERD_START_TIMEOUT (seconds, default 60) bounds the wait for the daemon.
set -eu

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ "$#" -eq 2 ] || usage
cmd="$1"
dir="$2"

# Resolve DIR to an absolute path: dockerd and its clients may run from other working directories.
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
sock="$dir/docker.sock"
pidfile="$dir/pid"
host="unix://$sock"

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

start() {
  if [ "${#sock}" -ge 104 ]; then
    echo "dockerd.sh: socket path too long (${#sock} bytes, limit ~104): $sock; use a shorter DIR" >&2
    exit 2
  fi
  if [ -f "$pidfile" ] && alive "$(cat "$pidfile")"; then
    echo "dockerd.sh: a daemon is already running for $dir (pid $(cat "$pidfile"))" >&2
    exit 1
  fi
  command -v dockerd >/dev/null || { echo "dockerd.sh: dockerd not found (apt-get install -y docker.io)" >&2; exit 127; }
  command -v docker >/dev/null || { echo "dockerd.sh: docker CLI not found" >&2; exit 127; }
  mkdir -p "$dir/data" "$dir/exec" "$dir/tmp"
  # setsid: the daemon gets its own session, so a Ctrl-C or a job-control kill aimed at the caller's group
  # does not leave a half-dead daemon behind; we stop it by pid instead.
  # TMPDIR: its containerd writes a stack dump (containerd.PID.stacks.log) to the temp directory when it gets
  # SIGUSR1; keep those under DIR, removed with it, not in the machine's shared /tmp.
  TMPDIR="$dir/tmp" setsid dockerd \
    --storage-driver=vfs --iptables=false --ip6tables=false --bridge=none \
    --data-root="$dir/data" --exec-root="$dir/exec" --pidfile="$pidfile" \
    --host="$host" >"$dir/dockerd.log" 2>&1 </dev/null &
  local launched=$!
  echo "$launched" >"$dir/launcher.pid"
  local limit=$(( ${DOCKERD_START_TIMEOUT:-60} * 10 )) i=0
  while [ "$i" -lt "$limit" ]; do
    if DOCKER_HOST="$host" DOCKER_CONTEXT= docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
      echo "DOCKER_HOST=$host"
      return 0
    fi
    # (setsid may fork when it is a group leader; then the daemon's pid is only in the pid file)
    if ! alive "$launched" && ! { [ -f "$pidfile" ] && alive "$(cat "$pidfile")"; }; then
      echo "dockerd.sh: dockerd exited during start-up; last lines of $dir/dockerd.log:" >&2
      tail -n 20 "$dir/dockerd.log" >&2 || true
      exit 1
    fi
    sleep 0.1
    i=$((i + 1))
  done
  echo "dockerd.sh: dockerd did not answer within ${DOCKERD_START_TIMEOUT:-60}s; see $dir/dockerd.log" >&2
  kill "$launched" 2>/dev/null || true
  exit 1
}

stop() {
  local pid=""
  if [ -f "$pidfile" ]; then pid=$(cat "$pidfile"); elif [ -f "$dir/launcher.pid" ]; then pid=$(cat "$dir/launcher.pid"); fi
  if ! alive "$pid"; then
    return 0
  fi
  kill -TERM "$pid"
  # dockerd stops its own containerd; give it time, then insist.
  local i=0
  while alive "$pid" && [ "$i" -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
  if alive "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
    while alive "$pid"; do sleep 0.1; done
  fi
  # A daemon that had to be killed leaves its managed containerd behind; that one is ours too.
  local containerd_pidfile="$dir/exec/containerd/containerd.pid" cpid
  if [ -f "$containerd_pidfile" ]; then
    cpid=$(cat "$containerd_pidfile")
    if alive "$cpid" && grep -q -- "$dir/exec/containerd" "/proc/$cpid/cmdline" 2>/dev/null; then
      kill -TERM "$cpid" 2>/dev/null || true
      i=0
      while alive "$cpid" && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
      alive "$cpid" && kill -KILL "$cpid" 2>/dev/null || true
    fi
  fi
  # A killed daemon also leaves the mounts it made under DIR (the data root); remove them, deepest first, so
  # DIR can be deleted. Only paths under DIR are touched.
  awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
