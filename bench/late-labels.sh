#!/usr/bin/env bash
# Late labels at 10,000 events/s: './kd stack' (one pass of its stream, then idle), then
# './kd produce --rate 10000 --count N --label-delay 0-60': every training record's label sent to
# 'labels' 0-60 s after the record (uniform). Counted from outside the JVMs under test, from the
# services' /metrics once no label is left waiting: labels sent (the producer's summary), joined to
# their record by the trainer, dead-lettered by the teacher or the trainer, and records whose window
# closed without their label; then the served answers the server scored against the late labels,
# their accuracy, and the served accuracy on the holdout records, which carry their label inline.
# The seconds waited for that after the producer returned and, from /proc, the stack JVM's CPU time
# (user + system) from the first record produced to the last label joined and scored, and its
# resident memory then. RUNS runs (default 5), each on a fresh stack and
# another --seed.
#
# Usage: bench/late-labels.sh [RUNS] [COUNT] [FIRST_SEED]
#        (about 2.5 minutes a run; uses ports 9092, 9400-9404 and ./.kd)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
count=${2:-300000}
first_seed=${3:-1}
log=$(mktemp -d)
fail() { echo "$1: see $log" >&2; exit 1; }
scrape() { # port: the service's /metrics, once (every scrape costs the JVM under test CPU)
    curl -sf "http://localhost:$1/metrics" || true
}
counter() { # scrape name [match...]: the sum of the counter's lines matching every match (0 if none)
    local lines
    lines=$(grep "^$2{" <<< "$1" || true)
    shift 2
    for m in "$@"; do lines=$(grep -F "$m" <<< "$lines" || true); done
    awk '{s += $2} END {printf "%d", s}' <<< "$lines"
}
stack=
cleanup() { [ -n "$stack" ] && kill -TERM "$stack" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
cpu_seconds() { # pid: user + system time so far
    awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"
}
printf "%-4s %-10s %-10s %-10s %-10s %-14s %-12s %-10s %-10s %-12s %-14s %-8s %-8s %-8s\n" run "elapsed s" labels \
    joined "joined %" "dead letters" unlabelled waiting "scored" "served late" "served inline" "wait s" "CPU s" \
    "RSS MB"
for run in $(seq "$first_seed" $((first_seed + runs - 1))); do
    ./kd stack --epochs 1 --no-dashboard > "$log/stack-$run.txt" 2>&1 &
    stack=$!
    for i in $(seq 900); do
        grep -q "The stack keeps running" "$log/stack-$run.txt" && break
        kill -0 "$stack" 2>/dev/null || fail "the stack stopped"
        sleep 1
    done
    # the stack's own stream was served with its labels inline: the holdout figure counts from here
    m=$(scrape 9402)
    inline_right0=$(counter "$m" kd_server_student_predictions_total 'role="served"' 'outcome="correct"')
    inline0=$(( inline_right0 + $(counter "$m" kd_server_student_predictions_total 'role="served"' 'outcome="wrong"') ))
    cpu0=$(cpu_seconds "$stack")
    ./kd produce --bootstrap-servers localhost:9092 --rate 10000 --count "$count" --label-delay 0-60 \
        --seed "$run" --no-metrics -q > "$log/produce-$run.txt" 2>&1 || fail "produce failed"
    labels=$(sed -n 's/.*of which labels: \([0-9]*\).*/\1/p' "$log/produce-$run.txt")
    # the records at 10,000/s, then the last labels up to 60 s later: about COUNT / 10,000 + 60 s when it kept up
    elapsed=$(sed -n 's/^elapsed: *\([0-9.]*\) s.*/\1/p' "$log/produce-$run.txt")
    # the producer returns after its last label; the trainer joins it when the teacher has passed it on
    waited=$SECONDS
    for i in $(seq 300); do
        m=$(scrape 9402)
        waiting=$(counter "$m" kd_trainer_labels_waiting 'stage="records"')
        joined=$(counter "$m" kd_trainer_labels_total 'outcome="joined"')
        scored=$(counter "$m" kd_server_student_predictions_late_total 'role="served"')
        # a server that does not score late labels (one built before it did) has no such counter
        scoring=$(grep -c '^kd_server_labels_total{' <<< "$m" || true)
        [ "$joined" -ge "$labels" ] && [ "$waiting" -eq 0 ] && { [ "$scoring" -eq 0 ] || [ "$scored" -ge "$labels" ]; } \
            && break
        sleep 1
    done
    waited=$((SECONDS - waited))
    cpu=$(awk -v a="$cpu0" -v b="$(cpu_seconds "$stack")" 'BEGIN {printf "%.1f", b - a}')
    rss=$(awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/$stack/status")
    m=$(scrape 9402)
    late_right=$(counter "$m" kd_server_student_predictions_late_total 'role="served"' 'outcome="correct"')
    inline_right=$(( $(counter "$m" kd_server_student_predictions_total 'role="served"' 'outcome="correct"') \
        - inline_right0 ))
    inline=$(( $(counter "$m" kd_server_student_predictions_total 'role="served"' 'outcome="correct"') \
        + $(counter "$m" kd_server_student_predictions_total 'role="served"' 'outcome="wrong"') - inline0 ))
    trainer_dlq=$(( $(counter "$m" kd_trainer_labels_total 'outcome="expired"') \
        + $(counter "$m" kd_trainer_labels_total 'outcome="duplicate"') \
        + $(counter "$m" kd_trainer_labels_total 'outcome="unknown_id"') ))
    teacher_dlq=$(counter "$(scrape 9401)" kd_dead_letters_total)
    unlabelled=$(counter "$m" kd_trainer_records_unlabelled_total)
    printf "%-4s %-10s %-10s %-10s %-10s %-14s %-12s %-10s %-10s %-12s %-14s %-8s %-8s %-8s\n" "$run" "$elapsed" \
        "$labels" "$joined" "$(awk -v j="$joined" -v l="$labels" 'BEGIN {printf "%.3f", 100 * j / l}')" \
        "$((trainer_dlq + teacher_dlq))" "$unlabelled" "$waiting" "$scored" \
        "$(awk -v r="$late_right" -v n="$scored" 'BEGIN {printf "%.2f %%", n ? 100 * r / n : 0}')" \
        "$(awk -v r="$inline_right" -v n="$inline" 'BEGIN {printf "%.2f %%", n ? 100 * r / n : 0}')" "$waited" "$cpu" \
        "$rss"
    kill -TERM "$stack"; wait "$stack" 2>/dev/null || true
    stack=
done
echo "logs: $log"
