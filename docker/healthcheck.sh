#!/bin/bash
# The compose healthcheck of the kd-stream services: GET <url> answers 200 within 5 s. Plain bash
# (/dev/tcp), so it needs neither curl nor wget in the image: the JRE base is a build argument.
#   /app/healthcheck http://localhost:9401/health
set -euo pipefail
url="${1:?usage: healthcheck http://HOST:PORT/PATH}"
rest="${url#http://}"
authority="${rest%%/*}"
path="/${rest#*/}"
exec 3<>"/dev/tcp/${authority%:*}/${authority##*:}"
printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$authority" >&3
read -r -t 5 status <&3
[[ $status == HTTP/1.?' 200 '* ]]
