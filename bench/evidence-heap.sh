#!/usr/bin/env bash
# Streams one large evidence file through evidence-exchange-service and records the service's heap meanwhile:
# a single PUT, a tus upload killed part way and resumed, the seal, a download and a receipt.
#
#   bench/evidence-heap.sh [MiB]      default 2048 (2 GiB); needs ~3x that in free disk under /tmp
#
# Runs the built jar (mvn -o -q -B package -DskipTests -pl evidence-exchange-service) on its own, through the
# platform's launch recipe (bin/launch) as an instance of its own: a small heap (BENCH_XMX, default 128m), its own
# database, RabbitMQ vhost, store and keys. It signs a principal token per request the way the gateway does (with the
# instance's throw-away gateway key), so nothing of a running platform is touched. Heap is sampled with
# jstat every 200 ms; the figures are printed and written to bench/results/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE_MIB=${1:-2048}
PORT=${BENCH_PORT:-18082}
XMX=${BENCH_XMX:-128m}
WORK=$(mktemp -d /tmp/evidence-bench.XXXXXX)
RUN=$$
VHOST=cyx-bench-$RUN
# This run as an instance of the launch recipe; only its evidence-exchange-service is started (on PORT).
export CHUANYU_INSTANCE=cyx_bench_heap_$RUN CHUANYU_VAR=$WORK CHUANYU_VHOST=$VHOST CHUANYU_PORT_BASE=$((PORT - 2))
export CHUANYU_JAVA_OPTS="-Xms64m -Xmx$XMX"
# shellcheck source-path=SCRIPTDIR source=../bin/instance.sh
source "$ROOT/bin/instance.sh"
JAR=$(jar_of evidence-exchange-service) || { echo "no packaged evidence-exchange-service jar: build it first" >&2; exit 1; }
DB=$(service_db evidence-exchange-service)
BASE=http://localhost:$PORT/api/v1/evidence-packages
SENDER=sc-chengdu-intermediate-court
RECIPIENT=cq-first-intermediate-court
SERVICE_PID=; JSTAT_PID=; AUDIT_PID=

say() { printf '%s\n' "$*"; }
cleanup() {
  if [[ -n $JSTAT_PID ]]; then kill "$JSTAT_PID" 2>/dev/null || true; fi
  if [[ -n $SERVICE_PID ]]; then kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true; fi
  if [[ -n $AUDIT_PID ]]; then kill "$AUDIT_PID" 2>/dev/null || true; wait "$AUDIT_PID" 2>/dev/null || true; fi
  drop_instance_data >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
# A principal token as the gateway signs it (PrincipalTokens, cy2), one per request, bound to the service, method
# and path: base64url("cy2|gateway|aud|method|jti|iat|exp|id|role|region|kind|path") "." base64url(Ed25519)
#   token AGENCY REGION METHOD URL
token() {
  local now claims path; now=$(date +%s); path=${4#http://*/}; path=/${path%%\?*}
  claims="cy2|gateway|evidence-exchange-service|$3|$(cat /proc/sys/kernel/random/uuid)|$now|$((now + 30))|$1|AGENCY|$2|COURT|$path"
  printf '%s' "$claims" >"$WORK/claims"
  printf '%s.%s' "$(b64url <"$WORK/claims")" \
    "$(openssl pkeyutl -sign -inkey "$WORK/keys/gateway-private.pem" -rawin -in "$WORK/claims" | b64url)"
}
sc() { token "$SENDER" SC "$1" "$2"; }
cq() { token "$RECIPIENT" CQ "$1" "$2"; }

mkdir -p "$WORK/lib"
cp "$JAR" "$WORK/lib/evidence-exchange-service.jar"
AUDIT_JAR=$(jar_of audit-service) || { echo "no packaged audit-service jar: build it first" >&2; exit 1; }
cp "$AUDIT_JAR" "$WORK/lib/audit-service.jar"
ensure_gateway_key 2>/dev/null
"$ROOT/bin/launch" accounts >/dev/null   # the service runs as its own database role and broker user

# The audit service first: it makes its queue, which every publisher binds but only its own account may create
# (a queue with a dead-letter exchange needs read rights on it, and only the audit service may read the trail).
AUDIT_PORT=$(service_port audit-service)
say "Starting audit-service on :$AUDIT_PORT (it owns the audit queue) ..."
"$ROOT/bin/launch" run audit-service >"$WORK/audit.log" 2>&1 &
AUDIT_PID=$!
for _ in $(seq 1 180); do
  curl -fs "http://localhost:$AUDIT_PORT/actuator/health" 2>/dev/null | grep -q UP && break
  kill -0 "$AUDIT_PID" 2>/dev/null || { tail -30 "$WORK/audit.log"; exit 1; }
  sleep 1
done

say "Starting $(basename "$JAR") on :$PORT with -Xmx$XMX ..."
EVIDENCE_STORE_DIR="$WORK/store" CHUANYU_SERVICE_PORT=$PORT \
  "$ROOT/bin/launch" run evidence-exchange-service >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 180); do
  curl -fs "http://localhost:$PORT/actuator/health" 2>/dev/null | grep -q UP && break
  kill -0 "$SERVICE_PID" 2>/dev/null || { tail -30 "$WORK/service.log"; exit 1; }
  sleep 1
done
pg -d "$DB" -c "insert into agency (id, name, region, kind) values
  ('$SENDER', '成都市中级人民法院', 'SC', 'COURT'), ('$RECIPIENT', '重庆市第一中级人民法院', 'CQ', 'COURT')
  on conflict do nothing" >/dev/null

jstat -gc "$SERVICE_PID" 200 >"$WORK/jstat.log" 2>&1 &
JSTAT_PID=$!
heap_mib() { # max of used heap (S0U+S1U+EU+OU) and of old gen (OU) in MiB, over the samples so far
  awk 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
       $1 ~ /^[0-9.]+$/ { u = $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]; if (u > mu) mu = u;
                          if ($col["OU"] > mo) mo = $col["OU"] }
       END { printf "%.0f %.0f", mu / 1024, mo / 1024 }' "$WORK/jstat.log"
}
sleep 1
read -r BASE_USED BASE_OLD <<<"$(heap_mib)"

say "Making a $SIZE_MIB MiB file of random bytes ..."
head -c "${SIZE_MIB}M" /dev/urandom >"$WORK/evidence.bin"
SHA=$(sha256sum "$WORK/evidence.bin" | cut -d' ' -f1)
DIGEST="sha-256=:$(printf '%s' "$SHA" | xxd -r -p | base64 -w0):"
BYTES=$(stat -c %s "$WORK/evidence.bin")

ID=$(curl -fsS -X POST "$BASE" -H "X-Chuanyu-Principal: $(sc POST "$BASE")" -H 'Content-Type: application/json' \
  -d "{\"title\":\"bench\",\"toAgency\":\"$RECIPIENT\"}" | jq -r .id)

say "1. Single PUT of $SIZE_MIB MiB ..."
read -r CODE SPEED TIME < <(curl -sS -o "$WORK/put.json" -w '%{http_code} %{speed_upload} %{time_total}\n' \
  -T "$WORK/evidence.bin" "$BASE/$ID/items/single.bin" -H "X-Chuanyu-Principal: $(sc PUT "$BASE/$ID/items/single.bin")" -H "Repr-Digest: $DIGEST")
[[ $CODE == 201 ]] || { cat "$WORK/put.json"; exit 1; }
PUT_MIBS=$(awk -v s="$SPEED" 'BEGIN { printf "%.0f", s / 1048576 }')
read -r PUT_USED _ <<<"$(heap_mib)"
say "   201 in ${TIME}s ($PUT_MIBS MiB/s); sha256 $(jq -r .sha256 "$WORK/put.json")"

say "2. tus upload, curl killed part way, then resumed ..."
LOCATION=$(curl -sS -D - -o /dev/null -X POST "$BASE/$ID/uploads" -H "X-Chuanyu-Principal: $(sc POST "$BASE/$ID/uploads")" \
  -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $BYTES" -H "Repr-Digest: $DIGEST" \
  -H "Upload-Metadata: filename $(printf 'resumed.bin' | base64 -w0)" | tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
UPLOAD="http://localhost:$PORT$LOCATION"
offset() { curl -sS -I "$UPLOAD" -H "X-Chuanyu-Principal: $(sc HEAD "$UPLOAD")" -H 'Tus-Resumable: 1.0.0' | tr -d '\r' |
  awk 'tolower($1)=="upload-offset:" {print $2}'; }
curl -sS -o /dev/null -X PATCH -T "$WORK/evidence.bin" "$UPLOAD" -H "X-Chuanyu-Principal: $(sc PATCH "$UPLOAD")" \
  -H 'Tus-Resumable: 1.0.0' -H 'Upload-Offset: 0' -H 'Content-Type: application/offset+octet-stream' \
  --limit-rate 200M &
CURL=$!
for ((i = 0; i < 600; i++)); do (( $(offset || echo 0) > BYTES * 2 / 5 )) && break; sleep 0.2; done
(( i < 600 )) || { say "the upload did not get past 40% in 2 minutes (offset $(offset || echo ?))"; exit 1; }
kill -9 "$CURL"; wait "$CURL" 2>/dev/null || true
sleep 1
KILLED_AT=$(offset)
say "   killed curl at offset $KILLED_AT of $BYTES; resuming from there"
read -r CODE SPEED TIME < <(tail -c +$((KILLED_AT + 1)) "$WORK/evidence.bin" | curl -sS -o "$WORK/patch.out" \
  -w '%{http_code} %{speed_upload} %{time_total}\n' -X PATCH -T - "$UPLOAD" -H "X-Chuanyu-Principal: $(sc PATCH "$UPLOAD")" \
  -H 'Tus-Resumable: 1.0.0' -H "Upload-Offset: $KILLED_AT" -H 'Content-Type: application/offset+octet-stream')
[[ $CODE == 204 ]] || { cat "$WORK/patch.out"; exit 1; }
say "   204; offset now $(offset)"

say "3. Seal, then the recipient downloads and asks for a receipt ..."
MANIFEST=$(curl -fsS -X POST "$BASE/$ID/seal" -H "X-Chuanyu-Principal: $(sc POST "$BASE/$ID/seal")" | jq -r .sha256)
read -r CODE SPEED TIME < <(curl -sS -o "$WORK/download.bin" -w '%{http_code} %{speed_download} %{time_total}\n' \
  "$BASE/$ID/items/resumed.bin" -H "X-Chuanyu-Principal: $(cq GET "$BASE/$ID/items/resumed.bin")")
GET_MIBS=$(awk -v s="$SPEED" 'BEGIN { printf "%.0f", s / 1048576 }')
DOWN_SHA=$(sha256sum "$WORK/download.bin" | cut -d' ' -f1)
[[ $DOWN_SHA == "$SHA" ]] || { say "downloaded sha256 $DOWN_SHA != $SHA"; exit 1; }
say "   $CODE in ${TIME}s ($GET_MIBS MiB/s); sha256 matches"
RECEIPT=$(curl -fsS -X POST "$BASE/$ID/receipt" -H "X-Chuanyu-Principal: $(cq POST "$BASE/$ID/receipt")" | jq -r .result)
sleep 1
read -r MAX_USED MAX_OLD <<<"$(heap_mib)"
RSS=$(ps -o rss= -p "$SERVICE_PID" | awk '{printf "%.0f", $1 / 1024}')

mkdir -p "$ROOT/bench/results"
REPORT="$ROOT/bench/results/evidence-heap-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  say "evidence-exchange-service, $SIZE_MIB MiB file, -Xmx$XMX, $(java -version 2>&1 | head -1), $(nproc) CPUs"
  say "PUT (single request, Repr-Digest checked): $PUT_MIBS MiB/s"
  say "tus: killed at $KILLED_AT / $BYTES bytes, resumed, completed (digest over the whole file checked)"
  say "download: $GET_MIBS MiB/s, sha256 matches; manifest $MANIFEST; receipt: $RECEIPT"
  say "heap used (jstat S0U+S1U+EU+OU, max of 200 ms samples): idle $BASE_USED MiB, after the PUT $PUT_USED MiB, whole run $MAX_USED MiB"
  say "old generation (OU): idle $BASE_OLD MiB, whole run $MAX_OLD MiB; process RSS at the end: $RSS MiB"
} | tee "$REPORT"
