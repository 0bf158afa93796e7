# Shared by bench/jmh.sh and bench/load.sh (sourced, not run).

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOME_DIR="$(dirname "$BENCH")"
DOC="$HOME_DIR/docs/benchmarks.md"
BENCH_CP="$BENCH/target/classes:$BENCH/target/lib/*"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Builds the project (package, tests compiled for the test jars other modules use but not run; never install: the local repository is shared) when the bench classes, their libs or the launcher
# jar are missing, or older than any source or pom. Bounded by a timeout.
ensure_build() {
  local stamp="$BENCH/target/classes/META-INF/BenchmarkList" jar="$HOME_DIR/cli/target/svctoken-cli.jar"
  local need=0 f
  [ -f "$stamp" ] && [ -d "$BENCH/target/lib" ] && [ -f "$jar" ] || need=1
  for f in "$stamp"; do
    if [ $need = 0 ] && [ -n "$(find "$HOME_DIR" -path "$HOME_DIR/*/target" -prune -o \
          \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$f" -print -quit 2>/dev/null)" ]; then
      need=1
    fi
  done
  if [ $need = 1 ]; then
    log "building (mvn -B -q package -DskipTests)..."
    (cd "$HOME_DIR" && timeout 900 mvn -B -q package -DskipTests) >&2 || die "build failed"
    touch "$stamp"
  fi
}

# One paragraph describing the machine, for the report.
machine_description() {
  local cpu mem jv
  cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')"
  mem="$(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GiB"}')"
  jv="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.vm.name/ {n=$2} /java.runtime.version/ {v=$2} END {print n " " v}')"
  printf -- '- machine: %s cores (`nproc`), %s, %s RAM, %s\n' "$(nproc)" "${cpu:-unknown CPU}" "${mem:-?}" "$(uname -sr)"
  printf -- '- JVM: %s; Maven %s\n' "$jv" "$(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g; s/Apache Maven //; s/ (.*//')"
  printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  if git -C "$HOME_DIR" rev-parse --short HEAD >/dev/null 2>&1; then
    printf -- '- code: commit %s%s\n' "$(git -C "$HOME_DIR" rev-parse --short HEAD)" \
      "$(git -C "$HOME_DIR" diff --quiet HEAD -- . ':!bench' ':!docs' 2>/dev/null || echo ' plus uncommitted changes outside bench/ and docs/')"
  fi
}

# Writes an empty report skeleton when docs/benchmarks.md does not exist yet.
doc_skeleton() {
  cat <<'MD'
# Benchmarks

Figures are ratios against a baseline measured **in the same run** on the same machine (shared and
noisy: compare ratios, not absolute numbers across runs). Benchmarks live in `bench/` and never run in
`mvn verify` (which only compiles them).

## JMH micro-benchmarks

<!-- BEGIN jmh -->
<!-- END jmh -->

## Load (HTTP, loopback)

<!-- BEGIN load -->
<!-- END load -->
MD
}

# replace_section FILE NAME CONTENT_FILE: replaces what lies between <!-- BEGIN NAME --> and
# <!-- END NAME --> (appending the markers when absent); the rest of the file is kept as written.
replace_section() {
  local f="$1" name="$2" content="$3"
  mkdir -p "$(dirname "$f")"
  [ -f "$f" ] || doc_skeleton > "$f"
  if ! grep -qF "<!-- BEGIN $name -->" "$f"; then
    printf '\n<!-- BEGIN %s -->\n<!-- END %s -->\n' "$name" "$name" >> "$f"
  fi
  awk -v b="<!-- BEGIN $name -->" -v e="<!-- END $name -->" -v cf="$content" '
    $0 == b { print; while ((getline l < cf) > 0) print l; skip = 1; next }
    $0 == e { skip = 0 }
    !skip { print }' "$f" > "$f.tmp" && mv "$f.tmp" "$f"
}

# nginx's binary (Debian puts it in /usr/sbin, which a user's PATH may lack); asked when needed, after any install
nginx_bin() { command -v nginx || echo /usr/sbin/nginx; }

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
