#!/usr/bin/env bash
# The gateway's CPU per forwarded request, two builds side by side in the same run: gateway A and gateway B (each
# bin/svctoken of a copy of a build) in front of one upstream that costs next to nothing (io.svctoken.bench.GatewayFakeUpstream),
# wrk rounds alternating between them, CPU of each gateway process from /proc/<pid>/stat. On a shared, loaded machine
# the absolute figures move from round to round; the ratio B/A of the same run is what to read.
#
#   bench/gateway-ab.sh DIR_A DIR_B   # each DIR holds bin/ and cli/target/{svctoken-cli.jar,lib/} of one build
#
# A copy of a build: `mvn -B -q package -DskipTests -pl cli -am`, then
#   mkdir -p DIR/cli/target && cp -r bin DIR/ && cp -r cli/target/svctoken-cli.jar cli/target/lib DIR/cli/target/
#
# Knobs (environment): ROUNDS=6 (rounds per side, alternating which goes first), ROUND=5 (seconds), WARM=8 (seconds of
# warm-up, twice per side), CONNS=16, PROFILE_B=1 (JFR on B for one more 15 s round; JfrTop summary in the outputs).
# Everything listens on 127.0.0.1 only and is stopped on exit. Outputs in bench/target/gateway-ab/.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

[ $# = 2 ] && [ -x "$1/bin/svctoken" ] && [ -x "$2/bin/svctoken" ] || die "usage: bench/gateway-ab.sh DIR_A DIR_B (see --help in the script's head)"
A=$(cd "$1" && pwd); B=$(cd "$2" && pwd)
ROUNDS=${ROUNDS:-6}; ROUND=${ROUND:-5}; WARM=${WARM:-8}; CONNS=${CONNS:-16}
OUT="$BENCH/target/gateway-ab"
PW="bench-Passw0rd-$$"
command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk)"
[ -d "$BENCH/target/classes/io/svctoken/bench" ] || die "build the bench module first (mvn -B -q package -DskipTests)"
rm -rf "$OUT"; mkdir -p "$OUT"
TICK=$(getconf CLK_TCK)
cpu_ms() { awk -v t="$TICK" '{ printf "%d", ($14 + $15) * 1000 / t }' "/proc/$1/stat"; }
sys_ms() { awk -v t="$TICK" '{ printf "%d", $15 * 1000 / t }' "/proc/$1/stat"; }
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]+"${PIDS[@]}"}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]+"${PIDS[@]}"}"; do timeout 30 tail --pid="$p" -f /dev/null 2>/dev/null || kill -KILL "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port; UP=$FREE_PORT
java -Dsun.net.httpserver.nodelay=true -Xmx256m -cp "$BENCH_CP" io.svctoken.bench.GatewayFakeUpstream "$UP" >"$OUT/upstream.log" 2>&1 &
PIDS+=($!)
start_gateway() { # NAME DIR: sets GW_PID, GW_PORT
  free_port; GW_PORT=$FREE_PORT
  mkdir -p "$OUT/$1/conf" "$OUT/$1/data"
  ELASTIC_PASSWORD="$PW" ES_PATH_CONF="$OUT/$1/conf" SVCTOKEN_CDS=off "$2/bin/svctoken" -E http.host=127.0.0.1 -E http.port="$GW_PORT" \
    -E path.data="$OUT/$1/data" -E xpack.security.http.ssl.enabled=false -E node.name="ab-$1" \
    -E svctoken.gateway.upstream="http://127.0.0.1:$UP" >"$OUT/$1.log" 2>&1 &
  GW_PID=$!
  PIDS+=("$GW_PID")
}
start_gateway a "$A"; A_PID=$GW_PID; A_PORT=$GW_PORT
start_gateway b "$B"; B_PID=$GW_PID; B_PORT=$GW_PORT
for port in "$A_PORT" "$B_PORT"; do
  for i in $(seq 1 1200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -u "elastic:$PW" "http://127.0.0.1:$port/" || true)" = 200 ] && break
    [ "$i" = 1200 ] && die "a gateway did not start (see $OUT/a.log, $OUT/b.log)"
    sleep 0.1
  done
done
api_key() { curl -sf --max-time 30 -u "elastic:$PW" -X POST "http://127.0.0.1:$1/_security/api_key" -H 'Content-Type: application/json' \
  -d '{"name":"ab"}' | sed -n 's/.*"encoded" *: *"\([^"]*\)".*/\1/p'; }
A_KEY=$(api_key "$A_PORT"); B_KEY=$(api_key "$B_PORT")
[ -n "$A_KEY" ] && [ -n "$B_KEY" ] || die "creating the API keys failed"

run() { # SIDE SECONDS NAME: prints "requests cpu_ms system_ms"
  local pid port key f c0 s0
  if [ "$1" = a ]; then pid=$A_PID; port=$A_PORT; key=$A_KEY; else pid=$B_PID; port=$B_PORT; key=$B_KEY; fi
  f="$OUT/wrk-$1-$3.txt"
  c0=$(cpu_ms "$pid"); s0=$(sys_ms "$pid")
  timeout $(($2 + 30)) wrk -t1 -c"$CONNS" -d"$2s" --timeout 10s -H "Authorization: ApiKey $key" "http://127.0.0.1:$port/bench/_search?size=1" >"$f" 2>&1 \
    || die "wrk failed: $(tail -3 "$f")"
  grep -q 'Non-2xx or 3xx responses' "$f" && die "some answers were not 2xx (see $f)"
  echo "$(awk '/requests in/ {print $1}' "$f") $(($(cpu_ms "$pid") - c0)) $(($(sys_ms "$pid") - s0))"
}
log "warm-up: ${WARM}s twice per side, $CONNS connections"
for w in 1 2; do run a "$WARM" "warm$w" >/dev/null; run b "$WARM" "warm$w" >/dev/null; done
AN=0; AC=0; AS=0; BN=0; BC=0; BS=0
for r in $(seq 1 "$ROUNDS"); do
  for side in $( [ $((r % 2)) = 1 ] && echo "a b" || echo "b a"); do
    read -r n c s < <(run "$side" "$ROUND" "$r")
    log "round $r $side: $n requests, $(calc "$c * 1000 / $n") us CPU per request ($(calc "$s * 1000 / $n") us system), load $(cut -d' ' -f1 /proc/loadavg)"
    if [ "$side" = a ]; then AN=$((AN + n)); AC=$((AC + c)); AS=$((AS + s)); else BN=$((BN + n)); BC=$((BC + c)); BS=$((BS + s)); fi
  done
done
echo "A ($A): $(calc "$AC * 1000 / $AN") us CPU per request ($(calc "$AS * 1000 / $AN") us system), $(calc "$AN / ($ROUNDS * $ROUND)" 0) req/s"
echo "B ($B): $(calc "$BC * 1000 / $BN") us CPU per request ($(calc "$BS * 1000 / $BN") us system), $(calc "$BN / ($ROUNDS * $ROUND)" 0) req/s"
echo "B/A CPU per request: $(calc "($BC / $BN) / ($AC / $AN)" 3); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${PROFILE_B:-0}" = 1 ]; then
  timeout 60 jcmd "$B_PID" JFR.start name=ab settings=profile >/dev/null
  run b 15 profile >/dev/null
  timeout 60 jcmd "$B_PID" JFR.stop name=ab filename="$OUT/b.jfr" >/dev/null
  timeout 120 java -cp "$BENCH_CP" io.svctoken.bench.JfrTop "$OUT/b.jfr" 40 >"$OUT/b-profile.txt" 2>&1 || true
  echo "JFR of B: $OUT/b-profile.txt"
fi
