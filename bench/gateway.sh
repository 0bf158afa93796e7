#!/usr/bin/env bash
# Gateway benchmark G1-G3: svctoken in gateway mode in front of a real OpenSearch 2.19 node (the embedded node the
# server's tests run, io.svctoken.bench.OpenSearchMain), each figure against going directly to OpenSearch in the same
# run (this machine is shared and noisy: read the ratios). Prints the table and adds it, dated, with the machine and
# the command, at the top of the gateway section of docs/benchmarks.md (between <!-- BEGIN gateway --> and
# <!-- END gateway -->; earlier runs are kept below it).
#
#   bench/gateway.sh             # about 7 minutes on 2 cores
#   bench/gateway.sh --no-doc    # leave docs/benchmarks.md alone
#   bench/gateway.sh --profile   # also records JFR on the gateway during its first G1 round (JfrTop summary in
#                                # bench/target/gateway/gateway-g1.txt; that round is then slightly perturbed)
#
# G1: small `GET /bench/_search?size=1` (one index, 10 documents) with wrk, an API key caller (authentication cached
# after the first request), through the gateway vs directly: req/s and p99. G2: one large `_bulk` (BULK_MB MB of
# NDJSON, ~250-byte documents) through vs direct: bytes/s. G3: the gateway's RSS and heap before vs during G2.
#
# Knobs (environment): ROUNDS=10 and ROUND=3 (G1 alternates ROUNDS rounds of ROUND seconds per side: the host's speed
# moves within tens of seconds here, so short alternating rounds keep the two sides' conditions alike; 5 rounds of 5 s
# gave nginx in the gateway's place 0.75x in one run and 1.07x in the next), WARM=30 (seconds of warm-up per side and pass: on
# the core it shares with wrk the gateway's JIT compilers take tens of seconds; after 15 s its rounds still rose 10.8k ->
# 13.3k -> 15.1k req/s in a quiet run), CONNS=64 (G1: enough requests in flight to saturate OpenSearch by either path), G1_LAT_CONNS=16 (G1′, latency-bound),
# WRK_THREADS=1, BULK_MB=100, OS_HEAP=2g (OpenSearch's -Xms/-Xmx), SERVER_JAVA_OPTS (the gateway's JVM options),
# UPSTREAM_CPUS and CLIENT_CPUS (taskset CPU lists, unset: no pinning): OpenSearch on UPSTREAM_CPUS, the gateway, wrk and
# curl on CLIENT_CPUS, for the deployment where the upstream has cores of its own (e.g. UPSTREAM_CPUS=1 CLIENT_CPUS=0),
# G1_REF=0 (skip the G1 reference: nginx proxy_pass in the gateway's place, same rounds against direct), G2_DIRECT_FIRST=1 (G2's direct _bulk before the gateway's, not after), G2_WARM_FULL=1 (default: before G2, one
# full-size _bulk sent directly to a throwaway index, since the first large _bulk costs OpenSearch 1.4-1.6x more CPU
# per MB than the next, whichever path it comes by; 0: only the tenth-size warm-ups).
#
# The gateway runs with svctoken.gateway.response_timeout=10m: OpenSearch reads the whole _bulk, then indexes it without
# sending a byte, which takes longer than the default 60s on a loaded 2-core machine.
#
# Everything listens on 127.0.0.1 only, every step is bounded in time, and whatever the script started is stopped on
# exit, failure or CTRL-C. Outputs, logs and wrk reports stay in bench/target/gateway/.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

WRITE_DOC=1
PROFILE=0
ARGS="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-doc) WRITE_DOC=0 ;;
    --profile) PROFILE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
  shift
done

ROUND=${ROUND:-3}
ROUNDS=${ROUNDS:-10}
WARM=${WARM:-30}
CONNS=${CONNS:-64}
G1_LAT_CONNS=${G1_LAT_CONNS:-16}
WRK_THREADS=${WRK_THREADS:-1}
BULK_MB=${BULK_MB:-100}
OS_HEAP=${OS_HEAP:-2g}
UPSTREAM_CPUS=${UPSTREAM_CPUS:-}
G2_DIRECT_FIRST=${G2_DIRECT_FIRST:-0}
G2_WARM_FULL=${G2_WARM_FULL:-1}
CLIENT_CPUS=${CLIENT_CPUS:-}
# taskset execs the command, so $! stays the JVM's pid (its CPU time and jstat are read by pid)
PW="bench-Passw0rd-$$"
OUT="$BENCH/target/gateway"
WORK="$OUT/work"
T_BEGIN=$(date +%s)

# ------------------------------------------------------------------------------------------ cleanup

PIDS=()
stop_pid() { # PID: SIGTERM, up to 30 s, then SIGKILL
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local p
  for p in "${PIDS[@]+"${PIDS[@]}"}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]+"${PIDS[@]}"}"; do stop_pid "$p"; done
  rm -rf "$WORK"
  [ $rc = 0 ] || log "stopped (exit $rc); logs in $OUT"
  exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo "**FAIL**"; fi; }
http_code() { # URL [curl args]
  local url=$1
  shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$url" || true
}
await_200() { # NAME PID URL SECONDS [curl args]
  local name=$1 pid=$2 url=$3 secs=$4 i
  shift 4
  for i in $(seq 1 $((secs * 10))); do
    kill -0 "$pid" 2>/dev/null || die "$name exited (see $OUT/$name.log)"
    [ "$(http_code "$url" "$@")" = 200 ] && return 0
    sleep 0.1
  done
  die "$name did not answer within $secs s (see $OUT/$name.log)"
}

# ------------------------------------------------------------------------------------------ wrk

wrk_run() { # NAME SECONDS URL [wrk args]: prints the report's path (NAME is unique in the run)
  local name=$1 secs=$2 url=$3 f
  shift 3
  f="$OUT/wrk-$name.txt"
  timeout $((secs + 30)) ${CLIENT_CPUS:+taskset -c $CLIENT_CPUS} wrk -t"$WRK_THREADS" -c"$CONNS" -d"${secs}s" --timeout 10s --latency "$@" "$url" >"$f" 2>&1 \
    || die "wrk $name failed: $(tail -3 "$f")"
  if grep -q 'Non-2xx or 3xx responses' "$f"; then
    die "wrk $name: some responses were not 2xx (see $f)"
  fi
  echo "$f"
}
wrk_requests() { awk '/requests in/ {print $1}' "$1"; }
wrk_seconds() {
  awk '/requests in/ { s = $4; sub(/,$/, "", s)
    if (s ~ /ms$/) { sub(/ms$/, "", s); s = s / 1000 } else if (s ~ /m$/) { sub(/m$/, "", s); s = s * 60 } else { sub(/s$/, "", s) }
    print s }' "$1"
}
wrk_pct_ms() { # FILE PERCENT: latency in ms
  awk -v p="$2%" '$1 == p { v = $2
    if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
    printf "%.2f", v }' "$1"
}
# CPU time (user + system) of a whole process so far, in ms
TICK=$(getconf CLK_TCK)
cpu_ms() { awk -v t="$TICK" '{ printf "%d", ($14 + $15) * 1000 / t }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# "busy total" jiffies of one CPU (/proc/stat): whether a pinned side's core was full during a round
core_ticks() { awk -v c="cpu$1" '$1 == c { b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6 }' /proc/stat; }
single_cpu() { [[ "${1:-}" =~ ^[0-9]+$ ]]; }
# the same for the JIT compiler threads alone (C1, C2): still compiling hot paths is CPU the requests do not need once warm
jit_ms() {
  local t sum=0 v
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in
      C1\ Compiler*|C2\ Compiler*) v=$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk -v t="$TICK" '{ printf "%d", ($12 + $13) * 1000 / t }') || v=0
        sum=$((sum + ${v:-0})) ;;
    esac
  done
  echo "$sum"
}
# pair_ratios A B: each round's req/s of wrk-A-<r> over wrk-B-<r> (the rounds beside each other): "median m (min-max)"
pair_ratios() {
  local r a b
  for r in $(seq 1 "$ROUNDS"); do
    a="$OUT/wrk-$1-$r.txt"; b="$OUT/wrk-$2-$r.txt"
    [ -f "$a" ] && [ -f "$b" ] || continue
    calc "($(wrk_requests "$a") / $(wrk_seconds "$a")) / ($(wrk_requests "$b") / $(wrk_seconds "$b"))" 2; echo
  done | sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) { print "none"; exit }
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "median %.2f× (%.2f–%.2f, %d rounds)", m, a[1], a[NR], NR }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# ------------------------------------------------------------------------------------------ memory

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# sample_memory PID FILE: every 250 ms, "rss_kb heap_kb old_kb" lines (heap: used survivors + eden + old; old: the old
# generation alone, where anything the gateway kept would end up; from one jstat
# process sampling every 250 ms), until killed
sample_memory() {
  local pid=$1 file=$2 line
  timeout 1200 jstat -gc "$pid" 250 2>/dev/null | while read -r line; do
    case "$line" in S0C*) continue ;; esac
    echo "$(rss_kb "$pid") $(echo "$line" | awk '{ printf "%d %d", $3 + $4 + $6 + $8, $8 }')" >>"$file"
  done
}

# ================================================================================================ run

command -v wrk >/dev/null || die "wrk is missing (bench/load.sh installs it: apt-get install wrk)"
command -v jstat >/dev/null || die "jstat (JDK) is missing"
ensure_build
rm -rf "$OUT"
mkdir -p "$OUT" "$WORK"
log "results and logs in $OUT"
# The gateway runs from a snapshot of the build, as in bench/load.sh: no rebuild mid-run.
INSTALL="$WORK/install"
mkdir -p "$INSTALL/cli/target"
cp -r "$HOME_DIR/bin" "$INSTALL/"
cp "$HOME_DIR/cli/target/svctoken-cli.jar" "$INSTALL/cli/target/"
cp -r "$HOME_DIR/cli/target/lib" "$INSTALL/cli/target/"
export SVCTOKEN_CDS=off

free_port; OS_PORT=$FREE_PORT
free_port; OS_TPORT=$FREE_PORT
log "OpenSearch 2.19 (embedded, -Xmx$OS_HEAP) on 127.0.0.1:$OS_PORT..."
${UPSTREAM_CPUS:+taskset -c $UPSTREAM_CPUS} java -Xms"$OS_HEAP" -Xmx"$OS_HEAP" -cp "$BENCH_CP" io.svctoken.bench.OpenSearchMain "$OS_PORT" "$OS_TPORT" "$WORK/opensearch" \
  >"$OUT/opensearch.log" 2>&1 &
OS_PID=$!
PIDS+=("$OS_PID")
await_200 opensearch "$OS_PID" "http://127.0.0.1:$OS_PORT/" 180
DIRECT="http://127.0.0.1:$OS_PORT"

free_port; GW_PORT=$FREE_PORT
log "svctoken gateway on 127.0.0.1:$GW_PORT..."
mkdir -p "$WORK/conf" "$WORK/data"
ELASTIC_PASSWORD="$PW" ES_PATH_CONF="$WORK/conf" SVCTOKEN_JAVA_OPTS="${SERVER_JAVA_OPTS:-}" \
  ${CLIENT_CPUS:+taskset -c $CLIENT_CPUS} "$INSTALL/bin/svctoken" -E http.host=127.0.0.1 -E http.port="$GW_PORT" -E path.data="$WORK/data" \
  -E xpack.security.http.ssl.enabled=false -E node.name=bench-gateway -E svctoken.gateway.upstream="$DIRECT" \
  -E svctoken.gateway.response_timeout=10m \
  >"$OUT/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=("$GW_PID")
await_200 gateway "$GW_PID" "http://127.0.0.1:$GW_PORT/" 120 -u "elastic:$PW"
# bin/svctoken execs java: the JVM is the launcher's process
GW="http://127.0.0.1:$GW_PORT"

log "index bench (10 documents), an API key with elastic's privileges"
curl -sf --max-time 60 -u "elastic:$PW" -X PUT "$GW/bench" -H 'Content-Type: application/json' \
  -d '{"settings":{"number_of_shards":1,"number_of_replicas":0}}' >/dev/null || die "creating index bench failed"
for i in $(seq 1 10); do
  curl -sf --max-time 30 -u "elastic:$PW" -X PUT "$GW/bench/_doc/$i" -H 'Content-Type: application/json' \
    -d "{\"msg\":\"document $i of the gateway benchmark\",\"n\":$i}" >/dev/null || die "indexing failed"
done
curl -sf --max-time 30 -u "elastic:$PW" -X POST "$GW/bench/_refresh" >/dev/null || die "refresh failed"
KEY=$(curl -sf --max-time 30 -u "elastic:$PW" -X POST "$GW/_security/api_key" -H 'Content-Type: application/json' \
  -d '{"name":"bench-gateway"}' | sed -n 's/.*"encoded" *: *"\([^"]*\)".*/\1/p')
[ -n "$KEY" ] || die "creating the API key failed"
AUTH="Authorization: ApiKey $KEY"
[ "$(http_code "$GW/bench/_search?size=1" -H "$AUTH")" = 200 ] || die "search through the gateway failed"

# ------------------------------------------------------------------ G1: small _search through vs direct
# g1_pass TAG: G1 at $CONNS connections (warm-up, then alternating rounds); sets G_RATE, D_RATE, G1, G50/G99, D50/D99
# and the CPU per request figures
g1_pass() {
  local tag=$1 r side f g0 o0 j0 g1 o1
  log "G1 ($tag): warm-up ${WARM}s per side, then $ROUNDS alternating rounds of ${ROUND}s per side, $CONNS connections"
  wrk_run "warm-direct-$tag" "$WARM" "$DIRECT/bench/_search?size=1" >/dev/null
  wrk_run "warm-gateway-$tag" "$WARM" "$GW/bench/_search?size=1" -H "$AUTH" >/dev/null
  D_OS_CPU=0; G_GW_CPU=0; G_OS_CPU=0; G_GW_JIT=0
  declare -A BUSY=() TOTAL=()
  D_REQ=0; D_SEC=0; G_REQ=0; G_SEC=0; D_P99=(); G_P99=(); D_P50=(); G_P50=()
  for r in $(seq 1 "$ROUNDS"); do
    for side in $( [ $((r % 2)) = 1 ] && echo "direct gateway" || echo "gateway direct"); do
      g0=$(cpu_ms "$GW_PID"); o0=$(cpu_ms "$OS_PID"); j0=$(jit_ms "$GW_PID")
      if single_cpu "$CLIENT_CPUS" && single_cpu "$UPSTREAM_CPUS"; then read -r cb0 ct0 < <(core_ticks "$CLIENT_CPUS"); read -r ub0 ut0 < <(core_ticks "$UPSTREAM_CPUS"); fi
      if [ $side = direct ]; then
        f=$(wrk_run "direct-$tag-$r" "$ROUND" "$DIRECT/bench/_search?size=1")
        D_REQ=$((D_REQ + $(wrk_requests "$f"))); D_SEC=$(calc "$D_SEC + $(wrk_seconds "$f")" 3)
        D_P99+=("$(wrk_pct_ms "$f" 99)"); D_P50+=("$(wrk_pct_ms "$f" 50)")
      else
        [ $PROFILE = 1 ] && [ $r = 1 ] && [ $tag = sat ] && timeout 60 jcmd "$GW_PID" JFR.start name=g1 settings=profile >/dev/null
        f=$(wrk_run "gateway-$tag-$r" "$ROUND" "$GW/bench/_search?size=1" -H "$AUTH")
        if [ $PROFILE = 1 ] && [ $r = 1 ] && [ $tag = sat ]; then
          timeout 60 jcmd "$GW_PID" JFR.stop name=g1 filename="$OUT/gateway-g1.jfr" >/dev/null
          timeout 120 java -cp "$BENCH_CP" io.svctoken.bench.JfrTop "$OUT/gateway-g1.jfr" 30 >"$OUT/gateway-g1.txt" 2>&1 || true
        fi
        G_REQ=$((G_REQ + $(wrk_requests "$f"))); G_SEC=$(calc "$G_SEC + $(wrk_seconds "$f")" 3)
        G_P99+=("$(wrk_pct_ms "$f" 99)"); G_P50+=("$(wrk_pct_ms "$f" 50)")
      fi
      g1=$(cpu_ms "$GW_PID"); o1=$(cpu_ms "$OS_PID")
      if single_cpu "$CLIENT_CPUS" && single_cpu "$UPSTREAM_CPUS"; then
        read -r cb1 ct1 < <(core_ticks "$CLIENT_CPUS"); read -r ub1 ut1 < <(core_ticks "$UPSTREAM_CPUS")
        BUSY[$side-c]=$(( ${BUSY[$side-c]:-0} + cb1 - cb0 )); TOTAL[$side-c]=$(( ${TOTAL[$side-c]:-0} + ct1 - ct0 ))
        BUSY[$side-u]=$(( ${BUSY[$side-u]:-0} + ub1 - ub0 )); TOTAL[$side-u]=$(( ${TOTAL[$side-u]:-0} + ut1 - ut0 ))
      fi
      if [ $side = direct ]; then D_OS_CPU=$((${D_OS_CPU:-0} + o1 - o0)); else G_GW_CPU=$((${G_GW_CPU:-0} + g1 - g0)); G_OS_CPU=$((${G_OS_CPU:-0} + o1 - o0)); G_GW_JIT=$((${G_GW_JIT:-0} + $(jit_ms "$GW_PID") - j0)); fi
    done
  done
  D_RATE=$(calc "$D_REQ / $D_SEC" 1); G_RATE=$(calc "$G_REQ / $G_SEC" 1)
  G1=$(calc "$G_RATE / $D_RATE" 2)
  D99=$(printf '%s\n' "${D_P99[@]}" | median); G99=$(printf '%s\n' "${G_P99[@]}" | median)
  D50=$(printf '%s\n' "${D_P50[@]}" | median); G50=$(printf '%s\n' "${G_P50[@]}" | median)
  G_GW_PER=$(calc "$G_GW_CPU / $G_REQ" 3); G_OS_PER=$(calc "$G_OS_CPU / $G_REQ" 3); D_OS_PER=$(calc "$D_OS_CPU / $D_REQ" 3)
  G_GW_JIT_PER=$(calc "$G_GW_JIT / $G_REQ" 3)
  CORES_BUSY=""
  if [ -n "${TOTAL[direct-c]:-}" ] && [ "${TOTAL[gateway-c]:-0}" -gt 0 ]; then
    CORES_BUSY="CPU $CLIENT_CPUS (wrk, gateway) busy $(calc "100 * ${BUSY[gateway-c]} / ${TOTAL[gateway-c]}" 0)% through, $(calc "100 * ${BUSY[direct-c]} / ${TOTAL[direct-c]}" 0)% direct; CPU $UPSTREAM_CPUS (OpenSearch) busy $(calc "100 * ${BUSY[gateway-u]} / ${TOTAL[gateway-u]}" 0)% through, $(calc "100 * ${BUSY[direct-u]} / ${TOTAL[direct-u]}" 0)% direct"
    log "G1 ($tag) cores: $CORES_BUSY"
  fi
  log "G1 ($tag) CPU per request: through: gateway $G_GW_PER ms (of which its JIT compiler threads $G_GW_JIT_PER ms) + OpenSearch $G_OS_PER ms; direct: OpenSearch $D_OS_PER ms"
  log "G1 ($tag): gateway $G_RATE req/s (p50 $G50 ms, p99 $G99 ms), direct $D_RATE req/s (p50 $D50 ms, p99 $D99 ms): ${G1}x"
}
# First at G1_LAT_CONNS (16): a closed loop that few requests in flight keep latency-bound, so it shows the latency the
# gateway adds; then at CONNS (64): enough in flight that OpenSearch is saturated by either path, so the ratio is the
# capacity the gateway leaves (the G1 row and its goal).
SAT_CONNS=$CONNS; CONNS=$G1_LAT_CONNS
g1_pass lat
L_RATE=$G_RATE; L_D_RATE=$D_RATE; L_G1=$G1; L_G50=$G50; L_G99=$G99; L_D50=$D50; L_D99=$D99
L_GW_PER=$G_GW_PER; L_OS_PER=$G_OS_PER; L_D_OS_PER=$D_OS_PER; L_CORES_BUSY=$CORES_BUSY
CONNS=$SAT_CONNS
g1_pass sat

# ------------------------------------------------------------------ G1 reference: nginx as the proxy, same place
# What a plain reverse proxy in C costs in the gateway's place (same cores, same connections, keep-alive to OpenSearch,
# no authentication or authorization): the ceiling G1's ratio could reach with a proxy that costs next to nothing in
# user space. Information only; skipped when nginx is missing or G1_REF=0.
NGINX_BIN=$(nginx_bin)
REF_RATE=""
if [ "${G1_REF:-1}" = 1 ] && [ -x "$NGINX_BIN" ]; then
  NG="$WORK/nginx-proxy"
  mkdir -p "$NG/tmp"
  free_port; NG_PORT=$FREE_PORT
  cat >"$NG/nginx.conf" <<NGX
worker_processes 1;
daemon off;
pid $NG/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $NG/tmp; proxy_temp_path $NG/tmp; fastcgi_temp_path $NG/tmp; uwsgi_temp_path $NG/tmp; scgi_temp_path $NG/tmp;
  upstream opensearch { server 127.0.0.1:$OS_PORT; keepalive 128; }
  server {
    listen 127.0.0.1:$NG_PORT;
    location / { proxy_pass http://opensearch; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Authorization ""; }
  }
}
NGX
  ${CLIENT_CPUS:+taskset -c $CLIENT_CPUS} "$NGINX_BIN" -e "$NG/error.log" -p "$NG" -c "$NG/nginx.conf" >"$OUT/nginx-proxy.log" 2>&1 &
  NG_PID=$!
  PIDS+=("$NG_PID")
  REF="http://127.0.0.1:$NG_PORT"
  await_200 nginx-proxy "$NG_PID" "$REF/bench/_search?size=1" 30
  NG_WORKER=$(pgrep -P "$NG_PID" | head -1)
  log "G1 reference: nginx proxy_pass (1 worker) in the gateway's place, $ROUNDS alternating rounds with direct, $CONNS connections"
  wrk_run "warm-nginx" "$WARM" "$REF/bench/_search?size=1" >/dev/null
  R_REQ=0; R_SEC=0; RD_REQ=0; RD_SEC=0; R_CPU=0
  for r in $(seq 1 "$ROUNDS"); do
    for side in $( [ $((r % 2)) = 1 ] && echo "direct nginx" || echo "nginx direct"); do
      if [ $side = direct ]; then
        f=$(wrk_run "ref-direct-$r" "$ROUND" "$DIRECT/bench/_search?size=1")
        RD_REQ=$((RD_REQ + $(wrk_requests "$f"))); RD_SEC=$(calc "$RD_SEC + $(wrk_seconds "$f")" 3)
      else
        n0=$(cpu_ms "$NG_WORKER")
        f=$(wrk_run "ref-nginx-$r" "$ROUND" "$REF/bench/_search?size=1")
        R_CPU=$((R_CPU + $(cpu_ms "$NG_WORKER") - n0))
        R_REQ=$((R_REQ + $(wrk_requests "$f"))); R_SEC=$(calc "$R_SEC + $(wrk_seconds "$f")" 3)
      fi
    done
  done
  REF_RATE=$(calc "$R_REQ / $R_SEC" 1); REF_D_RATE=$(calc "$RD_REQ / $RD_SEC" 1); REF_G1=$(calc "$REF_RATE / $REF_D_RATE" 2)
  REF_PER=$(calc "$R_CPU / $R_REQ" 3)
  log "G1 reference: nginx $REF_RATE req/s, direct $REF_D_RATE req/s: ${REF_G1}x; nginx worker $REF_PER ms CPU per request"
  stop_pid "$NG_PID"
fi

# ------------------------------------------------------------------ G2, G3: a large _bulk through vs direct
BULK="$WORK/bulk.ndjson"
log "G2: writing a ${BULK_MB} MB _bulk body..."
awk -v mb="$BULK_MB" 'BEGIN {
  pad = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua"
  target = mb * 1024 * 1024; n = 0; size = 0
  while (size < target) {
    a = "{\"index\":{}}"; d = sprintf("{\"msg\":\"%s\",\"n\":%d,\"host\":\"web-%02d\",\"status\":%d}", pad, n, n % 40, 200 + n % 5)
    print a; print d; size += length(a) + length(d) + 2; n++
  }
}' >"$BULK"
BULK_BYTES=$(stat -c %s "$BULK")
# a tenth of the body, cut at a document's end, warms both paths first
awk -v max=$((BULK_BYTES / 10)) '{ size += length($0) + 1; print; if (NR % 2 == 0 && size >= max) exit }' "$BULK" >"$WORK/warm.ndjson"
for idx in bulk-gateway bulk-direct bulk-warm; do
  curl -sf --max-time 60 -u "elastic:$PW" -X PUT "$GW/$idx" -H 'Content-Type: application/json' \
    -d '{"settings":{"number_of_shards":1,"number_of_replicas":0,"refresh_interval":"-1"}}' >/dev/null || die "creating $idx failed"
done
MEM="$OUT/gateway-memory.txt"
: >"$MEM"
sample_memory "$GW_PID" "$MEM" &
SAMPLER=$!
PIDS+=("$SAMPLER")
sleep 3
BEFORE_LINES=$(wc -l <"$MEM")
[ "$BEFORE_LINES" -gt 0 ] || die "no memory sample of the gateway (jstat -gc $GW_PID)"
BEFORE_RSS=$(awk '{ if ($1 > m) m = $1 } END { print m }' "$MEM"); BEFORE_HEAP=$(awk '{ if ($2 > m) m = $2 } END { print m }' "$MEM")
bulk() { # URL INDEX [curl args]: seconds of one _bulk, checks it had no error
  local url=$1 idx=$2 out t
  shift 2
  out="$OUT/bulk-$idx.json"
  t=$(${CLIENT_CPUS:+taskset -c $CLIENT_CPUS} curl -s --max-time 900 -o "$out" -w '%{time_total}' -X POST "$url/$idx/_bulk" -H 'Content-Type: application/x-ndjson' \
    --data-binary @"$BULK" "$@") || die "_bulk to $idx failed"
  head -c 200 "$out" | grep -q '"errors":false' || die "_bulk to $idx answered: $(head -c 300 "$out")"
  echo "$t"
}
log "G2: warm-up bulks ($(calc "$(stat -c %s "$WORK/warm.ndjson") / 1048576" 0) MB) direct and through the gateway..."
BULK_SAVED=$BULK; BULK="$WORK/warm.ndjson"
bulk "$DIRECT" bulk-warm >/dev/null
bulk "$GW" bulk-warm -H "$AUTH" >/dev/null
BULK=$BULK_SAVED
if [ "$G2_WARM_FULL" = 1 ]; then
  log "G2: upstream warm-up, the full ${BULK_MB} MB body sent directly to a throwaway index..."
  bulk "$DIRECT" bulk-warm >/dev/null
fi
g2_direct() {
  log "G2: direct..."
  local o0
  o0=$(cpu_ms "$OS_PID")
  D_BULK_S=$(bulk "$DIRECT" bulk-direct)
  B_OS_CPU_D=$(( $(cpu_ms "$OS_PID") - o0 ))
  D_TOOK=$(sed -n 's/^{"took":\([0-9]*\).*/\1/p' "$OUT/bulk-bulk-direct.json" | head -c 20)
}
# G2_DIRECT_FIRST=1: the direct _bulk first (to see what the order costs the one that comes first)
[ "$G2_DIRECT_FIRST" = 1 ] && g2_direct
sleep 2
BEFORE_LINES=$(wc -l <"$MEM")
BEFORE_RSS=$(tail -4 "$MEM" | awk '{ if ($1 > m) m = $1 } END { print m }'); BEFORE_HEAP=$(tail -4 "$MEM" | awk '{ if ($2 > m) m = $2 } END { print m }')
BEFORE_OLD=$(tail -1 "$MEM" | awk '{ print $3 }')
log "G2: through the gateway..."
g0=$(cpu_ms "$GW_PID"); o0=$(cpu_ms "$OS_PID")
G_BULK_S=$(bulk "$GW" bulk-gateway -H "$AUTH")
DURING_LINES=$(wc -l <"$MEM")
g1=$(cpu_ms "$GW_PID"); o1=$(cpu_ms "$OS_PID")
B_GW_CPU=$((g1 - g0)); B_OS_CPU_G=$((o1 - o0))
G_TOOK=$(sed -n 's/^{"took":\([0-9]*\).*/\1/p' "$OUT/bulk-bulk-gateway.json" | head -c 20)
[ "$G2_DIRECT_FIRST" = 1 ] || g2_direct
G_MBS=$(calc "$BULK_BYTES / 1048576 / $G_BULK_S" 1); D_MBS=$(calc "$BULK_BYTES / 1048576 / $D_BULK_S" 1)
G2=$(calc "$G_MBS / $D_MBS" 2)
DURING_RSS=$(awk -v a="$BEFORE_LINES" -v b="$DURING_LINES" 'NR > a && NR <= b { if ($1 > m) m = $1 } END { print m + 0 }' "$MEM")
DURING_HEAP=$(awk -v a="$BEFORE_LINES" -v b="$DURING_LINES" 'NR > a && NR <= b { if ($2 > m) m = $2 } END { print m + 0 }' "$MEM")
DURING_OLD=$(awk -v a="$BEFORE_LINES" -v b="$DURING_LINES" 'NR > a && NR <= b { if ($3 > m) m = $3 } END { print m + 0 }' "$MEM")
OLD_DELTA=$(calc "($DURING_OLD - $BEFORE_OLD) / 1024" 1)
RSS_DELTA=$(calc "($DURING_RSS - $BEFORE_RSS) / 1024" 1); HEAP_MB_BEFORE=$(calc "$BEFORE_HEAP / 1024" 1); HEAP_MB_DURING=$(calc "$DURING_HEAP / 1024" 1)
log "G2: gateway $G_MBS MB/s, direct $D_MBS MB/s (${G2}x); G3: RSS $(calc "$BEFORE_RSS / 1024" 1) -> $(calc "$DURING_RSS / 1024" 1) MB, heap used $HEAP_MB_BEFORE -> $HEAP_MB_DURING MB"

# ------------------------------------------------------------------ report
REPORT="$OUT/section.md"
{
  echo "### Run of $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "| # | measure | through the gateway | direct to OpenSearch (same run) | ratio | goal | result |"
  echo "|---|---|---:|---:|---:|---|---|"
  echo "| G1 | \`GET /bench/_search?size=1\` (10 documents), API key caller, wrk $CONNS connections: req/s | $G_RATE | $D_RATE | ${G1}× | ≥ 0.9× | $(verdict "$G1 >= 0.9") |"
  echo "| G1 | the same: p50 / p99 (median of the rounds) | $G50 / $G99 ms | $D50 / $D99 ms | p99 $(calc "$G99 / $D99" 2)× | — | — |"
  if [ -n "$REF_RATE" ]; then
    echo "| G1 ref | the same ($CONNS connections) through nginx \`proxy_pass\` (1 worker, keep-alive upstream, no authentication) in the gateway's place: req/s | $REF_RATE | $REF_D_RATE | ${REF_G1}× | — (what a proxy in C leaves) | — |"
  fi
  echo "| G1′ | the same with $G1_LAT_CONNS connections (few in flight: the closed loop is bound by latency, not capacity): req/s | $L_RATE | $L_D_RATE | ${L_G1}× | — | — |"
  echo "| G1′ | the same: p50 / p99 (median of the rounds) | $L_G50 / $L_G99 ms | $L_D50 / $L_D99 ms | p50 +$(calc "$L_G50 - $L_D50" 2) ms, p99 $(calc "$L_G99 / $L_D99" 2)× | — | — |"
  echo "| G2 | one \`_bulk\` of $(calc "$BULK_BYTES / 1048576" 0) MB (NDJSON, ~250 B documents, no item denied): MB/s | $G_MBS ($G_BULK_S s) | $D_MBS ($D_BULK_S s) | ${G2}× | ≈ 1× | $(verdict "$G2 >= 0.9") |"
  echo "| G3 | the gateway's old generation (what it keeps), before → peak during G2 (jstat every 250 ms) | $(calc "$BEFORE_OLD / 1024" 1) → $(calc "$DURING_OLD / 1024" 1) MB | — | +$OLD_DELTA MB | flat (≪ body size) | $(verdict "($DURING_OLD - $BEFORE_OLD) / 1024 < $BULK_BYTES / 1048576 / 10") |"
  echo "| G3 | the same: RSS / used heap with young garbage (the JVM's default heap, max 1/4 of RAM, lets eden grow) | $(calc "$BEFORE_RSS / 1024" 0) → $(calc "$DURING_RSS / 1024" 0) MB RSS; $HEAP_MB_BEFORE → $HEAP_MB_DURING MB heap | — | RSS +$RSS_DELTA MB | — | — |"
  echo
  echo "- OpenSearch 2.19.6 embedded (\`OpenSearchMain\`, -Xmx$OS_HEAP, no security plugin), the gateway (\`bin/svctoken\`, default JVM options${SERVER_JAVA_OPTS:+ plus \`$SERVER_JAVA_OPTS\`}, HTTP, SQLite store), $(if [ -n "$UPSTREAM_CPUS$CLIENT_CPUS" ]; then echo "OpenSearch pinned to CPU(s) ${UPSTREAM_CPUS:-any}, the gateway, wrk and curl to CPU(s) ${CLIENT_CPUS:-any} (taskset)"; else echo "wrk and curl all on the same cores"; fi); G1: warm-up ${WARM} s per side, then $ROUNDS alternating rounds of ${ROUND} s per side, $WRK_THREADS wrk thread(s)"
  echo "- CPU per request (/proc/<pid>/stat, whole processes): G1 through the gateway: gateway $G_GW_PER ms (of which its JIT compiler threads $G_GW_JIT_PER ms) + OpenSearch $G_OS_PER ms; G1 direct: OpenSearch $D_OS_PER ms. G2 per MB: through: gateway $(calc "$B_GW_CPU / ($BULK_BYTES / 1048576)" 1) ms + OpenSearch $(calc "$B_OS_CPU_G / ($BULK_BYTES / 1048576)" 1) ms; direct: OpenSearch $(calc "$B_OS_CPU_D / ($BULK_BYTES / 1048576)" 1) ms"
  if [ -n "$CORES_BUSY" ]; then
    echo "- G1 cores (/proc/stat during the rounds): $CONNS connections: $CORES_BUSY; $G1_LAT_CONNS connections: $L_CORES_BUSY"
  fi
  if [ -n "$REF_RATE" ]; then
    echo "- G1 ref: nginx's worker used $REF_PER ms of CPU per proxied request (the gateway: $G_GW_PER ms)"
  fi
  echo "- G2: a warm-up bulk of a tenth of the body on each path first$(if [ "$G2_WARM_FULL" = 1 ]; then echo ", then the full body directly to a throwaway index"; fi); then $(if [ "$G2_DIRECT_FIRST" = 1 ]; then echo "direct, then through the gateway"; else echo "through the gateway, then direct"; fi); OpenSearch's own \`took\` (after it has read the body): through ${G_TOOK:-?} ms, direct ${D_TOOK:-?} ms"
  echo "- G1 per round (each gateway round over the direct round beside it; the row's ratio is of the sums): $CONNS connections $(pair_ratios gateway-sat direct-sat); $G1_LAT_CONNS connections $(pair_ratios gateway-lat direct-lat)$(if [ -n "$REF_RATE" ]; then echo "; nginx in its place $(pair_ratios ref-nginx ref-direct)"; fi)"
  echo "- G1 rounds (req/s from wrk reports): $(for r in $(seq 1 "$ROUNDS"); do for side in direct gateway; do f="$OUT/wrk-$side-sat-$r.txt"; printf '%s %s; ' "$side-$r" "$(calc "$(wrk_requests "$f") / $(wrk_seconds "$f")" 0)"; done; done)"
  [ $PROFILE = 1 ] && echo "- profiled: JFR on the gateway during its first G1 round (\`$OUT/gateway-g1.txt\`)"
  machine_description
  echo "- other load: $(uptime | sed 's/.*load average/load average/') at the end of the run"
  echo "- command: \`$( [ "$G2_DIRECT_FIRST" = 1 ] && echo "G2_DIRECT_FIRST=1 " )${UPSTREAM_CPUS:+UPSTREAM_CPUS=$UPSTREAM_CPUS }${CLIENT_CPUS:+CLIENT_CPUS=$CLIENT_CPUS }bench/gateway.sh${ARGS:+ $ARGS}\` (took $(( $(date +%s) - T_BEGIN )) s); outputs in \`bench/target/gateway/\`"
  echo
} >"$REPORT"
cat "$REPORT"
if [ $WRITE_DOC = 1 ]; then
  # the new run on top, earlier runs kept below it
  OLD="$OUT/section-old.md"
  [ -f "$DOC" ] && awk '$0 == "<!-- BEGIN gateway -->" { on = 1; next } $0 == "<!-- END gateway -->" { on = 0 } on' "$DOC" >"$OLD" || : >"$OLD"
  NEW="$OUT/section-new.md"
  {
    if grep -q '^## Gateway' "$OLD"; then sed -n '1,/^### Run of/{/^### Run of/!p}' "$OLD"; else
      echo "## Gateway: svctoken in front of OpenSearch (\`bench/gateway.sh\`)"
      echo
      echo "svctoken in gateway mode in front of a real OpenSearch 2.19.6 node vs the same requests sent directly to that node,"
      echo "in the same run. Newest run first; earlier runs are kept with their dates."
      echo
    fi
    cat "$REPORT"
    sed -n '/^### Run of/,$p' "$OLD"
  } >"$NEW"
  replace_section "$DOC" gateway "$NEW"
  log "wrote $DOC"
fi
