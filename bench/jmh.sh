#!/usr/bin/env bash
# JMH micro-benchmarks of svctoken (module bench), each next to a baseline from the same run.
# Never part of `mvn verify`. Builds when needed, populates the 1k/1M-token SQLite files once
# (cached in bench/target/db/), runs JMH, prints the table and writes it to docs/benchmarks.md.
#
#   bench/jmh.sh                      # everything, ~3 minutes
#   bench/jmh.sh 'CoreBenchmarks.dec' # a JMH regex; any JMH option may follow (-f, -i, -prof gc, ...)
#   JMH_NO_DOC=1 bench/jmh.sh ...     # do not touch docs/benchmarks.md
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ensure_build
out="$BENCH/target/jmh"
mkdir -p "$out"
cd "$HOME_DIR"   # StoreBenchmarks finds bench/target/db relative to here (forks inherit it)

log "populating the store files (cached)..."
java -cp "$BENCH_CP" io.svctoken.bench.BenchDb 1000 >/dev/null
java -cp "$BENCH_CP" io.svctoken.bench.BenchDb 1000000 >/dev/null

args=("$@")
[ ${#args[@]} -gt 0 ] || args=("io.svctoken.bench.*")
log "running JMH ${args[*]}"
timeout 1800 java -cp "$BENCH_CP" org.openjdk.jmh.Main "${args[@]}" -rf json -rff "$out/result.json" | tee "$out/jmh.log"

{
  echo
  java -cp "$BENCH_CP" io.svctoken.bench.JmhReport "$out/result.json" "$out/table.md" >/dev/null
  cat "$out/table.md"
  echo
  echo "Ratio = svctoken time / baseline time per operation (1 fork, 3×1 s warm-up, 5×1 s measurement, ± = 99.9% CI)."
  echo "Single-threaded. Run:"
  echo
  machine_description
  printf -- '- command: `bench/jmh.sh%s`\n' "${*:+ $*}"
  echo
} > "$out/section.md"
cat "$out/table.md"
if [ "${JMH_NO_DOC:-}" != 1 ]; then
  replace_section "$DOC" jmh "$out/section.md"
  log "wrote the JMH section of $DOC"
fi
