#!/usr/bin/env bash
# The compose smoke test (.ci/run runs it): docker-compose.yml as a user runs it, on the images
# docker/local-images.sh builds, fed from the host with a plain Kafka client
# (docker/smoke/ComposeSmokeCheck.java), through a SIGKILL of the teacher-service mid-stream.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: docker/smoke-test.sh [--keep] [--help]

  1. a Docker engine (docker/engine.sh start: installs docker.io, docker-compose, debootstrap if
     missing and starts dockerd; skipped with one line where none can be had)
  2. the images (docker/local-images.sh), then `docker-compose up -d` of kafka, teacher-service,
     student-service and prometheus (no Grafana: no image of it here; no producer: the test feeds
     its own records), as project kdsmoke on host ports 29092, 29401, 29402, 29090
  3. batch 1: N valid and invalid records from the host; every valid id has exactly one soft target
     and a prediction with a model version, every invalid one exactly one dead letter with its
     reason (read_committed); Prometheus shows both services up with their kd metrics
  4. batch 2, the same, while the teacher-service is killed with SIGKILL and started again
  5. secured (docker-compose.secure.yml over the same volumes, as a site turns security on): the
     credentials, users, topics and ACLs are made; N records produced and predicted with each
     service as its own principal; a client without credentials, with a wrong password, or
     without the ACL it needs is refused with a one-line error
  6. `docker-compose down -v` leaves no container, network or volume of the project

--keep leaves the stack running after a failure (docker-compose -p kdsmoke ... down -v removes it).
Environment: SMOKE_RECORDS (valid records per batch, default 2000; a tenth as many invalid ones).
EOF
}

keep=false
for arg in "$@"; do
    case "$arg" in
        --keep) keep=true ;;
        -h|--help) usage; exit 0 ;;
        *) echo "smoke-test: unknown argument $arg (see --help)" >&2; exit 2 ;;
    esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$repo/.kd/smoke"
valid="${SMOKE_RECORDS:-2000}"
invalid=$((valid / 10))
project=kdsmoke
kafka_port=29092
prometheus_port=29090
services=(kafka teacher-service student-service prometheus)
# what Prometheus must show of each kd-stream service (the dashboard's main series)
kd_metrics=(teacher-service=kd_records_total,kd_dead_letters_total,kd_teacher_batch_size_records_count
    student-service=kd_records_total,kd_model_version,kd_accuracy,kd_trainer_records_trained_total)
say() { printf 'smoke-test: %s\n' "$*"; }
since() { echo "$((SECONDS - $1)) s"; }

started_engine=false
[ -f "$repo/.kd/dockerd/dockerd.pid" ] || started_engine=true
if ! "$repo/docker/engine.sh" start; then
    say "skipped: no Docker engine can be started on this machine"
    exit 0
fi
[ -f "$repo/.kd/dockerd/dockerd.pid" ] || started_engine=false

total=$SECONDS
step=$SECONDS
"$repo/docker/local-images.sh"
say "images: $(since "$step")"

mkdir -p "$work"
env_file="$work/compose.env"
{
    cat "$repo/docker/local.env"
    echo "KAFKA_HOST_PORT=$kafka_port"
    echo "TEACHER_HOST_PORT=29401"
    echo "STUDENT_HOST_PORT=29402"
    echo "PRODUCER_HOST_PORT=29403"
    echo "PROMETHEUS_HOST_PORT=$prometheus_port"
    echo "GRAFANA_HOST_PORT=23000"
    # compose refuses to start without one; Grafana itself is not run here
    echo "GRAFANA_ADMIN_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
} > "$env_file"
compose=(docker-compose --project-name "$project" --env-file "$env_file" --file "$repo/docker-compose.yml")

# the verifier: java's source launcher on the Kafka client's jars and Jackson, from ~/.m2
classpath="$(tr ':' '\n' < "$repo/launcher/target/runtime-classpath.txt" \
    | grep -E '/(kafka-clients|jackson-(core|databind|annotations)|slf4j-(api|simple)|lz4-java|snappy-java|zstd-jni)-[0-9][^/]*\.jar$' \
    | paste -sd:)"
check() { java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classpath" "$repo/docker/smoke/ComposeSmokeCheck.java" "$@"; }

finish() {
    local code=$?
    if [ "$code" -ne 0 ]; then
        say "FAILED; the services' last log lines:"
        "${compose[@]}" logs --no-color --tail=30 teacher-service student-service kafka 2>&1 | tail -90 || true
        if $keep; then
            say "left running (--keep): ${compose[*]} down -v"
        else
            "${compose[@]}" down -v >/dev/null 2>&1 || true
        fi
    fi
    if $started_engine; then
        "$repo/docker/engine.sh" stop
    fi
    exit "$code"
}
trap finish EXIT

health() { # <service>: its container's health, or "absent"
    local id
    id="$("${compose[@]}" ps -q "$1" 2>/dev/null)"
    [ -n "$id" ] && docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id" \
        || echo absent
}

wait_healthy() { # <timeout seconds> <service...>
    local deadline=$((SECONDS + $1)) service
    shift
    for service in "$@"; do
        until [ "$(health "$service")" = healthy ]; do
            if [ "$SECONDS" -ge "$deadline" ]; then
                say "$service is $(health "$service") after waiting $1 s"
                return 1
            fi
            sleep 2
        done
    done
}

compose_started=$SECONDS
"${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
step=$SECONDS
say "docker-compose up -d ${services[*]} (the teacher-service trains the ensemble on its first start)"
"${compose[@]}" up -d "${services[@]}" 2>&1 | sed 's/^/  /'
# the teacher-service trains on its first start before it answers /health
wait_healthy 900 "${services[@]}"
say "up and healthy: $(since "$step")"

step=$SECONDS
check feed "localhost:$kafka_port" b1 "$valid" "$invalid" 10
check check "localhost:$kafka_port" b1 "$valid" "$invalid" 300
check prometheus "http://localhost:$prometheus_port" 120 "${kd_metrics[@]}"
say "batch 1: $(since "$step")"

step=$SECONDS
check feed "localhost:$kafka_port" b2 "$valid" "$invalid" 30 &
feeder=$!
sleep 8
say "docker-compose kill -s SIGKILL teacher-service, mid-stream"
"${compose[@]}" kill -s SIGKILL teacher-service 2>&1 | sed 's/^/  /'
"${compose[@]}" up -d teacher-service 2>&1 | sed 's/^/  /'
restarted=$SECONDS
wait_healthy 300 teacher-service
say "teacher-service healthy again $(since "$restarted") after its restart"
wait "$feeder"
check check "localhost:$kafka_port" b2 "$valid" "$invalid" 300
check prometheus "http://localhost:$prometheus_port" 120 "${kd_metrics[@]}"
say "batch 2, through the kill: $(since "$step")"

step=$SECONDS
"${compose[@]}" stop 2>&1 | sed 's/^/  /'
secured=("${compose[@]}" --file "$repo/docker-compose.secure.yml")
compose=("${secured[@]}")   # what finish() shows and removes from here on
say "secured: docker-compose -f docker-compose.yml -f docker-compose.secure.yml up -d"
"${secured[@]}" up -d kafka teacher-service student-service serving-service transaction-sweeper 2>&1 | sed 's/^/  /'
wait_healthy 600 kafka teacher-service student-service serving-service
as_user() { # <user> <./kd arguments...>: run as the service principal <user> in the network
    local user="$1"
    shift
    "${secured[@]}" run --rm --no-deps -e "KD_CONFIG=/secure/$user/$user.properties" producer "$@"
}
as_user kd-producer produce --count "$valid" --no-metrics 2>&1 | tail -1 | sed 's/^/  /'
deadline=$((SECONDS + 300))
until predicted="$(as_user kd-reader query --last 1000000 --json 2>/dev/null \
        | grep -o '"id":"p[0-9]*-[0-9]*"' | sort -u | wc -l)" && [ "$predicted" -ge "$valid" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        say "FAILED: $predicted of $valid records predicted on the secured stack after 300 s"
        exit 1
    fi
    sleep 5
done
say "secured: $predicted records produced as kd-producer, predicted as kd-server, read as kd-reader"
refused() { # <description> <expected one-line error> <docker-compose run arguments...>
    local what="$1" expected="$2" output code=0
    shift 2
    output="$("${secured[@]}" run --rm --no-deps "$@" 2>&1)" || code=$?
    if [ "$code" -eq 0 ] || ! grep -q -- "$expected" <<<"$output"; then
        say "FAILED: $what: exit $code, expected '$expected' in:"
        printf '%s\n' "$output" | tail -5
        exit 1
    fi
    say "refused as it should be, $what: $(grep -- "$expected" <<<"$output" | head -1 | cut -c1-110)..."
}
refused "a wrong password" "query: error: Kafka refused this client's credentials" \
    -e KD_CONFIG=/secure/kd-reader/kd-reader.properties \
    -e 'KD_KAFKA_SASL_JAAS_CONFIG=org.apache.kafka.common.security.scram.ScramLoginModule required username="kd-reader" password="wrong";' \
    producer query --last 1 --timeout 20
refused "the reader writing features" "produce: error: topic features is missing (or this principal may not" \
    -e KD_CONFIG=/secure/kd-reader/kd-reader.properties producer produce --count 1 --no-metrics
refused "no credentials" "query: error: the broker at kafka:19092 speaks TLS but this client is set for PLAINTEXT" \
    -e KD_CONFIG= producer query --last 1 --timeout 10
say "secured: $(since "$step")"

step=$SECONDS
"${compose[@]}" down -v 2>&1 | sed 's/^/  /'
left="$(docker ps -aq --filter "label=com.docker.compose.project=$project")"
volumes="$(docker volume ls -q --filter "label=com.docker.compose.project=$project")"
networks="$(docker network ls -q --filter "label=com.docker.compose.project=$project")"
if [ -n "$left$volumes$networks" ]; then
    say "FAILED: docker-compose down -v left containers [$left] volumes [$volumes] networks [$networks]"
    exit 1
fi
say "down -v: nothing of project $project left ($(since "$step"))"
say "passed: the compose part took $(since "$compose_started") ($(since "$total") with the images)"
