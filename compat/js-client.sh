#!/usr/bin/env bash
# Runs Elasticsearch's official JavaScript client (the version pinned in compat/js-client/package.json)
# against a fresh svctoken: starts bin/svctoken on a free loopback port with its first-start HTTPS
# auto-configuration, installs the client from the npm registry (npm ci, into compat/target/), runs
# compat/js-client/check.js, and stops the node. Exit 0 when every call ended as Elasticsearch ends it.
# Needs node and npm (Node.js 18+). Not part of `mvn -B verify` (it needs the npm registry).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="$root/compat/target"
rm -rf "$work/run" && mkdir -p "$work/run/config" "$work/client"

command -v node >/dev/null && command -v npm >/dev/null || { echo "compat/js-client.sh: node and npm are needed" >&2; exit 2; }
cp compat/js-client/package.json compat/js-client/package-lock.json compat/js-client/check.js "$work/client/"
(cd "$work/client" && npm ci --no-audit --no-fund --silent)

port=""
for _ in $(seq 1 50); do
  p=$((20000 + RANDOM % 30000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "no free port" >&2; exit 2; }

password="compat-$RANDOM-$RANDOM"
ELASTIC_PASSWORD="$password" ES_PATH_CONF="$work/run/config" bin/svctoken -E http.host=127.0.0.1 -E http.port="$port" \
  -E path.data="$work/run/data" >"$work/run/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT

ca="$work/run/config/certs/http_ca.crt"
for _ in $(seq 1 600); do
  kill -0 "$server" 2>/dev/null || { cat "$work/run/server.log" >&2; echo "svctoken exited" >&2; exit 1; }
  if [ -f "$ca" ] && curl -s -o /dev/null --cacert "$ca" "https://localhost:$port/"; then break; fi
  sleep 0.2
done

echo "Elasticsearch JavaScript client $(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$work/client/node_modules/@elastic/elasticsearch/package.json") against svctoken on port $port"
SVCTOKEN_URL="https://localhost:$port" SVCTOKEN_CA="$ca" ELASTIC_PASSWORD="$password" node "$work/client/check.js"
