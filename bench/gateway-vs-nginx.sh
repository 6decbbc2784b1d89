#!/usr/bin/env bash
# The gateway measured against a peer (issue 17): the gateway pinned to CPU 0 and a trivial upstream stub (an nginx
# answering `200 []`) pinned to CPU 1, with authentication, principal-token signing, rate limiting (Redis) and access
# records on; in the same run nginx (one worker, CPU 0) proxies the same stub as the reference floor.
# Writes bench/results/<date>-gateway.md.
#
#   bench/gateway-vs-nginx.sh
#   ROUNDS=2 SECONDS_EACH=20 WARMUP=60 CONNS=32 HALF_SECONDS=20 PROFILE=1 AUDIT=drain|live PORT_BASE=27280
#   LEVERS=1 (then the gateway again with its per-request log line off, switched at run time, and on again)
#   HALF=0 (no half-load runs)  GATEWAY_JAR=path (another build of the gateway, for before/after)  OUT_SUFFIX=name
#
# Load: wrk (closed loop, 1 thread, CONNS keep-alive connections) for the maximum rate; bench/Load.java with rps=
# (open loop, latency measured from each request's scheduled time) at half of each proxy's own maximum, against the
# proxy and against the stub directly at the same rate. Both load generators run on CPU 1 with the stub.
# Rate limits stay on but are set far above the offered load (RATE_LIMIT_* = 10^6/s), so every request pays the
# Redis round trips of the limiter and none is refused: the limit is not what is measured.
# Access records: AUDIT=drain (default) stops audit-service during the measurement, so the gateway does all of its
# own work (record -> outbox -> relay -> broker confirm) and the queue holds the records, then starts it again and
# waits until every record is in the audit trail; AUDIT=live keeps audit-service running (unpinned) throughout.
# PostgreSQL, RabbitMQ and Redis are the machine's shared servers and are not pinned.
set -euo pipefail
BENCH_NAME=gwbench PORT_BASE=${PORT_BASE:-27280}
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS=${ROUNDS:-2}; SECONDS_EACH=${SECONDS_EACH:-20}; WARMUP=${WARMUP:-60}; CONNS=${CONNS:-32}
HALF_SECONDS=${HALF_SECONDS:-20}; AUDIT=${AUDIT:-drain}
STUB_PORT=$((PORT_BASE + 6)) NGINX_PORT=$((PORT_BASE + 7))
OUT="$ROOT/bench/results/$(date -u +%Y-%m-%d)-gateway.md"
[[ -n ${OUT_SUFFIX:-} ]] && OUT="${OUT%.md}-$OUT_SUFFIX.md"
REV="$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- gateway/src/main || echo '+changes')"
NGX=$WORK/nginx
declare -A NGINX_PIDS=()
cleanup() {
  set +e   # every step, whatever fails before it
  local n; for n in stub proxy; do [[ -s $NGX/$n/nginx.pid ]] && kill "$(cat "$NGX/$n/nginx.pid" 2>/dev/null)" 2>/dev/null; done
  for n in "${NGINX_PIDS[@]}"; do kill "$n" 2>/dev/null; done
  drop_everything; [[ -n ${KEEP_WORK:-} ]] || rm -rf "$WORK"
}
trap cleanup EXIT

# nginx as an unprivileged foreground process (nobody), its own prefix, config, temp paths and logs under $NGX.
# nginx_start <name> <cpu> <server block body>
nginx_start() {
  local name=$1 cpu=$2 body=$3 dir=$NGX/$1
  mkdir -p "$dir/logs" "$dir/tmp"
  cat >"$dir/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy; fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;
  keepalive_requests 1000000;
  $body
}
EOF
  chown -R nobody "$dir"
  runuser -u nobody -- taskset -c "$cpu" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" \
    >>"$dir/logs/stdout.log" 2>&1 </dev/null &
  NGINX_PIDS[$name]=$!
}
# Every pid of an nginx (the runuser wrapper's children: master and worker).
nginx_pids() { local m; m=$(cat "$NGX/$1/nginx.pid" 2>/dev/null) || return 0; echo "$m" "$(pgrep -P "$m" | xargs)"; }

# CPU ticks of a JVM's JIT compiler threads (C1, C2): warm-up, not the per-request cost.
jit_ticks() { local p t=0; for p in "$@"; do t=$((t + $(for f in /proc/"$p"/task/*; do grep -q '^C[12] Compiler' "$f/comm" 2>/dev/null && awk '{print $14 + $15}' "$f/stat"; done | awk '{s += $1} END {print s + 0}'))); done; echo "$t"; }
# busy and total jiffies of one CPU
cpu_line() { awk -v c="cpu$1" '$1 == c {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat; }
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

# wrk_max <label> <url> <pids of the proxy (CPU accounting)> [header]: one closed-loop wrk run; appends a table row.
declare -A MAXRATE=()
wrk_max() {
  local label=$1 url=$2 pids=$3 header=${4:-} out c0 c1 p0 p1 j0 j1 la rate p50 p99 errs pcpu jcpu pids_a args=()
  [[ -n $header ]] && args=(-H "$header")
  la=$(load_avg)
  read -r -a c0 <<<"$(cpu_line 0)"; read -r -a pids_a <<<"$pids"; p0=$(cpu_ticks "${pids_a[@]}"); j0=$(jit_ticks "${pids_a[@]}")
  out=$(taskset -c 1 wrk -t1 -c"$CONNS" -d"${SECONDS_EACH}s" --latency "${args[@]}" "$url")
  read -r -a c1 <<<"$(cpu_line 0)"; p1=$(cpu_ticks "${pids_a[@]}"); j1=$(jit_ticks "${pids_a[@]}")
  rate=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")"); p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  errs=$(awk '/Non-2xx|Socket errors/ {sub(/^ +/, ""); printf "%s; ", $0}' <<<"$out")
  pcpu=$(awk -v d=$((p1 - p0)) -v s="$SECONDS_EACH" 'BEGIN {printf "%.0f", d / s}')   # 100 ticks/s: percent
  jcpu=$(awk -v d=$((j1 - j0)) -v s="$SECONDS_EACH" 'BEGIN {printf "%.0f", d / s}')
  MAXRATE[$label]=$rate
  say "  $label: $rate req/s, p50 $p50 ms, p99 $p99 ms, proxy CPU $pcpu %, ${errs:-no errors}"
  md "| $label | max, wrk ${CONNS} conns | **$rate** | $p50 | $p99 | $(awk -v a="${c0[0]}" -v b="${c0[1]}" -v c="${c1[0]}" -v d="${c1[1]}" 'BEGIN {printf "%.0f", 100 * (c - a) / (d - b)}') % | ${pids:+$pcpu % (JIT $jcpu %)} | $(awk -v r="$rate" -v p="$pcpu" 'BEGIN {if (p > 0) printf "%.0f", r * 100 / p; else print "-"}') | $(awk -v r="$rate" -v p="$pcpu" -v j="$jcpu" 'BEGIN {if (p - j > 0) printf "%.0f", r * 100 / (p - j); else print "-"}') | $la | ${errs:-none} |"
  TOTAL_REQ[$label]=$(( ${TOTAL_REQ[$label]:-0} + $(awk '/requests in/ {print $1}' <<<"$out") ))
}
declare -A TOTAL_REQ=()

# half <label> <url> <rate> <pids> [bearer key]: Load.java open loop at <rate>; appends a table row.
half() {
  local label=$1 url=$2 rate=$3 pids=$4 key=${5:-} r la c0 c1 p0 p1 pcpu pids_a auth=()
  [[ -n $key ]] && auth=("auth=bearer:$key")
  la=$(load_avg)
  read -r -a c0 <<<"$(cpu_line 0)"; read -r -a pids_a <<<"$pids"; p0=$(cpu_ticks "${pids_a[@]}")
  r=$(taskset -c 1 java -Xmx256m -XX:TieredStopAtLevel=1 "$ROOT/bench/Load.java" url="$url" "${auth[@]}" \
    seconds="$HALF_SECONDS" threads=32 rps="$rate")
  read -r -a c1 <<<"$(cpu_line 0)"; p1=$(cpu_ticks "${pids_a[@]}")
  pcpu=$(awk -v d=$((p1 - p0)) -v s="$HALF_SECONDS" 'BEGIN {printf "%.0f", d / s}')
  say "  $label at $rate/s: $r"
  HALF_P50[$label]=$(kv "$r" p50_ms); HALF_P99[$label]=$(kv "$r" p99_ms)
  md "| $label | open loop $rate/s ($(printf '%.0f' "$(kv "$r" rate)")/s done) | $(printf '%.0f' "$(kv "$r" rate)") | $(kv "$r" p50_ms) | $(kv "$r" p99_ms) | $(awk -v a="${c0[0]}" -v b="${c0[1]}" -v c="${c1[0]}" -v d="${c1[1]}" 'BEGIN {printf "%.0f", 100 * (c - a) / (d - b)}') % | ${pids:+$pcpu %} | | | $la | $(kv "$r" failed) failed |"
  if [[ $label == gateway* ]]; then TOTAL_REQ[gateway-half]=$(( ${TOTAL_REQ[gateway-half]:-0} + $(kv "$r" requests) )); fi
}
declare -A HALF_P50=() HALF_P99=()

{
  echo "# Gateway vs nginx, $(date -u +%Y-%m-%dT%H%MZ)"
  echo
  echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), shared with other"\
    "work (load average at the start: $(load_avg)); $(java -version 2>&1 | head -1); $(nginx -v 2>&1); wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')."
  echo "Code: git $REV. Gateway \`${BENCH_JAVA_OPTS:--Xms128m -Xmx1g}\` pinned to CPU 0 (\`taskset -c 0\`); the stub (nginx,"\
    "\`return 200 '[]'\`) and the load generators pinned to CPU 1; nginx as proxy: one worker pinned to CPU 0, upstream"\
    "keep-alive, access log on (buffered). PostgreSQL, RabbitMQ, Redis: the machine's shared servers, not pinned."
  echo "Through the gateway: GET /api/v1/case-transfers with an agency's API key (Bearer): address and agency rate limits"\
    "in Redis (on, limits 10^6/s so none refuses), key authentication, access policy, principal token, access record"\
    "(outbox, relay, broker; audit-service AUDIT=$AUDIT). nginx and the direct call: the same path, the key header sent too."
  echo
  echo "Columns: CPU 0 = busy share of CPU 0 (all processes); proxy CPU = the proxy process's own CPU (100 % = one core);"\
    "req/s per proxy core = req/s × 100 / proxy CPU (the rate on a core of its own, as far as CPU is the limit);"\
    "JIT excluded: the same without the CPU of the JVM's C1/C2 compiler threads (still warming up on a starved core)."
  echo
} >"$OUT"

bench_prepare
if [[ -n ${GATEWAY_JAR:-} ]]; then cp "$GATEWAY_JAR" "$WORK/lib/gateway.jar"; md "Gateway jar: \`$GATEWAY_JAR\`."; fi
say "stub and nginx ..."
nginx_start stub 1 "access_log off; server { listen 127.0.0.1:$STUB_PORT; location / { default_type application/json; return 200 '[]'; } }"
nginx_start proxy 0 "log_format b '\$remote_addr \$request \$status \$request_time'; access_log $NGX/proxy/logs/access.log b buffer=64k flush=1s;
  upstream stub { server 127.0.0.1:$STUB_PORT; keepalive 64; }
  server { listen 127.0.0.1:$NGINX_PORT; location / { proxy_pass http://stub; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
for p in "$STUB_PORT" "$NGINX_PORT"; do for _ in $(seq 1 40); do port_open 127.0.0.1 "$p" && break; sleep 0.25; done; done

say "gateway and audit-service ..."
export RATE_LIMIT_ENABLED=true RATE_LIMIT_PER_SECOND=1000000 RATE_LIMIT_BURST=2000000
export RATE_LIMIT_PER_ADDRESS_PER_SECOND=1000000 RATE_LIMIT_PER_ADDRESS_BURST=2000000
start_svc audit-service "$AU_PORT" audit
read -r -a GW_EXTRA <<<"${GATEWAY_ARGS:-}"   # e.g. GATEWAY_ARGS=--logging.level.chuanyu.access=warn
SVC_CPUS=0 start_svc gateway "$GW_PORT" gateway \
  "--spring.cloud.discovery.client.simple.instances.case-transfer-service[0].uri=http://127.0.0.1:$STUB_PORT" \
  --management.endpoints.web.exposure.include=health,info,prometheus,loggers "${GW_EXTRA[@]}"
wait_healthy audit "$AU_PORT"; wait_healthy gateway "$GW_PORT"
KEY=$(key_of sc-chengdu-intermediate-court)
PATH_=/api/v1/case-transfers
GWPID=${PIDS[gateway]}
curl -fsS -H "Authorization: Bearer $KEY" "http://127.0.0.1:$GW_PORT$PATH_" | grep -qx '\[\]' || { say "gateway does not reach the stub"; exit 1; }
# The audit queue exists now (audit-service declared it): stop audit-service so records wait in it.
AU_BEFORE=$(sql audit "select count(*) from audit_entry where type='gateway.access'")
if [[ $AUDIT == drain ]]; then kill "${PIDS[audit]}"; wait "${PIDS[audit]}" 2>/dev/null || true; unset 'PIDS[audit]'; fi
AUTH="Authorization: Bearer $KEY"

say "warm-up ${WARMUP}s ..."
md "Warm-up: ${WARMUP} s of wrk through the gateway, 5 s through nginx, then $ROUNDS rounds."
TOTAL_REQ[warmup]=$(taskset -c 1 wrk -t1 -c"$CONNS" -d"${WARMUP}s" -H "$AUTH" "http://127.0.0.1:$GW_PORT$PATH_" | awk '/requests in/ {print $1}')
taskset -c 1 wrk -t1 -c"$CONNS" -d5s "http://127.0.0.1:$NGINX_PORT$PATH_" >/dev/null

RESULTS=()
for round in $(seq 1 "$ROUNDS"); do
  say "round $round ..."
  md ""
  md "## Round $round"
  md ""
  md "| what | load | req/s | p50 ms | p99 ms | CPU 0 | proxy CPU | req/s per proxy core | same, JIT excluded | load average | errors |"
  md "|---|---|---|---|---|---|---|---|---|---|---|"
  NG_PIDS=$(nginx_pids proxy)
  wrk_max direct "http://127.0.0.1:$STUB_PORT$PATH_" "" "$AUTH"
  wrk_max nginx "http://127.0.0.1:$NGINX_PORT$PATH_" "$NG_PIDS" "$AUTH"
  wrk_max gateway "http://127.0.0.1:$GW_PORT$PATH_" "$GWPID" "$AUTH"
  GH=$(( MAXRATE[gateway] / 2 )); NH=$(( MAXRATE[nginx] / 2 ))
  if [[ ${HALF:-1} == 0 ]]; then
    RESULTS+=("round $round: gateway ${MAXRATE[gateway]} req/s, nginx ${MAXRATE[nginx]} req/s, gateway/nginx **$(awk -v g="${MAXRATE[gateway]}" -v n="${MAXRATE[nginx]}" 'BEGIN {printf "%.2f", g / n}')**")
    continue
  fi
  half "direct @ gateway's half" "http://127.0.0.1:$STUB_PORT$PATH_" "$GH" "" "$KEY"
  half "gateway" "http://127.0.0.1:$GW_PORT$PATH_" "$GH" "$GWPID" "$KEY"
  half "direct @ nginx's half" "http://127.0.0.1:$STUB_PORT$PATH_" "$NH" "" "$KEY"
  half "nginx" "http://127.0.0.1:$NGINX_PORT$PATH_" "$NH" "$NG_PIDS" "$KEY"
  ratio=$(awk -v g="${MAXRATE[gateway]}" -v n="${MAXRATE[nginx]}" 'BEGIN {printf "%.2f", g / n}')
  added() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a - b}'; }
  line="round $round: gateway ${MAXRATE[gateway]} req/s, nginx ${MAXRATE[nginx]} req/s, gateway/nginx **$ratio**; at half load the gateway adds p50 $(added "${HALF_P50[gateway]}" "${HALF_P50["direct @ gateway's half"]}") ms, p99 $(added "${HALF_P99[gateway]}" "${HALF_P99["direct @ gateway's half"]}") ms; nginx adds p50 $(added "${HALF_P50[nginx]}" "${HALF_P50["direct @ nginx's half"]}") ms, p99 $(added "${HALF_P99[nginx]}" "${HALF_P99["direct @ nginx's half"]}") ms"
  RESULTS+=("$line")
  md ""; md "- $line"
  say "  $line"
done

if [[ ${LEVERS:-1} == 1 ]]; then
  say "lever: the access log line ..."
  OPKEY=$(jq -r .operator.apiKey "$WORK/demo-credentials.json")
  access_log_level() {
    curl -fsS -X POST -H "Authorization: Bearer $OPKEY" -H 'Content-Type: application/json' \
      -d "{\"configuredLevel\":\"$1\"}" "http://127.0.0.1:$GW_PORT/actuator/loggers/chuanyu.access"
  }
  md ""
  md "## Lever: the per-request log line (logger chuanyu.access, INFO to the console), switched at run time"
  md ""
  md "| what | load | req/s | p50 ms | p99 ms | CPU 0 | proxy CPU | req/s per proxy core | same, JIT excluded | load average | errors |"
  md "|---|---|---|---|---|---|---|---|---|---|---|"
  access_log_level WARN
  wrk_max "gateway, log line off" "http://127.0.0.1:$GW_PORT$PATH_" "$GWPID" "$AUTH"
  access_log_level INFO
  wrk_max "gateway, log line on" "http://127.0.0.1:$GW_PORT$PATH_" "$GWPID" "$AUTH"
  access_log_level WARN
  wrk_max "gateway, log line off again" "http://127.0.0.1:$GW_PORT$PATH_" "$GWPID" "$AUTH"
  access_log_level INFO
fi

if [[ ${PROFILE:-1} == 1 ]]; then
  say "profile ..."
  jcmd "$GWPID" JFR.start name=gw settings=profile duration="$((SECONDS_EACH - 2))s" filename="$WORK/gateway.jfr" >/dev/null
  TOTAL_REQ[profile]=$(taskset -c 1 wrk -t1 -c"$CONNS" -d"${SECONDS_EACH}s" -H "$AUTH" "http://127.0.0.1:$GW_PORT$PATH_" | awk '/requests in/ {print $1}')
  sleep 3
  md ""
  md "## Profile: a further ${SECONDS_EACH} s through the gateway with JFR (settings=profile), \`bench/JfrTop.java\`"
  md '```'
  java "$ROOT/bench/JfrTop.java" "$WORK/gateway.jfr" 25 >>"$OUT" 2>&1 || true
  md '```'
fi

# Every request the gateway answered (wrk counts completed ones; cut-off ones at a run's end are recorded too) must
# reach the audit trail as one gateway.access entry.
SENT=0; for k in "${!TOTAL_REQ[@]}"; do [[ $k == direct || $k == nginx ]] || SENT=$((SENT + TOTAL_REQ[$k])); done
if [[ $AUDIT == drain ]]; then
  say "audit-service: draining the access records ..."
  start_svc audit-service "$AU_PORT" audit; wait_healthy audit "$AU_PORT"
fi
DEADLINE=$((SECONDS + ${DRAIN_SECONDS:-900})); T0=$SECONDS
until (( $(sql audit "select count(*) from audit_entry where type='gateway.access'") - AU_BEFORE >= SENT )) || (( SECONDS > DEADLINE )); do sleep 2; done
GOT=$(( $(sql audit "select count(*) from audit_entry where type='gateway.access'") - AU_BEFORE ))
PENDING=$(sql gateway "select count(*) from outbox_event where sent_at is null")
md ""
md "## Summary"
md ""
for l in "${RESULTS[@]}"; do md "- $l"; done
md "- access records: $SENT requests answered by the gateway after the start (wrk's count of completed ones), $GOT gateway.access entries in the audit trail $((SECONDS - T0)) s after the load ($PENDING outbox rows unsent)"
md "- load average at the end: $(load_avg)"
say "results: $OUT"
