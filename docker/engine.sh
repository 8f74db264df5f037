#!/usr/bin/env bash
# A Docker engine for the checks that need one (the compose smoke test, ContainerPipelineIT) on a
# machine without systemd, e.g. a CI container:
#   docker/engine.sh start   uses the running engine, or installs Debian's docker.io, docker-compose,
#                            iptables and debootstrap if missing and starts dockerd; exits 1 with one
#                            line saying why where no engine can be had
#   docker/engine.sh stop    stops the dockerd that `start` started (and no other)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="$repo/.kd/dockerd"
pid_file="$state/dockerd.pid"

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

say() { printf 'engine: %s\n' "$*" >&2; }

start() {
    local missing=()
    command -v docker >/dev/null || missing+=(docker.io)
    command -v dockerd >/dev/null || missing+=(docker.io)
    command -v docker-compose >/dev/null || missing+=(docker-compose)
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    command -v iptables >/dev/null || missing+=(iptables)
    if [ "${#missing[@]}" -gt 0 ]; then
        if ! command -v apt-get >/dev/null || { [ -n "$sudo" ] && ! sudo -n true 2>/dev/null; }; then
            say "no Docker engine: ${missing[*]} missing, and no apt-get as root to install them"
            return 1
        fi
        say "installing ${missing[*]}"
        $sudo apt-get update -qq
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    if docker info >/dev/null 2>&1; then
        say "using the running Docker engine ($(docker version --format '{{.Server.Version}}'))"
        return 0
    fi
    if [ -n "$sudo" ] && ! sudo -n true 2>/dev/null; then
        say "no Docker engine running, and no root to start dockerd"
        return 1
    fi
    mkdir -p "$state"
    # no systemd here: dockerd in the background, its log beside its pid
    $sudo sh -c "nohup dockerd >'$state/dockerd.log' 2>&1 & echo \$! >'$pid_file'"
    for _ in $(seq 60); do
        if docker info >/dev/null 2>&1; then
            say "started dockerd $(docker version --format '{{.Server.Version}}') (pid $(cat "$pid_file"), log $state/dockerd.log)"
            return 0
        fi
        if ! $sudo kill -0 "$(cat "$pid_file")" 2>/dev/null; then
            say "dockerd could not start here: $(tail -1 "$state/dockerd.log")"
            rm -f "$pid_file"
            return 1
        fi
        sleep 0.5
    done
    say "dockerd did not answer within 30 s: see $state/dockerd.log"
    return 1
}

stop() {
    [ -f "$pid_file" ] || return 0
    local pid
    pid="$(cat "$pid_file")"
    $sudo kill "$pid" 2>/dev/null || true
    for _ in $(seq 40); do
        $sudo kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    rm -f "$pid_file"
    # dockerd leaves the firewall's FORWARD policy at DROP when it exits
    $sudo iptables -P FORWARD ACCEPT 2>/dev/null || true
    say "stopped dockerd (pid $pid)"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: docker/engine.sh start|stop" >&2; exit 2 ;;
esac
