# One image for every kd-stream service: the ./kd launcher. The compose file gives the subcommand
# (teacher serve, student, produce, query, ...) as the command:
#   docker build -t kd-stream:0.1.0 .
#   docker run --rm kd-stream:0.1.0 --help
# Self-contained (BuildKit): Maven builds inside the image. Both base images are build arguments,
# for a private registry's copies. Without network access from builds, docker/local-images.sh
# builds the same image from the host's jars (docker/Dockerfile.prebuilt).
# No "# syntax=" line: it would make BuildKit fetch its front end from Docker Hub.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy

# --- build: the repo's own Maven build, as ./kd runs it, then the launcher's runtime classpath
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
# the whole reactor (every module of pom.xml); .dockerignore leaves out tests, build output, runtime data
COPY . .
# ~/.m2 is a build cache: a source change does not download the ~300 MB of dependencies again.
# The launcher's package phase writes runtime-classpath.txt (the classpath ./kd runs with): copy
# those jars out of the cache, and keep their order in a java @argfile.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests -pl launcher -am package \
 && mkdir -p /app/lib \
 && launcher_jar="$(ls launcher/target/launcher-*.jar)" \
 && cp "$launcher_jar" /app/lib/ \
 && tr ':' '\n' < launcher/target/runtime-classpath.txt > /tmp/jars \
 && xargs -a /tmp/jars cp -t /app/lib/ \
 && printf -- '-cp /app/lib/%s' "$(basename "$launcher_jar")" > /app/classpath.args \
 && sed 's#.*/#:/app/lib/#' /tmp/jars | tr -d '\n' >> /app/classpath.args

# --- runtime: a glibc JRE (ND4J's and OpenBLAS's natives need glibc: no alpine)
FROM ${JRE_IMAGE}
RUN groupadd --system --gid 10001 kd \
 && useradd --system --uid 10001 --gid kd --create-home --home-dir /home/kd kd \
 && mkdir -p /data/models /data/state \
 && chown -R kd:kd /data
COPY --from=build /app /app
COPY --chmod=755 docker/entrypoint.sh /app/entrypoint.sh
# the compose healthchecks (GET /health on the metrics port) in bash: no curl needed in the base
COPY --chmod=755 docker/healthcheck.sh /app/healthcheck
# JavaCPP unpacks the natives into ~/.javacpp (/home/kd); models and Streams state live in /data
# (named volumes start with this directory's owner, kd)
USER kd
WORKDIR /data
EXPOSE 9401 9402 9403
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["--help"]
