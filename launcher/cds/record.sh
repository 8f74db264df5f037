#!/usr/bin/env bash
# Records kd.classlist, the classes kd-stream's commands load, from which ./kd makes its class data
# sharing archive (docs/platform.md, "Class data sharing"). Run it again when a dependency or the
# services' start changes much: a class missing from the list is only loaded the slow way, a class
# the list names that no longer exists is skipped. Takes about a minute; uses ports 39999, 39901 and 39902.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
# a background job is the subshell running kd(); its child is the JVM (./kd execs java)
stop_jobs() { for job in $(jobs -p); do pkill -TERM -P "$job" 2>/dev/null || true; done; wait || true; }
trap 'stop_jobs; rm -rf "$work"' EXIT
export KD_BOOTSTRAP_SERVERS=localhost:39999
# the classes as loaded without an archive
export KD_CDS=off

kd() { # kd NAME ARGS...: ./kd with its loaded classes listed in $work/NAME.lst
    local name="$1"
    shift
    KD_JAVA_OPTS="-XX:DumpLoadedClassList=$work/$name.lst" "$repo/kd" "$@"
}
await_line() { # await_line FILE PATTERN
    for _ in $(seq 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    echo "record.sh: no '$2' in $1" >&2
    cat "$1" >&2
    exit 1
}

kd broker broker --port 39999 --data-dir "$work/broker" >"$work/broker.log" 2>&1 &
await_line "$work/broker.log" "localhost:39999"
kd train teacher train -q --teachers 2 --teacher-epochs 1 --out "$work/ensemble.kdm" >/dev/null
KD_STATE_DIR="$work/teacher" KD_METRICS_PORT=39901 kd teacher teacher serve --ensemble "$work/ensemble.kdm" \
    >"$work/teacher.log" 2>&1 &
KD_STATE_DIR="$work/student" KD_METRICS_PORT=39902 kd student student --ensemble "$work/ensemble.kdm" \
    --status-every 1 >"$work/student.log" 2>&1 &
kd produce produce -q --count 20000 >/dev/null
await_line "$work/student.log" "20,000 records"
kd query query --last 1 >/dev/null
stop_jobs

# the lists in the order the services load them, once each; dynamic proxies are made at run time
cat "$work"/{teacher,student,broker,produce,query,train}.lst | grep -v '^#' | grep -v '\$Proxy' \
    | awk '!seen[$0]++' >"$here/kd.classlist"
echo "record.sh: $(wc -l <"$here/kd.classlist") classes in $here/kd.classlist"
