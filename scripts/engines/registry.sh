#!/usr/bin/env bash
# A private registry on loopback that plays Harbor in the tests (Debian's docker-registry, distribution 2.8).
#
# Usage:
#   registry.sh start DIR PORT   serve 127.0.0.1:PORT with its data under DIR/data; log in DIR/registry.log
#   registry.sh stop DIR         stop the registry whose pid is in DIR/pid (only that one)
#
# Optional pieces the caller writes into DIR before `start`: DIR/auth.yml (a top-level `auth:` section:
# htpasswd or token) and DIR/tls.yml (lines for the `http:` section, indented by two spaces: `tls:` with
# certificate and key). Without them the registry is anonymous and plain HTTP.
#
# Restartable: `stop` then `start` with the same DIR and PORT serves the same content again, which the
# "registry was down, then came back" retry test needs. Nothing outside DIR is read or written, and the
# registry only ever listens on 127.0.0.1.
set -eu

usage() { echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2; }

[ $# -ge 2 ] || usage
cmd=$1
dir=$2

alive() { [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; }

case "$cmd" in
  start)
    [ $# -eq 3 ] || usage
    port=$3
    case "$port" in ''|*[!0-9]*) echo "registry.sh: PORT must be a number, got '$port'" >&2; exit 2 ;; esac
    command -v docker-registry >/dev/null 2>&1 || { echo "registry.sh: docker-registry is not installed (apt-get install -y docker-registry)" >&2; exit 3; }
    if alive; then echo "registry.sh: already running with pid $(cat "$dir/pid")" >&2; exit 1; fi
    mkdir -p "$dir/data"
    # Anonymous unless DIR/auth.yml adds an auth section, like a Harbor public project. Deletes are enabled so
    # tests can remove a manifest to produce "manifest unknown".
    cat > "$dir/config.yml" <<CONFIG
version: 0.1
log:
  level: info
  formatter: text
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
CONFIG
    if [ -f "$dir/tls.yml" ]; then cat "$dir/tls.yml" >> "$dir/config.yml"; fi
    if [ -f "$dir/auth.yml" ]; then cat "$dir/auth.yml" >> "$dir/config.yml"; fi
    # setsid: the registry must not die with the shell that started it, and must not get its signals.
    setsid docker-registry serve "$dir/config.yml" >>"$dir/registry.log" 2>&1 < /dev/null &
    echo $! > "$dir/pid"
    # Ready when the port accepts connections (bash's /dev/tcp: no curl needed); the registry listens only
    # once its storage and routes are set up. Give up after ~10 s and report the log tail.
    for _ in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then exit 0; fi
      if ! alive; then break; fi
      sleep 0.1
    done
    echo "registry.sh: registry did not become ready on 127.0.0.1:$port; last log lines:" >&2
    tail -n 20 "$dir/registry.log" >&2 || true
    if alive; then kill "$(cat "$dir/pid")" 2>/dev/null || true; fi
    rm -f "$dir/pid"
    exit 1
    ;;
  stop)
    [ $# -eq 2 ] || usage
    if ! alive; then rm -f "$dir/pid"; exit 0; fi
    pid=$(cat "$dir/pid")
    kill "$pid"
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || { rm -f "$dir/pid"; exit 0; }
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/pid"
    ;;
  *) usage ;;
esac
