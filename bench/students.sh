#!/usr/bin/env bash
# A second student from the teacher's stream, compared in the served one's shadow and switched in,
# all measured from outside the JVMs under test:
#   1. './kd stack' streams its 250,000 events (the teacher annotates them once);
#   2. a second trainer ('small': --hidden 16, T 2, alpha 0.9) starts from the beginning of
#      soft-targets in its own JVM: how long it takes to catch up, and the teacher's annotated count
#      before and after (the teacher does not run again);
#   3. './kd control set server.shadows=small', then labelled traffic: each student's answers
#      against the labels, from the server's kd_server_student_predictions_total;
#   4. './kd control set server.student=small' under traffic: from the command's return to the first
#      prediction made by 'small' (its servedAt, the server's clock, the same machine's);
#   5. a live change of the second trainer's learning rate, and what its log says.
#
# Usage: bench/students.sh    (about 5 minutes; uses ports 9092, 9400-9404 and ./.kd)
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp -d)
now_ms() { date +%s%3N; }
metric() { curl -s "http://localhost:$1/metrics" | grep "^$2" | awk '{s += $2} END {printf "%d", s}'; }

./kd stack --epochs 1 --no-dashboard > "$log/stack.txt" 2>&1 &
stack=$!
trainer=
trap 'kill -TERM $stack $trainer 2>/dev/null || true' EXIT
for _ in $(seq 900); do
    grep -q "The stack keeps running" "$log/stack.txt" && break
    kill -0 $stack 2>/dev/null || { cat "$log/stack.txt" >&2; exit 1; }
    sleep 1
done
annotated_before=$(metric 9401 'kd_records_total{service="teacher",stage="annotated"')
echo "1. the stack's stream is done: the teacher annotated $annotated_before records"

start=$(now_ms)
./kd student --role trainer --trainer-id small --hidden 16 --temperature 2 --alpha 0.9 --metrics-port 9404 \
    --status-every 2 > "$log/small.txt" 2>&1 &
trainer=$!
for _ in $(seq 600); do
    # the status line: "trainer small running v3 | 250,000 records | lag 0 | ..."
    grep -qE '\| [1-9][0-9,]* records \| lag 0 \|' "$log/small.txt" && break
    kill -0 $trainer 2>/dev/null || { cat "$log/small.txt" >&2; exit 1; }
    sleep 1
done
caught_up=$(( $(now_ms) - start ))
annotated_after=$(metric 9401 'kd_records_total{service="teacher",stage="annotated"')
echo "2. trainer 'small' (hidden 16, T 2, alpha 0.9) caught up with soft-targets $caught_up ms after its"
echo "   command started (JVM start included):"
echo "   $(grep -E '\| [1-9][0-9,]* records \| lag 0 \|' "$log/small.txt" | head -1)"
echo "   the teacher annotated $annotated_before records before, $annotated_after after"

./kd control set server.shadows=small > "$log/control.txt" 2>&1
./kd produce --count 20000 --rate 2000 > "$log/produce1.txt" 2>&1
sleep 3
echo "3. 20,000 labelled records at 2,000/s with 'small' in the shadow; answers against the labels:"
for who in 'student",role="served' 'small",role="shadow'; do
    correct=$(curl -s http://localhost:9402/metrics | grep "^kd_server_student_predictions_total" \
        | grep "student=\"${who%%\"*}\"" | grep 'outcome="correct"' | awk '{s += $2} END {printf "%d", s}')
    wrong=$(curl -s http://localhost:9402/metrics | grep "^kd_server_student_predictions_total" \
        | grep "student=\"${who%%\"*}\"" | grep 'outcome="wrong"' | awk '{s += $2} END {printf "%d", s}')
    awk -v w="${who%%\"*}" -v c="$correct" -v x="$wrong" \
        'BEGIN { printf "   %-8s %6d correct, %5d wrong: %.2f %%\n", w, c, x, 100 * c / (c + x) }'
done

./kd produce --count 30000 --rate 2000 > "$log/produce2.txt" 2>&1 &
producer=$!
sleep 3
set_at=$(now_ms)
./kd control set server.student=small >> "$log/control.txt" 2>&1
returned=$(now_ms)
wait $producer
sleep 2
first=$(./kd query --last 40000 --json 2>/dev/null | python3 -c '
import json, sys
first = min((p["servedAt"] for p in map(json.loads, sys.stdin) if p.get("student") == "small"), default=None)
print(first if first is not None else "none")')
echo "4. './kd control set server.student=small' took $((returned - set_at)) ms (a JVM of its own);"
if [ "$first" = none ]; then
    echo "   no prediction by 'small' on predictions: see $log"
else
    echo "   the first prediction by 'small' was made $((first - returned)) ms after it returned"
fi

./kd control set student.learning.rate@small=0.0005 >> "$log/control.txt" 2>&1
sleep 3
echo "5. after './kd control set student.learning.rate@small=0.0005', trainer 'small' logged:"
grep "control version" "$log/small.txt" | tail -1 | sed 's/^/   /'
./kd control unset server.student server.shadows student.learning.rate@small >> "$log/control.txt" 2>&1
echo "every command's output in $log"
