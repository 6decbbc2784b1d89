#!/usr/bin/env bash
# Audit log benchmark and curve (issue 17): in throw-away databases and a vhost, a real audit-service
#  1. appends a log through the production writer to 10,000 and to ENTRIES entries (default 1,000,000), and at each
#     size times inclusion and consistency proofs (over HTTP and in the JVM) and measures the tables on disk;
#  2. makes a synthetic log of AUDIT_SYNTHETIC entries (default 100,000,000; empty to skip) holding only the stored
#     subtree hashes the sampled proofs read (all leaves equal, so the proofs verify: see bench/audit/BuildLog.java)
#     and times the same proofs.
# Prints markdown lines (bench/run.sh collects the "- " ones) and writes the table, the raw figures and a PNG plot of
# the curve to $AUDIT_OUT/audit-curve-<time>.{md,tsv,png} (default bench/results).
#   bench/audit-proofs.sh [ENTRIES]       needs the packaged audit-service jar (or AUDIT_JAR=path/to/jar)
#   AUDIT_BENCH_PORT=27680 AUDIT_BATCH=10000 AUDIT_LIVE_ENTRIES=20000 AUDIT_SYNTHETIC=100000000 AUDIT_LABEL=after
#   AUDIT_LOAD=sql: reach the sizes by loading rows in PostgreSQL (as the writer stores them; checked), then time
#   AUDIT_APPEND=100000 entries appended through the writer (for a machine too busy to append a million in a run)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# For jar_of only: this benchmark runs the audit writer on its own, not as an instance of the launch recipe.
# shellcheck source-path=SCRIPTDIR source=../bin/instance.sh
source "$ROOT/bin/instance.sh"
N=${1:-1000000}; PORT=${AUDIT_BENCH_PORT:-27193}; SYNTH=${AUDIT_SYNTHETIC-100000000}
OUTDIR=${AUDIT_OUT:-$ROOT/bench/results}; STAMP=$(date -u +%Y-%m-%dT%H%MZ)
BASE="$OUTDIR/audit-curve-$STAMP${AUDIT_LABEL:+-$AUDIT_LABEL}"
W=$(mktemp -d /tmp/cyx-auditbench.XXXXXX); ID=$(date -u +%H%M%S)$$
DB=cyx_auditbench_$ID; VHOST=cyx-auditbench-$ID
cleanup() {
  rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
  local d; for d in "$DB" "${DB}_s"; do psql -q -h localhost -U postgres -c "drop database if exists $d" >/dev/null 2>&1 || true; done
  rm -rf "$W"
}
trap cleanup EXIT
JAR=${AUDIT_JAR:-$(jar_of audit-service)} || { echo "no packaged audit-service jar: build it first" >&2; exit 1; }
(cd "$W" && unzip -q "$JAR" -d app)
CP="$W/app/BOOT-INF/classes:$W/app/BOOT-INF/lib/*"
mkdir -p "$W/classes" "$OUTDIR"
javac -nowarn -d "$W/classes" -cp "$CP" "$ROOT/bench/audit/BuildLog.java" "$ROOT/bench/audit/Plot.java"
openssl genpkey -algorithm ed25519 -out "$W/gw.pem" 2>/dev/null; openssl pkey -in "$W/gw.pem" -pubout -out "$W/gw.pub"
rabbitmqctl -q add_vhost "$VHOST" >/dev/null; rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
TSV="$BASE.tsv"; : >"$TSV"
run() {   # database mode sizes
  (cd "$W" && AUDIT_DB_NAME=$1 RABBIT_VHOST=$VHOST GATEWAY_PUBLIC_KEY="file:$W/gw.pub" AUDIT_SIGNING_KEY_FILE="$W/audit.key" \
    DB_POOL_SIZE=${DB_POOL_SIZE:-4} java -Xmx1g -cp "$CP:$W/classes" BuildLog "$2" "$3" "$PORT" "$W/gw.pem" "$TSV")
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), jar $(basename "$JAR")"
SIZES=10000,$N; (( N <= 10000 )) && SIZES=$N
run "$DB" real "$SIZES"
[[ -n $SYNTH ]] && run "${DB}_s" synthetic "$SYNTH"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# The table and the plot, from the raw figures.
{
  echo "| entries | log | inclusion p50 / p99 ms (HTTP) | consistency p50 / p99 ms (HTTP) | inclusion p50 / p99 ms (in JVM) | consistency p50 / p99 ms (in JVM) |"
  echo "|---:|---|---|---|---|---|"
  awk -F'\t' 'NF == 6 && $3 ~ /-/ { k = $1 "\t" $2; if (!(k in seen)) { seen[k] = 1; order[++n] = k }
      v[k, $3] = sprintf("%.2f / %.2f", $4, $5) }
    END { for (i = 1; i <= n; i++) { split(order[i], a, "\t"); k = order[i]
      printf "| %\047d | %s | %s | %s | %s | %s |\n", a[1], a[2], v[k, "inclusion-http"], v[k, "consistency-http"], v[k, "inclusion-jvm"], v[k, "consistency-jvm"] } }' "$TSV"
  echo
  echo "| entries | audit_entry MiB | audit_leaf MiB | merkle_node MiB | total MiB | MiB per million entries |"
  echo "|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '$2 == "disk" { t = $3 + $4 + $5 + $6; m = 1048576
      printf "| %\047d | %.1f | %.1f | %.1f | %.1f | **%.0f** |\n", $1, $3 / m, $4 / m, $5 / m, t / m, t / m * 1e6 / $1 }' "$TSV"
  echo
  echo "| proofs in the JVM path | log | CPU per inclusion proof µs (JVM + PostgreSQL) | CPU per consistency proof µs (JVM + PostgreSQL) |"
  echo "|---:|---|---|---|"
  awk -F'\t' '$2 == "cpu" { printf "| %\047d | %s | %.0f + %.0f | %.0f + %.0f |\n", $1, $3, $4, $5, $6, $7 }' "$TSV"
  echo
  echo "| append, batch size | entries/s (wall clock, shared machine) | CPU µs per entry: writer JVM + PostgreSQL | entries/s on uncontended cores (1 / CPU) |"
  echo "|---:|---:|---|---:|"
  awk -F'\t' '$2 == "append" { printf "| %\047d | %\047d | %.1f + %.1f | **%\047d** |\n", $3, $4, $5, $6, 1e6 / ($5 + $6) }' "$TSV"
} >"$BASE.md"
java -Djava.awt.headless=true -cp "$W/classes" Plot "$TSV" "$BASE.png" \
  "audit proofs by log size ($(basename "$BASE"), load $(cut -d' ' -f1 /proc/loadavg))" || echo "(no plot: Java2D failed)" >&2
cat "$BASE.md"
echo "- table: $(basename "$BASE").md, plot: $(basename "$BASE").png, raw: $(basename "$BASE").tsv (in $(realpath --relative-to="$ROOT" "$OUTDIR"))"
