#!/usr/bin/env bash
# A second student from the teacher's stream, compared in the served one's shadow and switched in,
# all measured from outside the JVMs under test:
#   1. './kd stack --epochs 10' streams 50,000 events (the teacher annotates them once);
#   2. a second trainer ('small': --hidden 16, T 2, alpha 0.9) starts from the beginning of
#      soft-targets in its own JVM: how long it takes to catch up, and the teacher's annotated count
#      before and after (the teacher does not run again);
#   3. './kd control set server.shadows=small', then 20,000 labelled records: each student's answers
#      to those records against their labels (the server's kd_server_student_predictions_total,
#      before and after);
#   4. './kd control set server.student=small' under traffic: from the command's start and from its
#      return to the first prediction made by 'small' (its servedAt: the server's clock, this machine's);
#   5. a live change of the second trainer's learning rate, and what its log says.
# The live settings are unset at the end, whatever happens.
#
# Usage: bench/students.sh    (about 5 minutes; uses ports 9092, 9400-9404 and ./.kd)
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp -d)
now_ms() { date +%s%3N; }
fail() { echo "$1: see $log" >&2; exit 1; }
# the sum of a Prometheus counter's lines that contain every one of the given label matches (0 if none)
counter() {
    local port=$1 name=$2
    shift 2
    curl -sf "http://localhost:$port/metrics" | grep "^$name{" | { local lines; lines=$(cat)
        for m in "$@"; do lines=$(grep -F "$m" <<< "$lines" || true); done
        awk '{s += $2} END {printf "%d", s}' <<< "$lines"; }
}
# waits until FILE has a line matching the extended regex, while PID runs, at most SECONDS
wait_for() {
    local pattern=$1 file=$2 pid=$3 seconds=$4 what=$5
    for i in $(seq "$seconds"); do
        grep -qE "$pattern" "$file" && return 0
        kill -0 "$pid" 2>/dev/null || fail "$what stopped"
        sleep 1
    done
    fail "$what: no '$pattern' within $seconds s"
}
answers() { # student role outcome
    counter 9402 kd_server_student_predictions_total "student=\"$1\"" "role=\"$2\"" "outcome=\"$3\""
}

./kd stack --epochs 10 --no-dashboard > "$log/stack.txt" 2>&1 &
stack=$!
trainer=
producer=
cleanup() {
    ./kd control unset server.student server.shadows student.learning.rate@small > /dev/null 2>&1 || true
    kill -TERM $stack $trainer $producer 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT
wait_for "The stack keeps running" "$log/stack.txt" $stack 900 "the stack"
annotated_before=$(counter 9401 kd_records_total 'stage="annotated"')
# "ensemble:  ensemble-... (cached in .kd/models/ensemble-291a7cfd.kdm)" or "... saved to .kd/models/...kdm"
ensemble=$(sed -n -e 's/^ensemble: .*(cached in \(.*\.kdm\)).*/\1/p' -e 's/^ensemble: .* saved to \(.*\.kdm\)$/\1/p' \
    "$log/stack.txt" | tail -1)
[ -n "$ensemble" ] || fail "the stack did not say where its ensemble is"
echo "1. the stack's stream is done: the teacher annotated $annotated_before records"

start=$(now_ms)
./kd student --role trainer --trainer-id small --hidden 16 --temperature 2 --alpha 0.9 --metrics-port 9404 \
    --ensemble "$ensemble" --status-every 1 > "$log/small.txt" 2>&1 &
trainer=$!
# the status line: "trainer small running v10 | 50,000 records | lag 0 | ..."
caught='\| [1-9][0-9,]* records \| lag 0 \|'
wait_for "$caught" "$log/small.txt" $trainer 600 "trainer 'small'"
caught_up=$(( $(now_ms) - start ))
annotated_after=$(counter 9401 kd_records_total 'stage="annotated"')
echo "2. trainer 'small' (hidden 16, T 2, alpha 0.9) caught up with soft-targets $caught_up ms after its command"
echo "   started (JVM start included; its status every second):"
echo "   $(grep -E "$caught" "$log/small.txt" | head -1)"
echo "   the teacher annotated $annotated_before records before, $annotated_after after"

./kd control set server.shadows=small > "$log/control.txt" 2>&1
sleep 2
declare -A before
for who in student:served small:shadow; do
    for outcome in correct wrong; do
        before[$who:$outcome]=$(answers "${who%%:*}" "${who##*:}" "$outcome")
    done
done
./kd produce --count 20000 --rate 2000 --no-metrics > "$log/produce1.txt" 2>&1
sleep 3
echo "3. 20,000 labelled records at 2,000/s with 'small' in the shadow; their answers against the labels:"
for who in student:served small:shadow; do
    c=$(( $(answers "${who%%:*}" "${who##*:}" correct) - ${before[$who:correct]} ))
    w=$(( $(answers "${who%%:*}" "${who##*:}" wrong) - ${before[$who:wrong]} ))
    awk -v who="$who" -v c="$c" -v w="$w" \
        'BEGIN { printf "   %-15s %6d correct, %5d wrong: %s\n", who, c, w, c + w ? sprintf("%.2f %%", 100 * c / (c + w)) : "-" }'
done

./kd produce --count 30000 --rate 2000 --no-metrics > "$log/produce2.txt" 2>&1 &
producer=$!
sleep 3
set_at=$(now_ms)
./kd control set server.student=small >> "$log/control.txt" 2>&1
returned=$(now_ms)
wait $producer
sleep 2
./kd query --last 60000 --json > "$log/predictions.json" 2> "$log/query.txt" || fail "./kd query failed"
first=$(python3 -c '
import json, sys
first = min((p["servedAt"] for p in map(json.loads, sys.stdin) if p.get("student") == "small"), default=None)
print(first if first is not None else "none")' < "$log/predictions.json")
echo "4. './kd control set server.student=small' took $((returned - set_at)) ms (a JVM of its own);"
if [ "$first" = none ]; then
    fail "   no prediction by 'small' on predictions"
fi
echo "   the first prediction by 'small' was made $((first - set_at)) ms after the command started," \
    "$((first - returned)) ms after it returned"

./kd control set student.learning.rate@small=0.0005 >> "$log/control.txt" 2>&1
sleep 3
echo "5. after './kd control set student.learning.rate@small=0.0005', trainer 'small' logged:"
grep "control version" "$log/small.txt" | tail -1 | sed 's/^/   /' || echo "   nothing: see $log/small.txt"
echo "every command's output in $log"
