# shellcheck shell=bash
# Shared by bench/run.sh and bench/faults.sh: a private copy of the platform (own ports, RabbitMQ vhost, databases,
# keys, evidence store), started from the packaged jars the way ./platform does, so a running ./platform or other
# engineers' tests are not touched. Source it, set BENCH_NAME (e.g. bench, faults) and PORT_BASE (e.g. 27180).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_ID=${RUN_ID:-$(date -u +%H%M%S)$$}
WORK=${WORK:-/tmp/cyx-$BENCH_NAME-$RUN_ID}
VHOST=cyx-$BENCH_NAME-$RUN_ID
DBP=cyx_${BENCH_NAME}_${RUN_ID}
# The platform's launch recipe (bin/instance.sh) with this run as its instance: ports, databases, vhost, keys.
export CHUANYU_INSTANCE=$DBP CHUANYU_VAR=$WORK CHUANYU_VHOST=$VHOST CHUANYU_PORT_BASE=$PORT_BASE
export CHUANYU_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms128m -Xmx1g}
# shellcheck source-path=SCRIPTDIR source=../bin/instance.sh
source "$ROOT/bin/instance.sh"
# shellcheck disable=SC2034 # used by the scripts that source this file
GW_PORT=$PORT_BASE CT_PORT=$((PORT_BASE + 1)) EV_PORT=$((PORT_BASE + 2)) AU_PORT=$((PORT_BASE + 3))
declare -A PIDS=()
say() { printf '%s\n' "$*"; }
mkdir -p "$WORK"

bench_prepare() {
  local port
  for port in $(seq "$PORT_BASE" $((PORT_BASE + 9))); do
    if port_open 127.0.0.1 "$port"; then say "port $port is taken (another engineer's process?): set PORT_BASE"; exit 1; fi
  done
  "$ROOT/bin/launch" stage || { say "run mvn -o -q -B package -DskipTests first"; exit 1; }
  ensure_vhost
}

# start_svc <service> <port> <instance-name> [extra args...]; SVC_CPUS=0 pins it (and every thread it starts) to CPU 0.
start_svc() {
  local s=$1 port=$2 inst=$3; shift 3
  local pin=(); [[ -n ${SVC_CPUS:-} ]] && pin=(taskset -c "$SVC_CPUS")
  RATE_LIMIT_ENABLED=${RATE_LIMIT_ENABLED:-false} DB_POOL_SIZE=${DB_POOL_SIZE:-10} CHUANYU_SERVICE_PORT=$port \
    "${pin[@]}" "$ROOT/bin/launch" run "$s" "$@" >>"$WORK/$inst.log" 2>&1 </dev/null &
  PIDS[$inst]=$!
}

load_avg() { uptime | sed 's/.*load average: //'; }
# A line of the results file ($OUT, set by the script).
md() { printf '%s\n' "$*" >>"$OUT"; }
cpu_ticks() { local p t=0; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
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
  drop_instance_data >/dev/null 2>&1 || true
}

sql() { psql -qAtX -h localhost -U postgres -d "${DBP}_$1" -c "$2"; }
rss_mib() { local t=0 p; for p in "$@"; do t=$((t + $(ps -o rss= -p "$p" 2>/dev/null || echo 0))); done; echo $((t / 1024)); }
key_of() { jq -r ".agencies[\"$1\"].apiKey" "$WORK/demo-credentials.json"; }
