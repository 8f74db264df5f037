#!/usr/bin/env bash
# Served events/s and CPU per served prediction of a whole stack at teacher budget 1.0 against a
# smaller one, measured from outside the stack's JVM: pairs of fresh './kd stack' processes, one per
# budget, alternating, each flooded by './kd bench flood' (a client in its own JVM) once its own
# stream is done: a first flood as a user meets it (cold), then a second, settled one. CPU is the
# stack JVM's user + system time (broker, teacher, trainer, server, JIT and GC) over the second
# flood, read from /proc; the flood's own client is not in it.
#
# Usage: bench/budget-throughput.sh [PAIRS] [BUDGET] [SAMPLER]    (defaults: 3 0.1 uncertainty)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-3}
budget=${2:-0.1}
sampler=${3:-uncertainty}
records=100000
rounds=3
hz=$(getconf CLK_TCK)
log=$(mktemp -d)

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

one() {
    local b=$1 out="$log/stack-$1-$2.txt"
    ./kd stack --epochs 1 --no-dashboard --teacher-budget "$b" --sampler "$sampler" > "$out" 2>&1 &
    stack_pid=$!
    # this runs in a subshell ($(one ...)): a failure here must not leave the stack running
    trap 'kill -TERM "$stack_pid" 2>/dev/null || true' EXIT
    for _ in $(seq 600); do
        grep -q "The stack keeps running" "$out" && break
        kill -0 "$stack_pid" 2>/dev/null || { echo "the stack at budget $b stopped: see below" >&2; cat "$out" >&2; exit 1; }
        sleep 1
    done
    # the JVM the kd script started (it execs java, so the pid is the JVM's)
    local before after cold flood rate cold_rate
    cold=$(./kd bench flood --records "$records" --rounds "$rounds" --no-reference 2>&1 | tee "$log/cold-$1-$2.txt")
    before=$(ticks "$stack_pid")
    flood=$(./kd bench flood --records "$records" --rounds "$rounds" --no-reference 2>&1 | tee "$log/flood-$1-$2.txt")
    after=$(ticks "$stack_pid")
    kill -TERM "$stack_pid"   # a background job ignores SIGINT; the stack stops cleanly on either
    wait "$stack_pid" || true
    cold_rate=$(echo "$cold" | grep "^round 1:" | sed 's/.*: \([0-9,]*\) events\/s.*/\1/' | tr -d ,)
    rate=$(echo "$flood" | grep "^round $rounds:" | sed 's/.*: \([0-9,]*\) events\/s.*/\1/' | tr -d ,)
    lost=$(( $(echo "$cold$flood" | grep "^lost" | sed 's/^lost \([0-9,]*\);.*/\1/' | tr -d , | paste -sd+) ))
    local cpu_us_per_record
    cpu_us_per_record=$(awk -v t=$((after - before)) -v hz="$hz" -v n=$((records * rounds)) \
        'BEGIN { printf "%.1f", t / hz / n * 1e6 }')
    printf "%s %s %s %s %s\n" "$b" "$cold_rate" "$rate" "$cpu_us_per_record" "$lost"
}

echo "pairs of fresh stacks, budget 1.0 then $budget ($sampler), $rounds flood rounds of $records records each;"
echo "cold: the first flood's first round; settled: the second flood's last round, and the stack JVM's CPU"
echo "over the second flood per record; each run's output in $log"
printf "%-5s %20s %20s %20s %7s %7s %7s %5s\n" pair "cold events/s" "settled events/s" "CPU us/record" \
    "cold" "settled" "CPU" "lost"
printf "%-5s %20s %20s %20s %7s %7s %7s %5s\n" "" "1.0 / $budget" "1.0 / $budget" "1.0 / $budget" "ratio" "ratio" \
    "ratio" ""
for pair in $(seq "$pairs"); do
    read -r _ k1 r1 c1 l1 <<< "$(one 1.0 "$pair")"
    read -r _ k2 r2 c2 l2 <<< "$(one "$budget" "$pair")"
    awk -v p="$pair" -v k1="$k1" -v k2="$k2" -v r1="$r1" -v r2="$r2" -v c1="$c1" -v c2="$c2" -v l=$((l1 + l2)) \
        'BEGIN { printf "%-5s %9d / %-8d %9d / %-8d %9.1f / %-8.1f %6.2fx %6.2fx %6.2fx %5d\n", p, k1, k2, r1, r2,
            c1, c2, k2 / k1, r2 / r1, c2 / c1, l }'
done
