#!/usr/bin/env bash
# HTTPS start time of bin/svctoken (docs/benchmarks.md, "HTTPS start time"): launch to the first successful
# `curl --cacert <config>/certs/http_ca.crt https://localhost:<port>/`, RUNS times each for
#   first: empty config and data directories (generates the 2 RSA-4096 keys and the certificates),
#   warm:  a restart on the same config and data (loads config/certs/http.p12).
#   http:  for comparison, a restart with -E xpack.security.http.ssl.enabled=false and plain `curl http://`.
# Prints every run and the medians in ms. Runs the launcher from a snapshot of the build (bin/ plus
# cli/target/{svctoken-cli.jar,lib}) so that bin/svctoken never rebuilds during a measurement.
# Usage: [CDS=off] bench/https-start.sh [RUNS]   (build first: mvn -B -q -DskipTests package)
set -euo pipefail
RUNS=${1:-5}
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK=$(mktemp -d)
trap 'kill "${PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/inst/cli/target"
cp -r "$HOME_DIR/bin" "$WORK/inst/"
cp -r "$HOME_DIR/cli/target/svctoken-cli.jar" "$HOME_DIR/cli/target/lib" "$WORK/inst/cli/target/"
# The snapshot's own class-data archive (it records the jars' paths), as `package` makes one for the checkout;
# CDS=off starts without one.
if [ "${CDS:-on}" = off ]; then export SVCTOKEN_CDS=off; else "$WORK/inst/bin/svctoken-cds" >&2; fi
PW=bench-https-pw

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# one_start CONF DATA [http]: prints ms from launch to the first 200 over HTTPS (or plain HTTP)
one_start() {
  local conf=$1 data=$2 scheme=https port t0 t1 extra=()
  if [ "${3:-}" = http ]; then scheme=http; extra=(-E xpack.security.http.ssl.enabled=false); fi
  port=$(free_port)
  t0=$(date +%s%N)
  ELASTIC_PASSWORD=$PW ES_PATH_CONF="$conf" "$WORK/inst/bin/svctoken" -E http.port="$port" -E path.data="$data" "${extra[@]}" \
    >"$WORK/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 6000); do
    if { [ $scheme = http ] || [ -f "$conf/certs/http_ca.crt" ]; } && [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
        --cacert "$conf/certs/http_ca.crt" -u "elastic:$PW" "$scheme://localhost:$port/" || true)" = 200 ]; then
      t1=$(date +%s%N)
      kill "$PID"; wait "$PID" 2>/dev/null || true
      echo $(((t1 - t0) / 1000000))
      return 0
    fi
    kill -0 "$PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.005
  done
  echo "no HTTPS answer within 30 s" >&2; cat "$WORK/server.log" >&2; exit 1
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

first=(); warm=(); http=()
for i in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/conf" "$WORK/data" "$WORK/conf-http" "$WORK/data-http"; mkdir -p "$WORK/conf" "$WORK/conf-http"
  first+=("$(one_start "$WORK/conf" "$WORK/data")")
  warm+=("$(one_start "$WORK/conf" "$WORK/data")")
  one_start "$WORK/conf-http" "$WORK/data-http" http >/dev/null
  http+=("$(one_start "$WORK/conf-http" "$WORK/data-http" http)")
done
echo "first start (key generation): ${first[*]} ms; median $(printf '%s\n' "${first[@]}" | median) ms"
echo "warm restart:                 ${warm[*]} ms; median $(printf '%s\n' "${warm[@]}" | median) ms"
echo "plain HTTP restart:           ${http[*]} ms; median $(printf '%s\n' "${http[@]}" | median) ms"
echo "($(nproc) cores, $(java -version 2>&1 | head -1))"
