#!/usr/bin/env bash
# Builds stand-in images for the ones docker-compose.yml pulls, from what a machine without
# Docker Hub reaches (Debian's archive, the jars Maven has already fetched), then writes
# docker/local.env naming them, so that
#
#   docker-compose --env-file docker/local.env up -d
#
# runs the whole stack from local images (Grafana excepted: there is no stand-in for it).
set -euo pipefail

usage() {
    cat <<'EOF'
usage: docker/local-images.sh [--rebuild-base] [--help]

Builds, with no pull and no download inside any image build:
  kd-local/debian:bookworm    Debian bookworm (debootstrap --variant=minbase)
  kd-local/jre:17             + Debian's openjdk-17-jre-headless     (for KD_JRE_IMAGE)
  kd-local/prometheus:2       + Debian's prometheus and wget         (for PROMETHEUS_IMAGE)
  kd-local/kafka:<version>    the JRE image + Apache Kafka's broker jars from ~/.m2 (for KAFKA_IMAGE)
  kd-local/kd-stream:<version> the JRE image + the jars ./mvnw package built (for KD_IMAGE)
and writes docker/local.env. The Debian images are built once (about 3 minutes: debootstrap and
apt run on the host, as root) and kept; --rebuild-base builds them again. The other two are
rebuilt on every run (seconds, from Docker's layer cache). Runs ./mvnw package first if the
launcher's jars are missing. Needs a running Docker engine, debootstrap and root (or sudo).

Environment: DEBIAN_MIRROR (default http://deb.debian.org/debian).
EOF
}

rebuild_base=false
for arg in "$@"; do
    case "$arg" in
        --rebuild-base) rebuild_base=true ;;
        -h|--help) usage; exit 0 ;;
        *) echo "local-images: unknown argument $arg (see --help)" >&2; exit 2 ;;
    esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$repo/.kd/local-images"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
project_version="$(sed -n 's#^    <version>\(.*\)-SNAPSHOT</version>#\1#p' "$repo/pom.xml" | head -1)"
kafka_version="$(sed -n 's#.*<kafka.version>\(.*\)</kafka.version>.*#\1#p' "$repo/pom.xml")"

debian_image=kd-local/debian:bookworm
jre_image=kd-local/jre:17
prometheus_image=kd-local/prometheus:2
kafka_image="kd-local/kafka:$kafka_version"
kd_image="kd-local/kd-stream:$project_version"

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

log() { printf 'local-images: %s\n' "$*" >&2; }

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# `seconds <start>`: whole seconds since <start> (a $SECONDS value)
seconds() { echo "$((SECONDS - $1))s"; }

docker info >/dev/null 2>&1 || { log "no Docker engine answers (docker info failed): start dockerd first"; exit 1; }

# --- the Debian images: debootstrap once, then apt inside a chroot on the host, so no image build
# needs the network (HTTPS from containers goes through a re-signing proxy on some machines).
chroot_install() { # <rootfs> <package...>
    local root="$1"
    shift
    $sudo cp /etc/resolv.conf "$root/etc/resolv.conf"
    # no service may start inside the chroot
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$root/usr/sbin/policy-rc.d" >/dev/null
    $sudo chmod 755 "$root/usr/sbin/policy-rc.d"
    # Java's package scripts (its CA store) need /proc
    $sudo mount -t proc proc "$root/proc"
    if ! $sudo chroot "$root" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends $*" >"$work/apt.log" 2>&1; then
        log "apt-get install $* failed: see $work/apt.log"
        $sudo umount "$root/proc"
        return 1
    fi
    $sudo umount "$root/proc"
    $sudo chroot "$root" apt-get clean
    $sudo rm -rf "$root/var/lib/apt/lists/"* "$root/usr/sbin/policy-rc.d"
}

import_rootfs() { # <rootfs> <image> [--change ...]
    local root="$1" image="$2"
    shift 2
    $sudo tar -C "$root" -c . | docker import "$@" - "$image" >/dev/null
}

build_base_images() {
    local started=$SECONDS base="$work/rootfs/base"
    command -v debootstrap >/dev/null || { log "debootstrap is missing: apt-get install debootstrap"; exit 1; }
    $sudo rm -rf "$work/rootfs"
    mkdir -p "$work/rootfs"
    log "debootstrap bookworm from $mirror (about a minute)"
    $sudo debootstrap --variant=minbase bookworm "$base" "$mirror" >"$work/debootstrap.log" 2>&1 \
        || { log "debootstrap failed: see $work/debootstrap.log"; exit 1; }
    $sudo rm -rf "$base/var/cache/apt/archives/"*.deb "$base/var/lib/apt/lists/"*
    log "debootstrap: $(seconds "$started")"
    import_rootfs "$base" "$debian_image"

    local step=$SECONDS
    $sudo cp -a "$base" "$work/rootfs/jre"
    chroot_install "$work/rootfs/jre" openjdk-17-jre-headless
    import_rootfs "$work/rootfs/jre" "$jre_image" --change 'ENV LANG=C.UTF-8' --change 'CMD ["java", "-version"]'
    log "$jre_image: $(seconds "$step")"

    # Laid out as prom/prometheus is (user nobody, data in /prometheus), with wget for the same
    # healthcheck as the official image (busybox's wget there).
    step=$SECONDS
    $sudo cp -a "$base" "$work/rootfs/prometheus"
    chroot_install "$work/rootfs/prometheus" prometheus wget
    $sudo mkdir -p "$work/rootfs/prometheus/prometheus"
    $sudo chown 65534:65534 "$work/rootfs/prometheus/prometheus"
    import_rootfs "$work/rootfs/prometheus" "$prometheus_image" \
        --change 'USER nobody' --change 'WORKDIR /prometheus' --change 'EXPOSE 9090' \
        --change 'ENTRYPOINT ["/usr/bin/prometheus"]' \
        --change 'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]'
    log "$prometheus_image: $(seconds "$step")"
    $sudo rm -rf "$work/rootfs"
    log "Debian images: $(seconds "$started") in all"
}

if $rebuild_base || ! have_image "$debian_image" || ! have_image "$jre_image" || ! have_image "$prometheus_image"; then
    build_base_images
else
    log "$debian_image, $jre_image, $prometheus_image: present (--rebuild-base builds them again)"
fi

# --- the jars: the launcher's runtime classpath, as ./kd runs it
classpath_file="$repo/launcher/target/runtime-classpath.txt"
launcher_jar="$repo/launcher/target/launcher-$project_version-SNAPSHOT.jar"
if [ ! -f "$classpath_file" ] || [ ! -f "$launcher_jar" ]; then
    log "the launcher's jars are missing: ./mvnw package"
    (cd "$repo" && ./mvnw -B -ntp -q -DskipTests package)
fi
mapfile -t jars < <(tr ':' '\n' < "$classpath_file")

# Stage a build context outside the repository's (its .dockerignore leaves out every target/);
# hard links where the file system allows, copies elsewhere.
stage() { # <file> <dir>
    ln -f "$1" "$2/" 2>/dev/null || cp -f "$1" "$2/"
}

build() { # <image> <docker build argument...>: its output in a log, shown if the build fails
    local image="$1" build_log="$work/build-${1//[:\/]/-}.log"
    shift
    docker build -t "$image" "$@" >"$build_log" 2>&1 || { tail -20 "$build_log" >&2; log "building $image failed: see $build_log"; exit 1; }
}

# --- Kafka: Apache Kafka's broker (kafka.Kafka) and its dependencies, the same jars the embedded
# broker of ./kd stack runs, behind a start script at the official image's path.
step=$SECONDS
kafka_ctx="$work/kafka"
rm -rf "$kafka_ctx"
mkdir -p "$kafka_ctx/libs"
broker_jar='/(kafka_2\.13|kafka-(clients|server|server-common|metadata|raft|storage|storage-api|group-coordinator|group-coordinator-api|transaction-coordinator|coordinator-common|share-coordinator|tools-api))-[0-9][^/]*\.jar$'
broker_dep='/(scala-(library|reflect)|scala-logging_2\.13|jackson-(core|databind|annotations|datatype-jdk8|dataformat-csv)|argparse4j|jopt-simple|metrics-core|pcollections|caffeine|HdrHistogram|hash4j|re2j|jose4j|commons-(validator|beanutils|digester|logging|collections)|log4j-(api|core)|zstd-jni|lz4-java|snappy-java|slf4j-(api|simple))-[0-9][^/]*\.jar$'
count=0
for jar in "${jars[@]}"; do
    if [[ $jar =~ $broker_jar || $jar =~ $broker_dep ]]; then
        stage "$jar" "$kafka_ctx/libs"
        count=$((count + 1))
    fi
done
[ -f "$kafka_ctx/libs/kafka_2.13-$kafka_version.jar" ] \
    || { log "kafka_2.13-$kafka_version.jar is not on $classpath_file"; exit 1; }
cp "$repo/docker/kafka/Dockerfile" "$repo/docker/kafka/run" "$repo/docker/kafka/server.properties" "$kafka_ctx/"
build "$kafka_image" --build-arg JRE_IMAGE="$jre_image" "$kafka_ctx"
log "$kafka_image ($count jars): $(seconds "$step")"

# --- kd-stream: docker/Dockerfile.prebuilt, the launcher's classpath as ./mvnw package built it
step=$SECONDS
kd_ctx="$work/kd-stream"
rm -rf "$kd_ctx"
# third-party jars and the project's own in two layers: a source change rebuilds only the second
mkdir -p "$kd_ctx/lib" "$kd_ctx/kd"
args="-cp /app/lib/$(basename "$launcher_jar")"
stage "$launcher_jar" "$kd_ctx/kd"
for jar in "${jars[@]}"; do
    case "$jar" in
        "$repo"/*) stage "$jar" "$kd_ctx/kd" ;;
        *) stage "$jar" "$kd_ctx/lib" ;;
    esac
    args="$args:/app/lib/$(basename "$jar")"
done
printf '%s' "$args" > "$kd_ctx/classpath.args"
cp "$repo/docker/entrypoint.sh" "$repo/docker/healthcheck.sh" "$kd_ctx/"
build "$kd_image" -f "$repo/docker/Dockerfile.prebuilt" --build-arg JRE_IMAGE="$jre_image" "$kd_ctx"
log "$kd_image: $(seconds "$step")"

cat > "$repo/docker/local.env" <<EOF
# Written by docker/local-images.sh: the stand-in images it built on this machine, for
#   docker-compose --env-file docker/local.env up -d
KAFKA_IMAGE=$kafka_image
PROMETHEUS_IMAGE=$prometheus_image
KD_IMAGE=$kd_image
KD_JRE_IMAGE=$jre_image
# Testcontainers (ContainerPipelineIT) without Docker Hub: no Ryuk, no start-up checks, a local tiny image
TESTCONTAINERS_RYUK_DISABLED=true
TESTCONTAINERS_CHECKS_DISABLE=true
TESTCONTAINERS_TINYIMAGE_CONTAINER_IMAGE=$debian_image
EOF
log "wrote docker/local.env"
