# Shared by bench/run.sh and bench/faults.sh: a private copy of the platform (own ports, RabbitMQ vhost, databases,
# keys, evidence store), started from the packaged jars the way ./platform does, so a running ./platform or other
# engineers' tests are not touched. Source it, set BENCH_NAME (e.g. bench, faults) and PORT_BASE (e.g. 27180).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_ID=${RUN_ID:-$(date -u +%H%M%S)$$}
WORK=${WORK:-/tmp/cyx-$BENCH_NAME-$RUN_ID}
VHOST=cyx-$BENCH_NAME-$RUN_ID
DBP=cyx_${BENCH_NAME}_${RUN_ID}
GW_PORT=$PORT_BASE; CT_PORT=$((PORT_BASE + 1)); EV_PORT=$((PORT_BASE + 2)); AU_PORT=$((PORT_BASE + 3))
declare -A PIDS=()
say() { printf '%s\n' "$*"; }
mkdir -p "$WORK/lib"

jar_of() { ls "$ROOT/$1/target/$1-"*.jar 2>/dev/null | grep -v -e '-tests.jar' -e '.original' | head -1; }

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

bench_prepare() {
  local port
  for port in $(seq "$PORT_BASE" $((PORT_BASE + 9))); do
    if port_taken "$port"; then say "port $port is taken (another engineer's process?): set PORT_BASE"; exit 1; fi
  done
  for s in audit-service case-transfer-service evidence-exchange-service gateway; do
    local jar; jar=$(jar_of $s)
    [[ -n $jar ]] || { say "no packaged jar for $s: run mvn -o -q -B package -DskipTests first"; exit 1; }
    cp "$jar" "$WORK/lib/$s.jar"   # a stable copy: others' rebuilds never swap a jar under a live process
  done
  openssl genpkey -algorithm ed25519 -out "$WORK/gateway-private.pem" 2>/dev/null
  openssl pkey -in "$WORK/gateway-private.pem" -pubout -out "$WORK/gateway-public.pem"
  rabbitmqctl -q add_vhost "$VHOST" >/dev/null
  rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
}

# start_svc <service> <port> <instance-name> [extra args...]
start_svc() {
  local s=$1 port=$2 inst=$3; shift 3
  local extra=("$@")
  [[ $s == gateway ]] && extra+=("--chuanyu.demo.credentials-file=$WORK/demo-credentials.json")
  [[ $s == case-transfer-service ]] && extra+=("--chuanyu.webhooks.allow-private-targets=true")
  (cd "$WORK" && RABBIT_VHOST=$VHOST GATEWAY_PUBLIC_KEY="file:$WORK/gateway-public.pem" \
    GATEWAY_PRIVATE_KEY="file:$WORK/gateway-private.pem" \
    GATEWAY_DB_NAME=${DBP}_gateway CASE_TRANSFER_DB_NAME=${DBP}_case_transfer EVIDENCE_DB_NAME=${DBP}_evidence \
    AUDIT_DB_NAME=${DBP}_audit GATEWAY_URL=http://localhost:$GW_PORT CASE_TRANSFER_URL=http://localhost:$CT_PORT \
    EVIDENCE_URL=http://localhost:$EV_PORT AUDIT_URL=http://localhost:$AU_PORT \
    EVIDENCE_STORE_DIR="$WORK/evidence-store" EVIDENCE_SIGNING_KEY_FILE="$WORK/evidence-signing.pem" \
    AUDIT_SIGNING_KEY_FILE="$WORK/audit-log.key" RATE_LIMIT_ENABLED=${RATE_LIMIT_ENABLED:-false} \
    RATE_LIMIT_KEY_PREFIX="$VHOST:" DB_POOL_SIZE=${DB_POOL_SIZE:-10} \
    exec java ${BENCH_JAVA_OPTS:--Xms128m -Xmx1g} -jar "$WORK/lib/$s.jar" --server.port="$port" "${extra[@]}" \
    >>"$WORK/$inst.log" 2>&1 </dev/null) &
  PIDS[$inst]=$!
}

load_avg() { uptime | sed 's/.*load average: //'; }
# The value of key in a Load.java result line "a=1 b=2 ...".
kv() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1==k {print $2}'; }

# wait_healthy <instance> <port> [timeout s]
wait_healthy() {
  local deadline=$((SECONDS + ${3:-600}))
  until curl -fsS --max-time 2 "http://localhost:$2/actuator/health/readiness" 2>/dev/null | grep -q UP; do
    kill -0 "${PIDS[$1]}" 2>/dev/null || { tail -30 "$WORK/$1.log"; say "$1 exited"; return 1; }
    (( SECONDS < deadline )) || { tail -30 "$WORK/$1.log"; say "$1 not ready in time"; return 1; }
    sleep 0.5
  done
}

kill9() { kill -9 "${PIDS[$1]}" 2>/dev/null || true; wait "${PIDS[$1]}" 2>/dev/null || true; unset "PIDS[$1]"; }

stop_all() {
  local inst
  for inst in "${!PIDS[@]}"; do kill "${PIDS[$inst]}" 2>/dev/null || true; done
  for inst in "${!PIDS[@]}"; do wait "${PIDS[$inst]}" 2>/dev/null || true; done
  PIDS=()
}

drop_everything() {
  stop_all
  rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
  local db
  for db in gateway case_transfer evidence audit; do
    psql -q -h localhost -U postgres -c "drop database if exists ${DBP}_$db" >/dev/null 2>&1 || true
  done
}

sql() { psql -qAtX -h localhost -U postgres -d "${DBP}_$1" -c "$2"; }
rss_mib() { local t=0 p; for p in "$@"; do t=$((t + $(ps -o rss= -p "$p" 2>/dev/null || echo 0))); done; echo $((t / 1024)); }
key_of() { jq -r ".agencies[\"$1\"].apiKey" "$WORK/demo-credentials.json"; }
