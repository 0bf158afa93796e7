#!/usr/bin/env bash
# Load benchmarks P1-P7 of svctoken over loopback, each against a baseline measured in the same run
# (this machine is shared and noisy: read the ratios). Prints the table and writes it, with the machine
# and the command, to docs/benchmarks.md (between <!-- BEGIN load --> and <!-- END load -->).
#
#   bench/load.sh              # about 4 minutes on 2 cores
#   bench/load.sh --profile    # also records JFR on the servers during each measurement and writes
#                              # aggregated profiles to bench/target/load-profile/profiles/*.txt (figures are
#                              # then slightly perturbed: the report says so)
#   bench/load.sh --no-doc     # leave docs/benchmarks.md alone
#
# Knobs (environment): ROUNDS=3 and ROUND=4 (every comparison alternates ROUNDS rounds of ROUND seconds
# per side, so that noise from other load on the machine hits both sides alike), WARM=5 (seconds of
# warm-up per endpoint), CONNS=16, WRK_THREADS=2 (issue #18's P2 row: 2 threads, 16 connections), STARTS=5 (P5/S1/S2 rounds), CREATES=200 (C1, per round), C1_WARM=50 (C1's warm-up creations, before the rounds and not counted),
# C1_CLIENT=socket (C1's client: a blocking socket on one thread; jdk: the JDK's HttpClient, C1's client before 2026-12-07 evening),
# PHASES="P5 C1 P1 P4 P3 P6 P7" (which measures to run; P2 comes with P1, S1 and S2 with P5; P1L, P1 with last-use
# recording off vs on, runs only when named). CDS=off: the
# servers start without the launcher's class-data archive (SVCTOKEN_CDS=off), for a before/after. Experiments: SERVER_OPTS="-E k=v ..." adds settings to every
# server started (e.g. SERVER_OPTS="-E svctoken.worker.nice=0" for the hashing pool at normal priority).
# The failed-authentication throttle is off (THROTTLE=true turns it on): P4 and P6 send wrong secrets from
# one address on purpose, to saturate the hashing pool, which the throttle would refuse after 10 failures.
#
# Installs wrk and nginx (Debian packages) when missing. Everything listens on 127.0.0.1 only, every
# step is bounded in time, and whatever the script started is stopped on exit, failure or CTRL-C.
# Outputs, server logs and wrk reports stay in bench/target/load/.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

PROFILE=0
WRITE_DOC=1
ARGS="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) PROFILE=1 ;;
    --no-doc) WRITE_DOC=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
  shift
done

ROUND=${ROUND:-4}
ROUNDS=${ROUNDS:-3}
WARM=${WARM:-5}
PHASES=" ${PHASES:-P5 C1 P1 P4 P3 P6 P7} "
C1_WARM=${C1_WARM:-50}
C1_CLIENT=${C1_CLIENT:-socket}
want() { [[ "$PHASES" == *" $1 "* ]]; }
CONNS=${CONNS:-16}
WRK_THREADS=${WRK_THREADS:-2}
STARTS=${STARTS:-5}
CREATES=${CREATES:-200}
PW="bench-Passw0rd-$$"
ACCOUNT="elastic/fleet-server"
OUT="$BENCH/target/load"
[ $PROFILE = 1 ] && OUT="$BENCH/target/load-profile"
WORK="$OUT/work"
T_BEGIN=$(date +%s)

# ------------------------------------------------------------------------------------------ cleanup

PIDS=()
forget_pid() {
  local keep=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  PIDS=("${keep[@]+"${keep[@]}"}")
}
stop_pid() { # PID: SIGTERM, up to 15 s, then SIGKILL
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || { forget_pid "$pid"; return 0; }
  for i in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  forget_pid "$pid"
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

# ------------------------------------------------------------------------------------------ tools

install_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v curl >/dev/null || missing+=(curl)
  [ ${#missing[@]} = 0 ] && return 0
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  log "installing ${missing[*]} (apt-get)..."
  timeout 300 $sudo apt-get update -q >/dev/null || die "apt-get update failed"
  timeout 300 $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}
NGINX_BIN=""

calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }

http_code() { # PORT PATH [curl args]
  local port=$1 path=$2
  shift 2
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "http://127.0.0.1:$port$path" || true
}

# ------------------------------------------------------------------------------------------ servers

SERVER_PID=""
SERVER_PORT=""
BUILT_DURING_RUN=""
# start_server NAME DATA_DIR [-E k=v]...: bin/svctoken on a free loopback port; waits until GET / as
# elastic answers 200 (at most 90 s). Sets SERVER_PID, SERVER_PORT and START_MS (launch to first 200).
start_server() {
  local name=$1 data=$2
  shift 2
  local port t0 t1 i code
  free_port
  port=$FREE_PORT
  mkdir -p "$WORK/conf-$name" "$data"
  t0=$(date +%s%N)
  ELASTIC_PASSWORD="$PW" ES_PATH_CONF="$WORK/conf-$name" SVCTOKEN_JAVA_OPTS="${SERVER_JAVA_OPTS:-}" \
    "$LAUNCHER" -E http.host=127.0.0.1 -E http.port="$port" -E path.data="$data" -E xpack.security.http.ssl.enabled=false \
    -E node.name="bench-$name" -E svctoken.authc.failure_throttle.enabled="${THROTTLE:-false}" ${SERVER_OPTS:-} "$@" \
    >>"$OUT/server-$name.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  SERVER_PORT=$port
  for i in $(seq 1 9000); do
    kill -0 "$SERVER_PID" 2>/dev/null || die "server $name exited (see $OUT/server-$name.log)"
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      code=$(http_code "$port" / -u "elastic:$PW")
      if [ "$code" = 200 ]; then
        t1=$(date +%s%N)
        START_MS=$(((t1 - t0) / 1000000))
        if grep -q 'svctoken: building' "$OUT/server-$name.log"; then
          BUILT_DURING_RUN="$BUILT_DURING_RUN $name"
          log "warning: bin/svctoken built the project while starting $name (sources changed during the run)"
        fi
        return 0
      fi
    fi
    sleep 0.01
  done
  die "server $name did not answer within 90 s (see $OUT/server-$name.log)"
}

create_token() { # PORT NAME -> prints the bearer value
  local body
  body=$(curl -s --max-time 30 -u "elastic:$PW" -X POST \
    "http://127.0.0.1:$1/_security/service/$ACCOUNT/credential/token/$2") || die "creating token $2 failed"
  printf '%s' "$body" | sed -n 's/.*"value" *: *"\([^"]*\)".*/\1/p' | grep . || die "creating token $2 answered: $body"
}

start_nginx() { # serves a static 100-byte JSON body on a free loopback port; sets NGINX_PORT
  local dir="$WORK/nginx" body
  mkdir -p "$dir"
  free_port
  NGINX_PORT=$FREE_PORT
  body='{"status":"ok","note":"static response of exactly one hundred bytes for the baseline","pad":"xxxxx"}'
  [ ${#body} = 100 ] || die "nginx body is ${#body} bytes, not 100"
  cat > "$dir/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 60s;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      default_type application/json;
      return 200 '$body';
    }
  }
}
EOF
  "$NGINX_BIN" -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" >>"$OUT/nginx.log" 2>&1 &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  local i
  for i in $(seq 1 500); do
    [ "$(http_code "$NGINX_PORT" /)" = 200 ] && return 0
    kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited (see $dir/error.log)"
    sleep 0.02
  done
  die "nginx did not answer"
}

# ------------------------------------------------------------------------------------------ wrk

declare -A REQ SEC CPU_EL CPU_WK WAIT_EL RUNS_EL
# Linux per-thread scheduler statistics (/proc/PID/task/TID/schedstat: ns on CPU, ns waiting on a run
# queue, number of times run) summed over the server's event loops (svctoken-http-N-M) or its hashing
# pool (svctoken-worker-N): what the server's threads cost and how long they waited for a core.
sched_sum() { # PID KIND(el|wk) -> "run_ns wait_ns runs"
  local t c a b n r=0 w=0 k=0
  for t in /proc/"$1"/task/*; do
    c=$(cat "$t/comm" 2>/dev/null) || continue
    case "$2:$c" in
      el:svctoken-http-[0-9]*|wk:svctoken-worker*) ;;
      *) continue ;;
    esac
    read -r a b n <"$t/schedstat" 2>/dev/null || continue
    r=$((r + a)); w=$((w + b)); k=$((k + n))
  done
  echo "$r $w $k"
}
SCHED_PID=""   # when set, wrk_run records the scheduler statistics of this server
# wrk_run NAME SECONDS CONNS URL [wrk args]: one bounded wrk run, report in $OUT/wrk-NAME-<n>.txt;
# adds its requests and seconds to REQ[NAME]/SEC[NAME] unless NAME starts with "warm".
# Fails when a run that must succeed (EXPECT=2xx, the default) saw any other status.
WRK_N=0
LAST_WRK=""
wrk_run() {
  local name=$1 secs=$2 conns=$3 url=$4
  shift 4
  WRK_N=$((WRK_N + 1))
  LAST_WRK="$OUT/wrk-$(printf '%02d' $WRK_N)-$name.txt"
  local el0 wk0 el1 wk1
  if [ -n "$SCHED_PID" ]; then el0=$(sched_sum "$SCHED_PID" el); wk0=$(sched_sum "$SCHED_PID" wk); fi
  timeout $((secs + 30)) wrk -t"$WRK_THREADS" -c"$conns" -d"${secs}s" --timeout 10s --latency "$@" "$url" >"$LAST_WRK" 2>&1 \
    || die "wrk $name failed: $(tail -3 "$LAST_WRK")"
  local non2xx
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$LAST_WRK")
  if [ "${EXPECT:-2xx}" = 2xx ] && [ -n "$non2xx" ]; then
    die "wrk $name: $non2xx responses were not 2xx (see $LAST_WRK)"
  fi
  case "$name" in warm*) return 0 ;; esac
  if [ -n "$SCHED_PID" ]; then
    el1=$(sched_sum "$SCHED_PID" el); wk1=$(sched_sum "$SCHED_PID" wk)
    local a0 b0 c0 a1 b1 c1 x0 x1 y
    read -r a0 b0 c0 <<<"$el0"; read -r a1 b1 c1 <<<"$el1"
    read -r x0 y y <<<"$wk0"; read -r x1 y y <<<"$wk1"
    CPU_EL[$name]=$(( ${CPU_EL[$name]:-0} + a1 - a0 ))
    WAIT_EL[$name]=$(( ${WAIT_EL[$name]:-0} + b1 - b0 ))
    RUNS_EL[$name]=$(( ${RUNS_EL[$name]:-0} + c1 - c0 ))
    CPU_WK[$name]=$(( ${CPU_WK[$name]:-0} + x1 - x0 ))
  fi
  REQ[$name]=$(( ${REQ[$name]:-0} + $(wrk_requests "$LAST_WRK") ))
  SEC[$name]=$(calc "${SEC[$name]:-0} + $(wrk_seconds "$LAST_WRK")" 3)
}
wrk_requests() { awk '/requests in/ {print $1}' "$1"; }
wrk_seconds() {
  awk '/requests in/ { s = $4; sub(/,$/, "", s)
    if (s ~ /ms$/) { sub(/ms$/, "", s); s = s / 1000 } else if (s ~ /m$/) { sub(/m$/, "", s); s = s * 60 } else { sub(/s$/, "", s) }
    print s }' "$1"
}
wrk_pct_ms() { # FILE PERCENT(50|75|90|99): latency in ms
  awk -v p="$2%" '$1 == p { v = $2
    if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
    printf "%.2f", v }' "$1"
}
rate() { calc "${REQ[$1]} / ${SEC[$1]}" 1; }
# Server CPU per request of a measured NAME, from the scheduler statistics: "X µs (event loops Y + pool Z)"
cpu_per_req() {
  local el=${CPU_EL[$1]:-0} wk=${CPU_WK[$1]:-0} n=${REQ[$1]}
  printf '%s µs (event loops %s + worker pool %s)' "$(calc "($el + $wk) / $n / 1000" 1)" "$(calc "$el / $n / 1000" 1)" "$(calc "$wk / $n / 1000" 1)"
}
# How long the event loops waited for a core each time they were woken: "X µs per wake-up (Y% of their time)"
el_wait() {
  local w=${WAIT_EL[$1]:-0} r=${CPU_EL[$1]:-0} k=${RUNS_EL[$1]:-1}
  printf '%s µs waited for a core per wake-up, %s%% of their time' "$(calc "$w / ($k > 0 ? $k : 1) / 1000" 0)" "$(calc "100 * $w / ($w + $r + 1)" 0)"
}

# ------------------------------------------------------------------------------------------ profiling

PROFILED=()
JFC=""
# The JDK's profile.jfc with Java sampling every 1 ms (not 10), lock/park thresholds of 1 ms (not 10-20)
# and per-thread CPU load every second.
make_jfc() {
  local jhome
  jhome="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  JFC="$OUT/bench-profile.jfc"
  awk '
    /<event name="/ { ev = $0; sub(/.*<event name="/, "", ev); sub(/".*/, "", ev) }
    /<\/event>/ { ev = "" }
    ev == "jdk.ExecutionSample" && /name="period"/ { sub(/>[^<]*</, ">1 ms<") }
    ev == "jdk.ThreadCPULoad" && /name="period"/ { sub(/>[^<]*</, ">1 s<") }
    (ev == "jdk.JavaMonitorEnter" || ev == "jdk.ThreadPark" || ev == "jdk.JavaMonitorWait") && /name="threshold"/ { sub(/>[^<]*</, ">1 ms<") }
    { print }' "$jhome/lib/jfr/profile.jfc" >"$JFC"
}
jfr_begin() { # PID NAME
  [ $PROFILE = 1 ] || return 0
  [ -n "$JFC" ] || make_jfc
  timeout 60 jcmd "$1" JFR.start name="$2" settings="$JFC" >/dev/null || log "JFR.start $2 failed"
}
jfr_end() { # PID NAME
  [ $PROFILE = 1 ] || return 0
  mkdir -p "$OUT/profiles"
  timeout 60 jcmd "$1" JFR.stop name="$2" filename="$OUT/profiles/$2.jfr" >/dev/null || { log "JFR.stop $2 failed"; return 0; }
  timeout 120 java -cp "$BENCH_CP" io.svctoken.bench.JfrTop "$OUT/profiles/$2.jfr" 25 >"$OUT/profiles/$2.txt" 2>&1 || true
  PROFILED+=("$2")
}

# ------------------------------------------------------------------------------------------ results

ROWS=()
row() { ROWS+=("$(printf '| %s | %s | %s | %s | %s | %s | %s |' "$@")"); }
verdict() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo "**FAIL**"; fi; }

# ================================================================================================ run

install_tools
NGINX_BIN=$(nginx_bin)
ensure_build
rm -rf "$OUT"
mkdir -p "$OUT" "$WORK"
log "results and logs in $OUT"
# Servers run from a snapshot of the build: bin/ as it is plus cli/target/{svctoken-cli.jar,lib}, laid
# out like the checkout so bin/svctoken works unchanged. It holds no sources, so the launcher never
# rebuilds in the middle of a run (as it would when a source changes meanwhile), and every server of
# the run executes the same build.
INSTALL="$WORK/install"
mkdir -p "$INSTALL/cli/target"
cp -r "$HOME_DIR/bin" "$INSTALL/"
cp "$HOME_DIR/cli/target/svctoken-cli.jar" "$INSTALL/cli/target/"
cp -r "$HOME_DIR/cli/target/lib" "$INSTALL/cli/target/"
LAUNCHER="$INSTALL/bin/svctoken"
# The class-data archive records the jars' paths and times, so the snapshot gets its own (as `package` makes one
# for the checkout): the servers then start the way bin/svctoken starts from a build.
if [ "${CDS:-on}" = off ]; then
  export SVCTOKEN_CDS=off
  CDS_STATE="off (CDS=off)"
else
  log "class-data archive for the snapshot (bin/svctoken-cds)..."
  "$INSTALL/bin/svctoken-cds" >"$OUT/svctoken-cds.log" 2>&1 || true
  if [ -f "$INSTALL/cli/target/svctoken.jsa" ]; then CDS_STATE="used (bin/svctoken-cds run on the snapshot)"; else CDS_STATE="none, bin/svctoken-cds failed (see $OUT/svctoken-cds.log)"; fi
fi

# ------------------------------------------------------------------ P5, S1, S2: start to first request
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# start_bare: the floor, io.svctoken.bench.BareHttpServer (the JDK's com.sun.net.httpserver answering GET / with
# 200) started the way bin/svctoken starts java (same SERVER_JAVA_OPTS, no launcher script, no archive); sets
# START_MS (launch to first 200) and stops it.
start_bare() {
  local t0 t1 pid i
  free_port
  t0=$(date +%s%N)
  java ${SERVER_JAVA_OPTS:-} -cp "$BENCH/target/classes" io.svctoken.bench.BareHttpServer "$FREE_PORT" >>"$OUT/bare.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  for i in $(seq 1 9000); do
    kill -0 "$pid" 2>/dev/null || die "the bare server exited (see $OUT/bare.log)"
    if [ "$(http_code "$FREE_PORT" /)" = 200 ]; then
      t1=$(date +%s%N)
      START_MS=$(((t1 - t0) / 1000000))
      stop_pid "$pid"
      return 0
    fi
    sleep 0.01
  done
  die "the bare server did not answer within 90 s"
}
# start_cpu PID: the CPU a server's threads used up to now (schedstat, ms): "process/main thread/JIT", read right after
# the first 200. Unlike the wall clock it barely depends on the machine's load: the start's own cost.
start_cpu() {
  local t c a b n all=0 main=0 jit=0
  for t in /proc/"$1"/task/*; do
    c=$(cat "$t/comm" 2>/dev/null) || continue
    read -r a b n <"$t/schedstat" 2>/dev/null || continue
    all=$((all + a))
    case "$c" in
      C1\ Compi* | C2\ Compi*) jit=$((jit + a)) ;;
      java) [ "${t##*/}" != "$1" ] && main=$((main + a)) ;; # the launcher's thread (tid = pid) only waits
    esac
  done
  echo "$((all / 1000000))/$((main / 1000000))/$((jit / 1000000))"
}
if want P5; then
log "P5/S1/S2: $STARTS rounds of: first start (empty config and data), restart on them, bare JDK HttpServer start"
FIRST_MS=(); STARTS_MS=(); BARE_MS=(); FIRST_CPU=(); START_CPU=()
for i in $(seq 1 "$STARTS"); do
  start_server "first-$i" "$WORK/data-first-$i"
  FIRST_MS+=("$START_MS")
  FIRST_CPU+=("$(start_cpu "$SERVER_PID")")
  stop_pid "$SERVER_PID"
  start_server "first-$i" "$WORK/data-first-$i"
  STARTS_MS+=("$START_MS")
  START_CPU+=("$(start_cpu "$SERVER_PID")")
  grep -o 'started in [0-9]* ms' "$OUT/server-first-$i.log" | awk '{print $3}' | tail -1 >>"$OUT/p5-node-start-ms.txt" || true
  stop_pid "$SERVER_PID"
  start_bare
  BARE_MS+=("$START_MS")
done
P5_MEDIAN=$(printf '%s\n' "${STARTS_MS[@]}" | median)
FIRST_MEDIAN=$(printf '%s\n' "${FIRST_MS[@]}" | median)
BARE_MEDIAN=$(printf '%s\n' "${BARE_MS[@]}" | median)
S1=$(calc "$P5_MEDIAN / $BARE_MEDIAN" 1)
S2=$(calc "$FIRST_MEDIAN / $BARE_MEDIAN" 1)
log "P5: restarts ${STARTS_MS[*]} ms (median $P5_MEDIAN); first starts ${FIRST_MS[*]} (median $FIRST_MEDIAN); bare ${BARE_MS[*]} (median $BARE_MEDIAN): S1 ${S1}x, S2 ${S2}x"
row P5 "restart (existing config and data) → first \`200\` of \`GET /\` as elastic, median of $STARTS" "${P5_MEDIAN} ms" \
  "–" "–" "≤ 1500 ms" "$(verdict "$P5_MEDIAN <= 1500")"
row S1 "same restart, vs a bare JDK \`com.sun.net.httpserver\` answering \`GET /\` (\`BareHttpServer\`, same JVM options)" "${P5_MEDIAN} ms" \
  "bare: ${BARE_MEDIAN} ms" "${S1}×" "≤ 3×" "$(verdict "$S1 <= 3")"
row S2 "very first start (empty config and data dirs, HTTPS off so no key generation) vs the same floor" "${FIRST_MEDIAN} ms" \
  "bare: ${BARE_MEDIAN} ms" "${S2}×" "≤ 6×" "$(verdict "$S2 <= 6")"
DETAILS+=("P5/S1/S2 starts (ms), in rounds of first start / restart / bare: $(for i in $(seq 0 $((STARTS - 1))); do printf '%s/%s/%s ' "${FIRST_MS[$i]}" "${STARTS_MS[$i]}" "${BARE_MS[$i]}"; done); the node's own \"started in\" on the restarts (ms): $(tr '\n' ' ' <"$OUT/p5-node-start-ms.txt"); CPU up to the first \`200\` (schedstat, ms, process/main thread/JIT): first starts ${FIRST_CPU[*]}, restarts ${START_CPU[*]}; class-data archive: $CDS_STATE")
fi

# ------------------------------------------------------------------ C1: sequential token creation
if want C1; then
log "C1: $CREATES sequential token creations on one kept-alive connection vs raw PBKDF2_STRETCH on one thread"
start_server create "$WORK/data-create"
CREATE_PID=$SERVER_PID
CREATE_PORT=$SERVER_PORT
SCHED_PID=$CREATE_PID
C_OPS=0; C_SECS=0; RAW1_OPS=0; RAW1_SECS=0; RAW1_CPU_MS=0; OWN1_OPS=0; OWN1_SECS=0; OWN1_CPU_MS=0; C_WK0=""; C_WK=0; C_EL=0
# the warm-up on its own, so that the server CPU counted per creation below is the measured creations' only
timeout 300 java -cp "$BENCH_CP" io.svctoken.bench.CreateRate "$CREATE_PORT" "$PW" "$C1_WARM" 1 "c1-warm" "$C1_CLIENT" >"$OUT/c1-create-warm.txt" \
  || die "token creation failed: $(cat "$OUT/c1-create-warm.txt")"
for r in $(seq 1 "$ROUNDS"); do
  [ $r = 1 ] && jfr_begin "$CREATE_PID" c1-create
  wk0=$(sched_sum "$CREATE_PID" wk); el0=$(sched_sum "$CREATE_PID" el)
  timeout 300 java -cp "$BENCH_CP" io.svctoken.bench.CreateRate "$CREATE_PORT" "$PW" 0 "$CREATES" "c1-$r" "$C1_CLIENT" >"$OUT/c1-create-$r.txt" \
    || die "token creation failed: $(cat "$OUT/c1-create-$r.txt")"
  wk1=$(sched_sum "$CREATE_PID" wk); el1=$(sched_sum "$CREATE_PID" el)
  [ $r = 1 ] && jfr_end "$CREATE_PID" c1-create
  C_WK=$((C_WK + ${wk1%% *} - ${wk0%% *})); C_EL=$((C_EL + ${el1%% *} - ${el0%% *}))
  C_OPS=$((C_OPS + $(sed -n 's/.*ops=\([0-9]*\).*/\1/p' "$OUT/c1-create-$r.txt")))
  C_SECS=$(calc "$C_SECS + $(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' "$OUT/c1-create-$r.txt")" 3)
  timeout $((ROUND + 60)) java -cp "$BENCH_CP" io.svctoken.bench.Pbkdf2Rate 1 1 "$ROUND" >"$OUT/pbkdf2-raw1-$r.txt"
  RAW1_OPS=$((RAW1_OPS + $(sed -n 's/.* ops=\([0-9]*\).*/\1/p' "$OUT/pbkdf2-raw1-$r.txt")))
  RAW1_SECS=$(calc "$RAW1_SECS + $(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' "$OUT/pbkdf2-raw1-$r.txt")" 3)
  RAW1_CPU_MS=$(calc "$RAW1_CPU_MS + $(sed -n 's/.* ops=\([0-9]*\).*/\1/p' "$OUT/pbkdf2-raw1-$r.txt") * $(sed -n 's/.* cpu_ms_per_op=\([0-9.]*\).*/\1/p' "$OUT/pbkdf2-raw1-$r.txt")" 1)
  # the second baseline: svctoken's own hasher (Hasher.PBKDF2_STRETCH.hash, core's PBKDF2) raw on one thread
  timeout $((ROUND + 60)) java -cp "$BENCH_CP" io.svctoken.bench.Pbkdf2Rate 1 1 "$ROUND" 10000 svctoken >"$OUT/pbkdf2-own1-$r.txt"
  OWN1_OPS=$((OWN1_OPS + $(sed -n 's/.* ops=\([0-9]*\).*/\1/p' "$OUT/pbkdf2-own1-$r.txt")))
  OWN1_SECS=$(calc "$OWN1_SECS + $(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' "$OUT/pbkdf2-own1-$r.txt")" 3)
  OWN1_CPU_MS=$(calc "$OWN1_CPU_MS + $(sed -n 's/.* ops=\([0-9]*\).*/\1/p' "$OUT/pbkdf2-own1-$r.txt") * $(sed -n 's/.* cpu_ms_per_op=\([0-9.]*\).*/\1/p' "$OUT/pbkdf2-own1-$r.txt")" 1)
done
SCHED_PID=""
stop_pid "$CREATE_PID"
mkdir -p "$WORK/split" && chmod 700 "$WORK/split"
timeout 300 java -cp "$BENCH_CP" io.svctoken.bench.CreateSplit "$WORK/split" 20 "$CREATES" >"$OUT/c1-split.txt" 2>>"$OUT/c1-split.log" || die "CreateSplit failed"
C_RATE=$(calc "$C_OPS / $C_SECS" 1)
RAW1_RATE=$(calc "$RAW1_OPS / $RAW1_SECS" 1)
OWN1_RATE=$(calc "$OWN1_OPS / $OWN1_SECS" 1)
C1=$(calc "$C_RATE / $RAW1_RATE")
C1_OWN=$(calc "$C_RATE / $OWN1_RATE")
log "C1: $C_RATE creations/s vs raw $RAW1_RATE PBKDF2_STRETCH/s on one thread = ${C1}x (vs svctoken's own hasher raw, $OWN1_RATE/s: ${C1_OWN}x); split: $(cat "$OUT/c1-split.txt")"
row C1 "$CREATES sequential token creations (\`POST .../credential/token/<name>\`, one kept-alive connection), per s" "$C_RATE" \
  "raw JDK PBKDF2WithHmacSHA512 (STRETCH input), 1 thread: $RAW1_RATE/s; svctoken's own hasher raw (\`Hasher.PBKDF2_STRETCH.hash\`), 1 thread: $OWN1_RATE/s" \
  "${C1}× (vs own: ${C1_OWN}×)" "≥ 0.9×" "$(verdict "$C1 >= 0.9")"
DETAILS+=("C1 per creation: $(calc "1000 / $C_RATE") ms over HTTP (client: $C1_CLIENT), raw JDK PBKDF2 $(calc "1000 / $RAW1_RATE") ms (of which CPU, ThreadMXBean: $(calc "$RAW1_CPU_MS / $RAW1_OPS") ms), svctoken's own hasher raw $(calc "1000 / $OWN1_RATE") ms (CPU $(calc "$OWN1_CPU_MS / $OWN1_OPS") ms); server CPU per creation (schedstat) worker pool $(calc "$C_WK / $C_OPS / 1e6") ms + event loops $(calc "$C_EL / $C_OPS / 1e6") ms; the same two steps without HTTP (\`CreateSplit\`, one thread, $CREATES creations): $(sed 's/_ms=\([0-9.]*\)/ \1 ms/g; s/ hash/hash/' "$OUT/c1-split.txt") (insert = SQLite WAL commit with synchronous=FULL)")
fi

# ------------------------------------------------------------------ P1, P2: cached authentication
if want P1 || want P4; then
start_server main "$WORK/data-main"
MAIN_PID=$SERVER_PID
MAIN=$SERVER_PORT
TOKEN1=$(create_token "$MAIN" bench1)
TOKEN2=$(create_token "$MAIN" bench2)
[ "$(http_code "$MAIN" /_security/_authenticate -H "Authorization: Bearer $TOKEN1")" = 200 ] || die "token bench1 does not authenticate"
BASIC="Authorization: Basic $(printf 'elastic:%s' "$PW" | base64 -w0)"
AUTH_URL="http://127.0.0.1:$MAIN/_security/_authenticate"
ROOT_URL="http://127.0.0.1:$MAIN/"
SCHED_PID=$MAIN_PID
if want P1; then
log "P1/P2: cached service token vs GET / (Basic, cached) vs nginx"
start_nginx
NGINX_URL="http://127.0.0.1:$NGINX_PORT/"
wrk_run warm-auth "$WARM" "$CONNS" "$AUTH_URL" -H "Authorization: Bearer $TOKEN1"
wrk_run warm-root "$WARM" "$CONNS" "$ROOT_URL" -H "$BASIC"
wrk_run warm-nginx 1 "$CONNS" "$NGINX_URL"
for r in $(seq 1 "$ROUNDS"); do
  [ $r = 1 ] && jfr_begin "$MAIN_PID" p1-authenticate
  wrk_run auth "$ROUND" "$CONNS" "$AUTH_URL" -H "Authorization: Bearer $TOKEN1"
  [ $r = 1 ] && jfr_end "$MAIN_PID" p1-authenticate
  [ $r = 1 ] && jfr_begin "$MAIN_PID" p1-root
  wrk_run root "$ROUND" "$CONNS" "$ROOT_URL" -H "$BASIC"
  [ $r = 1 ] && jfr_end "$MAIN_PID" p1-root
  wrk_run nginx "$ROUND" "$CONNS" "$NGINX_URL"
done
stop_pid "$NGINX_PID"
AUTH_RPS=$(rate auth)
ROOT_RPS=$(rate root)
NGINX_RPS=$(rate nginx)
P1=$(calc "$AUTH_RPS / $ROOT_RPS")
P2=$(calc "$AUTH_RPS / $NGINX_RPS")
log "P1: $AUTH_RPS vs $ROOT_RPS req/s = ${P1}x; P2: vs nginx $NGINX_RPS req/s = ${P2}x"
row P1 "\`GET /_security/_authenticate\`, cached service token, req/s" "$AUTH_RPS" "\`GET /\` as elastic (Basic, cached): $ROOT_RPS" "${P1}×" "≥ 0.8×" "$(verdict "$P1 >= 0.8")"
row P2 "same, vs nginx static 100 B (2 workers)" "$AUTH_RPS" "nginx: $NGINX_RPS" "${P2}×" "≥ 0.9×" "$(verdict "$P2 >= 0.9")"
DETAILS+=("P1 server CPU per request (schedstat): \`_authenticate\` $(cpu_per_req auth); \`GET /\` $(cpu_per_req root)")
fi

# ------------------------------------------------------------------ P4: cached p99 under cold load
if want P4; then
log "P4: p99 of cached authentications while wrong secrets saturate the hashing pool"
java -cp "$BENCH_CP" io.svctoken.bench.Bearers "$ACCOUNT" bench2 20000 >"$WORK/wrong-bench2.txt"
java -cp "$BENCH_CP" io.svctoken.bench.Bearers "$ACCOUNT" bench1 20000 >"$WORK/wrong-bench1.txt"
P4_SECS=$((ROUNDS * ROUND))
# The hashing pool's priority decides P4 (svctoken.worker.nice, default 19): record what the kernel has.
WORKER_NICES=$(for task in /proc/"$MAIN_PID"/task/*; do
  if [ "$(cat "$task/comm" 2>/dev/null)" = svctoken-worker ]; then awk '{sub(/.*\) /, ""); print $17}' "$task/stat"; fi
done | sort | uniq -c | awk '{printf "%s%s thread(s) at nice %s", sep, $1, $2; sep=", "}')
DETAILS+=("P4 server's hashing pool (/proc/<pid>/task/*/stat): ${WORKER_NICES:-no svctoken-worker thread found}")
P4_CONNS=4
wrk_run p4-alone "$P4_SECS" "$P4_CONNS" "$AUTH_URL" -H "Authorization: Bearer $TOKEN1"
P4_BASE=$(wrk_pct_ms "$LAST_WRK" 99)
P4_ALONE_RPS=$(calc "$(wrk_requests "$LAST_WRK") / $(wrk_seconds "$LAST_WRK")" 1)
cold_load() { # BEARERS_FILE NAME: wrong-secret load in the background for P4_SECS + 3 s
  BEARERS="$1" EXPECT=any timeout $((P4_SECS + 40)) wrk -t1 -c"$CONNS" -d"$((P4_SECS + 3))s" --timeout 30s --latency \
    -s "$BENCH/rotate.lua" "$AUTH_URL" >"$OUT/wrk-$2.txt" 2>&1 &
  COLD_PID=$!
  PIDS+=("$COLD_PID")
  sleep 1.5
}
cold_wait() {
  wait "$COLD_PID" || die "cold wrk failed: $(tail -3 "$OUT/wrk-$1.txt")"
  forget_pid "$COLD_PID"
}
cold_load "$WORK/wrong-bench2.txt" p4-cold-other
jfr_begin "$MAIN_PID" p4-other-token
wrk_run p4-under-load "$P4_SECS" "$P4_CONNS" "$AUTH_URL" -H "Authorization: Bearer $TOKEN1"
jfr_end "$MAIN_PID" p4-other-token
P4=$(wrk_pct_ms "$LAST_WRK" 99)
P4_P50=$(wrk_pct_ms "$LAST_WRK" 50)
cold_wait p4-cold-other
P4_COLD_RPS=$(calc "$(wrk_requests "$OUT/wrk-p4-cold-other.txt") / $(wrk_seconds "$OUT/wrk-p4-cold-other.txt")" 1)
P4_CACHED_RPS=$(calc "$(wrk_requests "$LAST_WRK") / $(wrk_seconds "$LAST_WRK")" 1)
log "P4: p99 $P4 ms (p50 $P4_P50 ms, $P4_CACHED_RPS req/s) under $P4_COLD_RPS wrong-secret req/s; alone p99 $P4_BASE ms"
row P4 "p99 of cached \`_authenticate\` ($P4_CONNS conns) while wrong secrets for *another* token saturate the pool ($P4_COLD_RPS req/s, $CONNS conns)" \
  "$P4 ms (p50 $P4_P50)" "alone: $P4_BASE ms" "$(calc "$P4 / $P4_BASE")×" "≤ 2× alone" "$(verdict "$P4 <= 2 * $P4_BASE")"

# Same, but the wrong secrets name the cached token itself (what the issue describes literally).
cold_load "$WORK/wrong-bench1.txt" p4-cold-same
jfr_begin "$MAIN_PID" p4-same-token
wrk_run p4-same-under-load "$P4_SECS" "$P4_CONNS" "$AUTH_URL" -H "Authorization: Bearer $TOKEN1"
jfr_end "$MAIN_PID" p4-same-token
P4S=$(wrk_pct_ms "$LAST_WRK" 99)
P4S_P50=$(wrk_pct_ms "$LAST_WRK" 50)
P4S_RPS=$(calc "$(wrk_requests "$LAST_WRK") / $(wrk_seconds "$LAST_WRK")" 1)
cold_wait p4-cold-same
P4S_COLD_RPS=$(calc "$(wrk_requests "$OUT/wrk-p4-cold-same.txt") / $(wrk_seconds "$OUT/wrk-p4-cold-same.txt")" 1)
log "P4 (same token): p99 $P4S ms (p50 $P4S_P50 ms, $P4S_RPS req/s) under $P4S_COLD_RPS wrong-secret req/s"
row "P4′" "same, wrong secrets for the *cached token's own name* ($P4S_COLD_RPS req/s)" \
  "$P4S ms (p50 $P4S_P50; $P4S_RPS req/s)" "alone: $P4_BASE ms" "$(calc "$P4S / $P4_BASE")×" "≤ 2× alone" "$(verdict "$P4S <= 2 * $P4_BASE")"
DETAILS+=("P4 cached req/s under load: $P4_CACHED_RPS (other token), $P4S_RPS (same token); alone: $P4_ALONE_RPS")
DETAILS+=("P4 event loops (schedstat): alone $(el_wait p4-alone); under cold load (other token) $(el_wait p4-under-load); worker pool CPU during it: $(calc "${CPU_WK[p4-under-load]:-0} / 1e9 / $P4_SECS * 100" 0)% of one core")
fi
SCHED_PID=""
stop_pid "$MAIN_PID"
fi

# ------------------------------------------------------------------ P1L: P1 with last-use recording off vs on
# Two servers, one with svctoken.service_token.last_used.enabled=false, one with the default (on, 5-minute interval);
# the same cached _authenticate on each, rounds alternating; the ratio is on/off.
if want P1L; then
log "P1L: cached service token, last-use recording off vs on"
start_server lu-off "$WORK/data-lu-off" -E svctoken.service_token.last_used.enabled=false
LU_OFF_PID=$SERVER_PID
LU_OFF=$SERVER_PORT
start_server lu-on "$WORK/data-lu-on"
LU_ON_PID=$SERVER_PID
LU_ON=$SERVER_PORT
LU_OFF_TOKEN=$(create_token "$LU_OFF" bench1)
LU_ON_TOKEN=$(create_token "$LU_ON" bench1)
SCHED_PID=""
wrk_run warm-lu-off "$WARM" "$CONNS" "http://127.0.0.1:$LU_OFF/_security/_authenticate" -H "Authorization: Bearer $LU_OFF_TOKEN"
wrk_run warm-lu-on "$WARM" "$CONNS" "http://127.0.0.1:$LU_ON/_security/_authenticate" -H "Authorization: Bearer $LU_ON_TOKEN"
for r in $(seq 1 "$ROUNDS"); do
  SCHED_PID=$LU_OFF_PID
  wrk_run lu-off "$ROUND" "$CONNS" "http://127.0.0.1:$LU_OFF/_security/_authenticate" -H "Authorization: Bearer $LU_OFF_TOKEN"
  LU_OFF_P99=$(wrk_pct_ms "$LAST_WRK" 99)
  SCHED_PID=$LU_ON_PID
  wrk_run lu-on "$ROUND" "$CONNS" "http://127.0.0.1:$LU_ON/_security/_authenticate" -H "Authorization: Bearer $LU_ON_TOKEN"
  LU_ON_P99=$(wrk_pct_ms "$LAST_WRK" 99)
done
SCHED_PID=""
LU_LAST=$(curl -s --max-time 10 -u "elastic:$PW" "http://127.0.0.1:$LU_ON/_svctoken/service/$ACCOUNT/credential/token/bench1" \
  | sed -n 's/.*"last_used" *: *\([0-9null]*\).*/\1/p')
stop_pid "$LU_OFF_PID"
stop_pid "$LU_ON_PID"
LU_OFF_RPS=$(rate lu-off)
LU_ON_RPS=$(rate lu-on)
P1L=$(calc "$LU_ON_RPS / $LU_OFF_RPS")
log "P1L: on $LU_ON_RPS vs off $LU_OFF_RPS req/s = ${P1L}x"
row P1L "\`GET /_security/_authenticate\`, cached service token, last-use recording on (default, 5m interval), req/s" "$LU_ON_RPS" \
  "recording off (\`last_used.enabled=false\`): $LU_OFF_RPS" "${P1L}×" "≈ 1× (≥ 0.95×)" "$(verdict "$P1L >= 0.95")"
DETAILS+=("P1L server CPU per request (schedstat): on $(cpu_per_req lu-on), off $(cpu_per_req lu-off); p99 of the last round: on $LU_ON_P99 ms, off $LU_OFF_P99 ms; the on server's stored last use of the token after the run: $LU_LAST")
fi

# ------------------------------------------------------------------ P3: cold authentication
if want P3; then
log "P3: cold authentication (cache off, PBKDF2_STRETCH 10000) vs raw JVM PBKDF2 on $(nproc) threads"
start_server cold "$WORK/data-cold" -E xpack.security.authc.service_token.cache.ttl=0
COLD_PID_SRV=$SERVER_PID
SCHED_PID=$COLD_PID_SRV
COLD=$SERVER_PORT
TOKENC=$(create_token "$COLD" cold1)
COLD_URL="http://127.0.0.1:$COLD/_security/_authenticate"
P3_CONNS=8
wrk_run warm-cold "$WARM" "$P3_CONNS" "$COLD_URL" -H "Authorization: Bearer $TOKENC"
RAW_OPS=0
RAW_SECS=0
RAW_CPU_MS=0
for r in $(seq 1 "$ROUNDS"); do
  [ $r = 1 ] && jfr_begin "$COLD_PID_SRV" p3-cold
  wrk_run cold "$ROUND" "$P3_CONNS" "$COLD_URL" -H "Authorization: Bearer $TOKENC"
  [ $r = 1 ] && jfr_end "$COLD_PID_SRV" p3-cold
  timeout $((ROUND + 60)) java -cp "$BENCH_CP" io.svctoken.bench.Pbkdf2Rate "$(nproc)" 2 "$ROUND" >"$OUT/pbkdf2-raw-$r.txt"
  RAW_OPS=$((RAW_OPS + $(sed -n 's/.* ops=\([0-9]*\).*/\1/p' "$OUT/pbkdf2-raw-$r.txt")))
  RAW_SECS=$(calc "$RAW_SECS + $(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' "$OUT/pbkdf2-raw-$r.txt")" 3)
  RAW_CPU_MS=$(calc "$RAW_CPU_MS + $(sed -n 's/.* ops=\([0-9]*\).*/\1/p' "$OUT/pbkdf2-raw-$r.txt") * $(sed -n 's/.* cpu_ms_per_op=\([0-9.]*\).*/\1/p' "$OUT/pbkdf2-raw-$r.txt")" 1)
done
SCHED_PID=""
stop_pid "$COLD_PID_SRV"
COLD_RPS=$(rate cold)
RAW_RPS=$(calc "$RAW_OPS / $RAW_SECS" 1)
P3=$(calc "$COLD_RPS / $RAW_RPS")
log "P3: $COLD_RPS req/s vs raw $RAW_RPS ops/s = ${P3}x"
row P3 "cold \`_authenticate\` (cache ttl=0, PBKDF2_STRETCH 10000), req/s" "$COLD_RPS" \
  "raw JDK PBKDF2WithHmacSHA512, $(nproc) threads: $RAW_RPS/s" "${P3}×" "≥ 0.9×" "$(verdict "$P3 >= 0.9")"
DETAILS+=("P3 CPU (schedstat / ThreadMXBean): the server's worker pool used $(calc "${CPU_WK[cold]:-0} / 1e9 / ${SEC[cold]}" 2) cores and $(calc "${CPU_WK[cold]:-0} / ${REQ[cold]} / 1e6" 2) ms of CPU per request; the raw program used $(calc "$RAW_CPU_MS / 1000 / $RAW_SECS" 2) cores and $(calc "$RAW_CPU_MS / $RAW_OPS" 2) ms of CPU per op ($(nproc) cores in the machine)")
fi

# ------------------------------------------------------------------ P6: cache miss, 1k vs 1M tokens
if want P6; then
log "P6: cache-miss authentication ({SSHA256} tokens, cache off), 1k vs 1M tokens in the store"
DB1K=$(java -cp "$BENCH_CP" io.svctoken.bench.BenchDb 1000 "$BENCH/target/db")
DB1M=$(java -cp "$BENCH_CP" io.svctoken.bench.BenchDb 1000000 "$BENCH/target/db")
mkdir -p "$WORK/data-1k" "$WORK/data-1m"
cp "$DB1K/svctoken.db" "$WORK/data-1k/"
cp "$DB1M/svctoken.db" "$WORK/data-1m/"
start_server p6-1k "$WORK/data-1k" -E xpack.security.authc.service_token.cache.ttl=0
PID1K=$SERVER_PID
URL1K="http://127.0.0.1:$SERVER_PORT/_security/_authenticate"
start_server p6-1m "$WORK/data-1m" -E xpack.security.authc.service_token.cache.ttl=0
PID1M=$SERVER_PID
URL1M="http://127.0.0.1:$SERVER_PORT/_security/_authenticate"
BEARERS="$DB1K/bearers.txt" wrk_run warm-1k "$WARM" "$CONNS" "$URL1K" -s "$BENCH/rotate.lua"
BEARERS="$DB1M/bearers.txt" wrk_run warm-1m "$WARM" "$CONNS" "$URL1M" -s "$BENCH/rotate.lua"
for r in $(seq 1 "$ROUNDS"); do
  [ $r = 1 ] && jfr_begin "$PID1K" p6-1k
  BEARERS="$DB1K/bearers.txt" wrk_run miss-1k "$ROUND" "$CONNS" "$URL1K" -s "$BENCH/rotate.lua"
  [ $r = 1 ] && jfr_end "$PID1K" p6-1k
  P6_1K_P50=$(wrk_pct_ms "$LAST_WRK" 50)
  [ $r = 1 ] && jfr_begin "$PID1M" p6-1m
  BEARERS="$DB1M/bearers.txt" wrk_run miss-1m "$ROUND" "$CONNS" "$URL1M" -s "$BENCH/rotate.lua"
  [ $r = 1 ] && jfr_end "$PID1M" p6-1m
  P6_1M_P50=$(wrk_pct_ms "$LAST_WRK" 50)
done
stop_pid "$PID1K"
stop_pid "$PID1M"
MISS1K=$(rate miss-1k)
MISS1M=$(rate miss-1m)
P6=$(calc "$MISS1K / $MISS1M")
log "P6: 1k $MISS1K req/s, 1M $MISS1M req/s: cost growth ${P6}x"
row P6 "cache-miss \`_authenticate\` ({SSHA256} tokens, ttl=0), 1M tokens in the store, req/s (p50)" \
  "$MISS1M ($P6_1M_P50 ms)" "1k tokens: $MISS1K ($P6_1K_P50 ms)" "${P6}× cost" "< 2× growth" "$(verdict "$P6 < 2")"
fi

# ------------------------------------------------------------------ P7: heap per cached token
if want P7; then
log "P7: heap per cached token (100k entries)"
timeout 300 java -Xmx1g -cp "$BENCH_CP" io.svctoken.bench.CacheHeap 100000 >"$OUT/p7-cache-heap.txt"
P7=$(sed -n 's/^bytes_per_token=\([0-9.]*\).*/\1/p' "$OUT/p7-cache-heap.txt")
P7_BASE=$(sed -n 's/.*baseline_bytes_per_token=\([0-9.]*\).*/\1/p' "$OUT/p7-cache-heap.txt")
log "P7: $P7 B per cached token (HashMap name->hash: $P7_BASE B)"
row P7 "heap per cached token (\`CachingServiceAccountTokenStore\`, 100k entries, class histogram)" "$P7 B" \
  "HashMap name→SSHA256 string: $P7_BASE B" "$(calc "$P7 / $P7_BASE")×" "≤ 300 B" "$(verdict "$P7 <= 300")"
fi

# ================================================================================================ report

ELAPSED=$(($(date +%s) - T_BEGIN))
{
  echo
  echo "| # | measure | value | baseline (same run) | ratio | goal | result |"
  echo "|---|---|---:|---|---:|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  [ -n "$BUILT_DURING_RUN" ] && echo "**Warning**: bin/svctoken rebuilt the project before starting:$BUILT_DURING_RUN (sources changed during the run); servers may run newer code than the commit named below." && echo
  [ $PROFILE = 1 ] && echo "**Profiled run** (JFR recording during the first round of each measurement): figures are perturbed." && echo
  echo "Details of this run:"
  echo
  [ -n "${SERVER_OPTS:-}" ] && echo "- experiment: every server started with \`${SERVER_OPTS}\`"
  echo "- wrk: $WRK_THREADS thread(s), $CONNS connections (P4 cached: 4, P3: 8), warm-up ${WARM} s per endpoint, then $ROUNDS alternating rounds of ${ROUND} s per side (P4: one $((ROUNDS * ROUND)) s run per case). Servers, wrk, nginx and the raw PBKDF2 program share the same $(nproc) cores."
  for d in "${DETAILS[@]+"${DETAILS[@]}"}"; do echo "- $d"; done
  machine_description
  printf -- '- command: `bench/load.sh%s` (took %d s); outputs in `%s/`\n' "${ARGS:+ $ARGS}" "$ELAPSED" "${OUT#"$HOME_DIR"/}"
  echo
} >"$OUT/section.md"
cat "$OUT/section.md"
if [ $WRITE_DOC = 1 ]; then
  replace_section "$DOC" load "$OUT/section.md"
  log "wrote the load section of $DOC"
fi
[ ${#PROFILED[@]} = 0 ] || log "profiles: ${PROFILED[*]} in $OUT/profiles/"
log "done in ${ELAPSED} s"
