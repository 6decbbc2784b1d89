#!/usr/bin/env bash
# Audit log benchmark: builds an N-entry log (default 1,000,000) through the production writer in a throw-away
# database and vhost, then times inclusion and consistency proofs. Prints markdown lines (bench/run.sh collects them).
#   bench/audit-proofs.sh [ENTRIES]        needs the packaged audit-service jar
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# For jar_of only: this benchmark runs the audit writer on its own, not as an instance of the launch recipe.
# shellcheck source-path=SCRIPTDIR source=../bin/instance.sh
source "$ROOT/bin/instance.sh"
N=${1:-1000000}; PORT=${AUDIT_BENCH_PORT:-27193}
W=$(mktemp -d /tmp/cyx-auditbench.XXXXXX); ID=$(date -u +%H%M%S)$$
DB=cyx_auditbench_$ID; VHOST=cyx-auditbench-$ID
trap 'rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true; psql -q -h localhost -U postgres -c "drop database if exists $DB" >/dev/null 2>&1 || true; rm -rf "$W"' EXIT
JAR=$(jar_of audit-service) || { echo "no packaged audit-service jar: build it first" >&2; exit 1; }
(cd "$W" && unzip -q "$JAR" -d app)
CP="$W/app/BOOT-INF/classes:$W/app/BOOT-INF/lib/*"
mkdir -p "$W/classes"
javac -nowarn -d "$W/classes" -cp "$CP" "$ROOT/bench/audit/BuildLog.java"
openssl genpkey -algorithm ed25519 -out "$W/gw.pem" 2>/dev/null; openssl pkey -in "$W/gw.pem" -pubout -out "$W/gw.pub"
rabbitmqctl -q add_vhost "$VHOST" >/dev/null; rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
cd "$W" && AUDIT_DB_NAME=$DB RABBIT_VHOST=$VHOST GATEWAY_PUBLIC_KEY="file:$W/gw.pub" AUDIT_SIGNING_KEY_FILE="$W/audit.key" \
  DB_POOL_SIZE=${DB_POOL_SIZE:-4} java -Xmx1g -cp "$CP:$W/classes" BuildLog "$N" "$PORT" "$W/gw.pem"
