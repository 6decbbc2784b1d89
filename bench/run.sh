#!/usr/bin/env bash
# Runs every benchmark against a private copy of the platform and writes bench/results/<date>.md.
#
#   bench/run.sh                 all benchmarks (about 18 minutes on 2 cores)
#   ONLY="startup e2e curve gateway evidence audit" bench/run.sh      a subset (startup always runs: it starts the services)
#   E2E_SECONDS=60 WARMUP_SECONDS=150 GW_SECONDS=20 EVIDENCE_SIZES="1 100 1024 4096" AUDIT_ENTRIES=1000000 THREADS=16
#   CURVE_CLIENTS="1 4 16 64" CURVE_SECONDS=20
#   BENCH_OUT=file.md  write there instead (two runs side by side)
#   PROFILE=0    skip the profiled runs (JFR recordings, after the measured runs: starting one makes the JVMs recompile)
#
# Needs the packaged jars (mvn -o -q -B package -DskipTests), PostgreSQL, RabbitMQ, curl, jq, python3, a JDK 17+.
# The services run on ports 27180-27183 with their own RabbitMQ vhost, databases, keys and evidence store, all
# removed at the end; rate limiting is off in this copy (it would cap one agency at 100/s).
set -euo pipefail
BENCH_NAME=bench PORT_BASE=${PORT_BASE:-27180}
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ONLY=${ONLY:-startup e2e curve gateway evidence audit}
CURVE_CLIENTS=${CURVE_CLIENTS:-1 4 16 64}; CURVE_SECONDS=${CURVE_SECONDS:-20}
E2E_SECONDS=${E2E_SECONDS:-60}; GW_SECONDS=${GW_SECONDS:-20}; THREADS=${THREADS:-16}
EVIDENCE_SIZES=${EVIDENCE_SIZES:-1 100 1024 4096}; AUDIT_ENTRIES=${AUDIT_ENTRIES:-1000000}
DATE=$(date -u +%Y-%m-%dT%H%MZ)
OUT=${BENCH_OUT:-$ROOT/bench/results/$DATE.md}
mkdir -p "$ROOT/bench/results"
LOAD=(java -Xmx512m "$ROOT/bench/Load.java")
wants() { [[ " $ONLY " == *" $1 "* ]]; }
SINK_PID=
trap 'kill "$SINK_PID" 2>/dev/null || true; drop_everything; [[ -n ${KEEP_WORK:-} ]] || rm -rf "$WORK"' EXIT

# plot_curve NAME: $WORK/NAME.tsv beside the results as <date>-NAME.tsv and .png (bench/Curves.java); prints the links
plot_curve() {
  local out=${OUT%.md}-$1
  cp "$WORK/$1.tsv" "$out.tsv"
  java -Djava.awt.headless=true "$ROOT/bench/Curves.java" "$out.tsv" "$out.png" 2>/dev/null || say "no plot of $1" >&2
  printf '[%s](%s) (data: [tsv](%s))' "$(basename "$out").png" "$(basename "$out").png" "$(basename "$out").tsv"
}
pg_ticks() { for p in $(pgrep -x postgres); do cat "/proc/$p/stat" 2>/dev/null; done | awk '{s += $14 + $15} END {print s + 0}'; }
# CPU ticks per thread group of a JVM (thread names with their numbers dropped: "C2 CompilerThread", "GC Thread#")
thread_ticks() {
  for t in "/proc/$1/task/"*; do
    printf '%s\t%s\n' "$(tr -d '0-9' <"$t/comm" 2>/dev/null)" "$(cut -d')' -f2- "$t/stat" 2>/dev/null | awk '{print $12 + $13}')"
  done | awk -F'\t' '{s[$1] += $2} END {for (k in s) print s[k] "\t" k}'
}
# The busiest thread groups between two thread_ticks snapshots: "name seconds, ..."
thread_cpu() {
  awk -F'\t' 'NR == FNR {a[$2] = $1; next} {d = $1 - a[$2]; if (d > 0) print d "\t" $2}' "$1" "$2" | sort -rn | head -7 \
    | awk -F'\t' '{printf "%s%s %.1f s", (NR > 1 ? ", " : ""), $2, $1 / 100}'
}

{
  echo "# Benchmarks, $DATE"
  echo
  echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"\
    "$(free -g | awk '/Mem:/ {print $2}') GiB RAM; $(java -version 2>&1 | head -1);"\
    "PostgreSQL $(psql -V | awk '{print $3}'); RabbitMQ $(rabbitmqctl -q version 2>/dev/null || echo '?')."
  echo "Code: git $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- '*/src/main' || echo ' (+ uncommitted changes in src/main)')."
  echo "Services: a private copy on ports $GW_PORT-$AU_PORT (own vhost and databases), \`-Xms128m -Xmx1g\`, rate limits off;"
  echo "load generator: \`bench/Load.java\` (JDK HttpClient, HTTP/1.1, keep-alive) on the same 2 CPUs."
  [[ -n ${BENCH_NOTE:-} ]] && echo "**Note:** $BENCH_NOTE"
  echo "Other processes on the machine at the start (load average $(load_avg)):"
  echo '```'
  ps -eo pcpu,rss,comm --sort=-pcpu | head -6
  echo '```'
  echo
} >"$OUT"

bench_prepare

# ---------------------------------------------------------------- start-up
say "start-up ..."
md "## Start-up"
md "load average before: $(load_avg)"
T0=$(date +%s.%N)
start_svc audit-service "$AU_PORT" audit
start_svc case-transfer-service "$CT_PORT" case-transfer
start_svc evidence-exchange-service "$EV_PORT" evidence
start_svc gateway "$GW_PORT" gateway
for i in audit:$AU_PORT case-transfer:$CT_PORT evidence:$EV_PORT gateway:$GW_PORT; do wait_healthy "${i%%:*}" "${i##*:}"; done
T1=$(date +%s.%N)
STARTUP=$(awk -v a="$T0" -v b="$T1" 'BEGIN {printf "%.1f", b - a}')
# CPU the JVMs used to get ready (a shared machine's load stretches the wall time, much less this); the children
# of the launch processes (a CDS training run, the jar's extraction) apart.
START_CPU=0 START_CHILD_CPU=0
for p in "${PIDS[@]}"; do
  read -r u c < <(awk '{print $14 + $15, $16 + $17}' "/proc/$p/stat" 2>/dev/null || echo "0 0")
  START_CPU=$((START_CPU + u)); START_CHILD_CPU=$((START_CHILD_CPU + c))
done
TICK=$(getconf CLK_TCK)
sleep 5
RSS_IDLE=$(rss_mib "${PIDS[@]}")
md "- all four services started together, time to all ready: **${STARTUP} s** (the same JVM start-up as \`./platform up\` without its build check)"
md "- CPU time of the four JVMs until all ready: **$(awk -v t="$START_CPU" -v k="$TICK" 'BEGIN {printf "%.1f", t / k}') s** (+ $(awk -v t="$START_CHILD_CPU" -v k="$TICK" 'BEGIN {printf "%.1f", t / k}') s in child processes: CDS training, jar extraction); load average at ready: $(load_avg)"
md "- total RSS of the four JVMs, idle after start: **${RSS_IDLE} MiB** ($(for i in gateway case-transfer evidence audit; do printf '%s %s MiB; ' "$i" "$(rss_mib "${PIDS[$i]}")"; done))"
md ""
SC=$(key_of sc-chengdu-intermediate-court); CQ=$(key_of cq-first-intermediate-court)
GW=http://localhost:$GW_PORT

# ---------------------------------------------------------------- end-to-end
if wants e2e; then
  say "end-to-end: warm-up, ${E2E_SECONDS}s closed loop, then half rate ..."
  "${LOAD[@]}" url="$GW/api/v1/case-transfers" body=transfer auth="bearer:$SC" seconds="${WARMUP_SECONDS:-150}" threads="$THREADS" >/dev/null
  sleep 5   # let the warm-up drain into the trail first, so the count below starts clean
  PREV=-1; for _ in $(seq 1 120); do CUR=$(sql audit "select count(*) from audit_entry"); (( CUR == PREV )) && break; PREV=$CUR; sleep 3; done
  BEFORE=$(sql audit "select count(*) from audit_entry where type='case-transfer.submitted'")
  ALL_BEFORE=$(sql audit "select count(*) from audit_entry")
  md "## End-to-end: case transfers through the gateway into the audit trail"
  md "load average before: $(load_avg)"
  declare -A C0=(); for i in "${!PIDS[@]}"; do C0[$i]=$(cpu_ticks "${PIDS[$i]}"); thread_ticks "${PIDS[$i]}" >"$WORK/threads0-$i"; done
  PG0=$(pg_ticks)
  L0=$(date +%s.%N)
  R=$("${LOAD[@]}" url="$GW/api/v1/case-transfers" body=transfer auth="bearer:$SC" seconds="$E2E_SECONDS" threads="$THREADS" ids="$WORK/e2e-ids.txt")
  L1=$(date +%s.%N)
  declare -A CPU=(); for i in "${!PIDS[@]}"; do CPU[$i]=$(( $(cpu_ticks "${PIDS[$i]}") - C0[$i] )); thread_ticks "${PIDS[$i]}" >"$WORK/threads1-$i"; done
  PG1=$(pg_ticks)
  OK=$(kv "$R" ok)
  say "  $R"
  # drain: until every acknowledged transfer is in the audit trail
  DEADLINE=$((SECONDS + 600)); N=0
  while (( SECONDS < DEADLINE )); do
    N=$(sql audit "select count(*) from audit_entry where type='case-transfer.submitted'")
    (( N - BEFORE >= OK )) && break
    sleep 1
  done
  L2=$(date +%s.%N)
  DRAIN=$(awk -v a="$L1" -v b="$L2" 'BEGIN {printf "%.1f", b - a}')
  AUDITED=$((N - BEFORE))
  ALL_AFTER=$(sql audit "select count(*) from audit_entry")
  E2E_RATE=$(awk -v n="$AUDITED" -v a="$L0" -v b="$L2" 'BEGIN {printf "%.0f", n / (b - a)}')
  APPEND_RATE=$(awk -v n="$((ALL_AFTER - ALL_BEFORE))" -v a="$L0" -v b="$L2" 'BEGIN {printf "%.0f", n / (b - a)}')
  SUBMIT_RATE=$(kv "$R" rate)
  md "- ${E2E_SECONDS} s closed loop, $THREADS client threads, POST /api/v1/case-transfers with an agency key:"
  md "  **$(printf '%.0f' "$SUBMIT_RATE") transfers/s acknowledged (201)**, $(kv "$R" failed) failed; client latency p50 $(kv "$R" p50_ms) ms, p95 $(kv "$R" p95_ms) ms, p99 $(kv "$R" p99_ms) ms"
  md "- all $AUDITED of $OK in the audit trail ${DRAIN} s after the load stopped; end to end (submitted and audited, first request to last entry): **$E2E_RATE transfers/s**"
  md "- audit appends meanwhile (every kind of entry: transfers, gateway.access, ...): $((ALL_AFTER - ALL_BEFORE)) entries, $APPEND_RATE entries/s"
  md "- CPU seconds used during the ${E2E_SECONDS} s (of $((2 * E2E_SECONDS)) available): $(for i in gateway case-transfer evidence audit; do printf '%s %.1f, ' "$i" "$(awk -v t="${CPU[$i]}" 'BEGIN {print t / 100}')"; done)PostgreSQL (all clusters' backends, others' too) $(awk -v t=$((PG1 - PG0)) 'BEGIN {printf "%.1f", t / 100}'), the load generator the rest"
  TARGET_MISS=$(awk -v r="$E2E_RATE" 'BEGIN { if (r >= 1000) print "target >= 1,000/s: met"; else printf "target >= 1,000/s: **missed by %.0f%%** (%d/s short)", (1000 - r) / 10, 1000 - r }')
  md "- $TARGET_MISS"
  md "- CPU by thread group during the run:"
  for i in gateway case-transfer audit; do md "  - $i: $(thread_cpu "$WORK/threads0-$i" "$WORK/threads1-$i")"; done

  HALF=$(awk -v r="$E2E_RATE" 'BEGIN {h = r / 2; printf "%.0f", h < 1 ? 1 : h}')
  say "  half rate: $HALF/s for 30 s ..."
  md "load average before the half-rate run: $(load_avg)"
  START_TS=$(sql audit "select now()")
  R2=$("${LOAD[@]}" url="$GW/api/v1/case-transfers" body=transfer auth="bearer:$SC" seconds=30 threads="$THREADS" rps="$HALF")
  OK2=$(kv "$R2" ok)
  DEADLINE=$((SECONDS + 300))
  until (( $(sql audit "select count(*) from audit_entry where type='case-transfer.submitted' and occurred_at >= '$START_TS'") >= OK2 )) || (( SECONDS > DEADLINE )); do sleep 1; done
  LAT=$(sql audit "select array_to_string(array(select round(x) from unnest(percentile_cont(array[0.5, 0.95, 0.99]) within group
        (order by extract(epoch from recorded_at - occurred_at) * 1000)) x), ' ')
        from audit_entry where type='case-transfer.submitted' and occurred_at >= '$START_TS'" || echo '? ? ?')
  read -r P50 P95 P99 <<<"$LAT"
  md "- at half that rate ($HALF/s requested, $(printf '%.0f' "$(kv "$R2" rate)")/s acknowledged, 30 s open loop): submit→audited (audit_entry.recorded_at − occurred_at, $OK2 transfers) **p50 $P50 ms, p95 $P95 ms, p99 $P99 ms**; client p99 $(kv "$R2" p99_ms) ms"
  if [[ ${PROFILE:-1} == 1 ]]; then
    # A separate run: starting a JFR recording makes the JVMs recompile, which would lower the measured rate.
    say "  profiled run: 30 s ..."
    for i in case-transfer audit gateway; do
      jcmd "${PIDS[$i]}" JFR.start name=bench settings=default duration=28s filename="$WORK/profile-$i.jfr" >/dev/null 2>&1
    done
    RP=$("${LOAD[@]}" url="$GW/api/v1/case-transfers" body=transfer auth="bearer:$SC" seconds=30 threads="$THREADS")
    sleep 3
    md "- where the CPU goes: a further 30 s closed-loop run with a JFR recording in the three services ($(printf '%.0f' "$(kv "$RP" rate)") transfers/s while recording; self = the method itself, total = anywhere on the stack):"
    md '```'
    for i in gateway case-transfer audit; do
      echo "$i: $(java "$ROOT/bench/JfrTop.java" "$WORK/profile-$i.jfr" 8 2>&1 | head -20)" >>"$OUT" || true
    done
    md '```'
  fi
  md ""
fi

# ---------------------------------------------------------------- end-to-end by concurrency
if wants curve; then
  say "end-to-end curve: $CURVE_CLIENTS clients, ${CURVE_SECONDS}s each ..."
  if ! wants e2e; then
    "${LOAD[@]}" url="$GW/api/v1/case-transfers" body=transfer auth="bearer:$SC" seconds="${WARMUP_SECONDS:-150}" threads="$THREADS" >/dev/null
  fi
  md "## End-to-end by concurrency: closed loops of 1 to 64 clients, ${CURVE_SECONDS} s each"
  md "load average before: $(load_avg)"
  md ""
  md "| clients | acknowledged/s | audited/s (first request to last entry) | client p50 ms | client p99 ms | submit→audited p50 ms | submit→audited p99 ms | CPU ms per transfer (all processes) | CPU s by process, first request to last entry |"
  md "|---|---|---|---|---|---|---|---|---|"
  printf '# end-to-end: transfers through the gateway into the audit trail, by concurrent clients (bench/run.sh, %s)\nclients\tacknowledged [transfers/s]\taudited [transfers/s]\tclient p99 [ms]\tsubmit to audited p99 [ms]\n' "$DATE" >"$WORK/e2e-curve.tsv"
  for C in $CURVE_CLIENTS; do
    drained=$(sql audit "select count(*) from audit_entry")   # the previous step's entries are in: start clean
    for _ in $(seq 1 120); do sleep 2; now=$(sql audit "select count(*) from audit_entry"); (( now == drained )) && break; drained=$now; done
    BEFORE=$(sql audit "select count(*) from audit_entry where type='case-transfer.submitted'")
    START_TS=$(sql audit "select now()")
    read -r _ U0 N0 S0 _ < /proc/stat
    declare -A P0=(); for i in "${!PIDS[@]}"; do P0[$i]=$(cpu_ticks "${PIDS[$i]}"); done; PG0=$(pg_ticks)
    L0=$(date +%s.%N)
    R=$("${LOAD[@]}" url="$GW/api/v1/case-transfers" body=transfer auth="bearer:$SC" seconds="$CURVE_SECONDS" threads="$C")
    OK=$(kv "$R" ok)
    DEADLINE=$((SECONDS + 300)); N=$BEFORE
    while (( SECONDS < DEADLINE )); do
      N=$(sql audit "select count(*) from audit_entry where type='case-transfer.submitted'"); (( N - BEFORE >= OK )) && break; sleep 0.5
    done
    L2=$(date +%s.%N)
    read -r _ U2 N2 S2 _ < /proc/stat
    PROCS="$(for i in gateway case-transfer evidence audit; do printf '%s %.1f, ' "$i" "$(awk -v t=$(( $(cpu_ticks "${PIDS[$i]}") - P0[$i] )) 'BEGIN {print t / 100}')"; done)PostgreSQL $(awk -v t=$(( $(pg_ticks) - PG0 )) 'BEGIN {printf "%.1f", t / 100}')"
    AUDITED=$((N - BEFORE))
    RATE_A=$(awk -v n="$AUDITED" -v a="$L0" -v b="$L2" 'BEGIN {printf "%.0f", n / (b - a)}')
    # CPU of the whole machine (user + nice + system) from the first request until the last entry, per transfer
    CPU_MS=$(awk -v t=$(( (U2 + N2 + S2) - (U0 + N0 + S0) )) -v k="$(getconf CLK_TCK)" -v n="$AUDITED" 'BEGIN {printf "%.1f", n ? t / k * 1000 / n : 0}')
    LAT=$(sql audit "select array_to_string(array(select round(x) from unnest(percentile_cont(array[0.5, 0.99]) within group
          (order by extract(epoch from recorded_at - occurred_at) * 1000)) x), ' ')
          from audit_entry where type='case-transfer.submitted' and occurred_at >= '$START_TS'" || echo '? ?')
    read -r A50 A99 <<<"$LAT"
    md "| $C | $(printf '%.0f' "$(kv "$R" rate)") | $RATE_A | $(kv "$R" p50_ms) | $(kv "$R" p99_ms) | $A50 | $A99 | $CPU_MS | $PROCS |"
    printf '%s\t%s\t%s\t%s\t%s\n' "$C" "$(printf '%.0f' "$(kv "$R" rate)")" "$RATE_A" "$(kv "$R" p99_ms)" "$A99" >>"$WORK/e2e-curve.tsv"
    say "  $C clients: $R; audited $RATE_A/s; submit->audited p99 $A99 ms; $CPU_MS ms CPU per transfer"
  done
  md ""
  md "- curve: $(plot_curve e2e-curve); the load generator runs on the same two cores, its CPU is in the per-transfer figure"
  md ""
fi

# ---------------------------------------------------------------- gateway overhead
if wants gateway; then
  say "gateway overhead ..."
  if [[ ! -s $WORK/e2e-ids.txt ]]; then
    "${LOAD[@]}" url="$GW/api/v1/case-transfers" body=transfer auth="bearer:$SC" seconds=5 threads=4 ids="$WORK/e2e-ids.txt" >/dev/null
  fi
  head -500 "$WORK/e2e-ids.txt" >"$WORK/get-ids.txt"
  md "## Gateway overhead: GET /api/v1/case-transfers/{id}, the same ids and load ($THREADS threads, ${GW_SECONDS} s closed loop each, after a 10 s warm-up of each)"
  md "load average before: $(load_avg)"
  TOKEN=token:$WORK/keys/gateway-private.pem:sc-chengdu-intermediate-court:SC:COURT:case-transfer-service
  "${LOAD[@]}" url="$GW/api/v1/case-transfers/{id}" ids-in="$WORK/get-ids.txt" auth="bearer:$SC" seconds=10 threads="$THREADS" >/dev/null
  "${LOAD[@]}" url="http://localhost:$CT_PORT/api/v1/case-transfers/{id}" ids-in="$WORK/get-ids.txt" auth="$TOKEN" seconds=10 threads="$THREADS" >/dev/null
  RD=$("${LOAD[@]}" url="http://localhost:$CT_PORT/api/v1/case-transfers/{id}" ids-in="$WORK/get-ids.txt" auth="$TOKEN" seconds="$GW_SECONDS" threads="$THREADS")
  for i in gateway case-transfer; do thread_ticks "${PIDS[$i]}" >"$WORK/gthreads0-$i"; done
  RG=$("${LOAD[@]}" url="$GW/api/v1/case-transfers/{id}" ids-in="$WORK/get-ids.txt" auth="bearer:$SC" seconds="$GW_SECONDS" threads="$THREADS")
  for i in gateway case-transfer; do thread_ticks "${PIDS[$i]}" >"$WORK/gthreads1-$i"; done
  if [[ ${PROFILE:-1} == 1 ]]; then   # profiled afterwards, for the same reason as above
    jcmd "${PIDS[gateway]}" JFR.start name=gw settings=default duration=13s filename="$WORK/profile-gateway-get.jfr" >/dev/null 2>&1
    "${LOAD[@]}" url="$GW/api/v1/case-transfers/{id}" ids-in="$WORK/get-ids.txt" auth="bearer:$SC" seconds=15 threads="$THREADS" >/dev/null
    sleep 2
  fi
  say "  direct: $RD"; say "  gateway: $RG"
  md ""
  md "| | requests/s | p50 ms | p95 ms | p99 ms | non-2xx |"
  md "|---|---|---|---|---|---|"
  md "| direct to case-transfer-service (principal token) | $(kv "$RD" rate) | $(kv "$RD" p50_ms) | $(kv "$RD" p95_ms) | $(kv "$RD" p99_ms) | $(kv "$RD" failed) |"
  md "| through the gateway (API key) | $(kv "$RG" rate) | $(kv "$RG" p50_ms) | $(kv "$RG" p95_ms) | $(kv "$RG" p99_ms) | $(kv "$RG" failed) |"
  RATIO=$(awk -v g="$(kv "$RG" rate)" -v d="$(kv "$RD" rate)" 'BEGIN {printf "%.2f", g / d}')
  ADDED=$(awk -v g="$(kv "$RG" p99_ms)" -v d="$(kv "$RD" p99_ms)" 'BEGIN {printf "%.1f", g - d}')
  md ""
  md "- throughput ratio gateway/direct: **$RATIO** ($(awk -v r="$RATIO" 'BEGIN { if (r >= 0.8) print "target >= 0.8: met"; else printf "target >= 0.8: **missed by %.2f**", 0.8 - r }')); added p99: **$ADDED ms**"
  md "- CPU by thread group during the run through the gateway: gateway: $(thread_cpu "$WORK/gthreads0-gateway" "$WORK/gthreads1-gateway"); case-transfer: $(thread_cpu "$WORK/gthreads0-case-transfer" "$WORK/gthreads1-case-transfer")"
  if [[ -s $WORK/profile-gateway-get.jfr ]]; then
    md '```'
    echo "gateway, a further 15 s through the gateway with a JFR recording: $(java "$ROOT/bench/JfrTop.java" "$WORK/profile-gateway-get.jfr" 10 2>&1 | head -26)" >>"$OUT" || true
    md '```'
  fi
  md "- on 2 CPUs the gateway, the service, PostgreSQL and the load generator share the same cores: through the gateway every request costs the gateway's CPU (TLS-less HTTP in and out, key lookup, principal token, an access record that becomes an audit entry) on top of the service's, so the ratio mostly measures the gateway's CPU cost per request relative to the service's"
  md ""
fi

# ---------------------------------------------------------------- evidence
if wants evidence; then
  say "evidence: $EVIDENCE_SIZES MiB ..."
  md "## Evidence: files of $EVIDENCE_SIZES MiB through the gateway vs curl to a plain file-writing sink"
  md "load average before: $(load_avg)"
  mkdir -p "$WORK/sink" "$WORK/dl"
  SINK_PORT=$((PORT_BASE + 9))
  python3 "$ROOT/bench/sink.py" "$SINK_PORT" "$WORK/sink" & SINK_PID=$!
  for _ in $(seq 1 60); do port_open 127.0.0.1 "$SINK_PORT" && break; sleep 0.5; done
  speed() { awk -v s="$1" 'BEGIN {printf "%.0f", s / 1048576}'; }
  peak() { awk 'NR==1 {for (i = 1; i <= NF; i++) c[$i] = i; next} $1 ~ /^[0-9.]+$/ {u = $c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]; if (u > m) m = u} END {printf "%.0f", m / 1024}' "$1"; }
  md ""
  md "| file | sink upload MiB/s | gateway upload MiB/s (s) | ratio | sink download MiB/s | gateway download MiB/s (s) | ratio | peak heap evidence / gateway MiB (idle) | same bytes |"
  md "|---|---|---|---|---|---|---|---|---|"
  printf '# evidence through the gateway: time and peak heap by file size (bench/run.sh, %s)\nfile size MiB\tupload through the gateway [s]\tupload to a plain sink [s]\tdownload through the gateway [s]\tpeak heap, evidence-exchange-service [MiB]\tpeak heap, gateway [MiB]\n' "$DATE" >"$WORK/evidence-curve.tsv"
  for MIB in $EVIDENCE_SIZES; do
    head -c "${MIB}M" /dev/urandom >"$WORK/evidence.bin"
    jstat -gc "${PIDS[evidence]}" 200 >"$WORK/jstat-evidence.log" 2>&1 & JE=$!
    jstat -gc "${PIDS[gateway]}" 200 >"$WORK/jstat-gateway.log" 2>&1 & JG=$!
    sleep 1
    IDLE_EV=$(peak "$WORK/jstat-evidence.log"); IDLE_GW=$(peak "$WORK/jstat-gateway.log")
    read -r S_PUT S_PUT_T < <(curl -sS -o /dev/null -w '%{speed_upload} %{time_total}\n' -T "$WORK/evidence.bin" "http://127.0.0.1:$SINK_PORT/evidence.bin")
    S_GET=$(curl -sS -o "$WORK/dl/sink.bin" -w '%{speed_download}' "http://127.0.0.1:$SINK_PORT/evidence.bin")
    rm -f "$WORK/dl/sink.bin" "$WORK/sink/evidence.bin"
    P=$(curl -fsS -X POST "$GW/api/v1/evidence-packages" -H "Authorization: Bearer $SC" -H 'Content-Type: application/json' \
      -d '{"title":"bench","toAgency":"cq-first-intermediate-court"}' | jq -r .id)
    read -r CODE G_PUT G_PUT_T < <(curl -sS -o "$WORK/put.json" -w '%{http_code} %{speed_upload} %{time_total}\n' -T "$WORK/evidence.bin" \
      "$GW/api/v1/evidence-packages/$P/items/evidence.bin" -H "Authorization: Bearer $SC" -H 'Content-Type: application/octet-stream')
    [[ $CODE == 201 ]] || { cat "$WORK/put.json"; say "evidence PUT failed: $CODE"; }
    curl -fsS -X POST "$GW/api/v1/evidence-packages/$P/seal" -H "Authorization: Bearer $SC" >/dev/null || say "seal failed"
    read -r CODE G_GET G_GET_T < <(curl -sS -o "$WORK/dl/gw.bin" -w '%{http_code} %{speed_download} %{time_total}\n' \
      "$GW/api/v1/evidence-packages/$P/items/evidence.bin" -H "Authorization: Bearer $CQ")
    SAME=$(cmp -s "$WORK/dl/gw.bin" "$WORK/evidence.bin" && echo yes || echo DIFFERENT)
    rm -f "$WORK/dl/gw.bin" "$WORK/evidence.bin"
    sleep 1; kill "$JE" "$JG" 2>/dev/null || true; wait "$JE" "$JG" 2>/dev/null || true
    PEAK_EV=$(peak "$WORK/jstat-evidence.log"); PEAK_GW=$(peak "$WORK/jstat-gateway.log")
    md "| $MIB MiB | $(speed "$S_PUT") | $(speed "$G_PUT") ($G_PUT_T) | **$(awk -v a="$G_PUT" -v b="$S_PUT" 'BEGIN {printf "%.2f", a / b}')** | $(speed "$S_GET") | $(speed "$G_GET") ($G_GET_T) | **$(awk -v a="$G_GET" -v b="$S_GET" 'BEGIN {printf "%.2f", a / b}')** | $PEAK_EV ($IDLE_EV) / $PEAK_GW ($IDLE_GW) | $SAME |"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$MIB" "$G_PUT_T" "$S_PUT_T" "$G_GET_T" "$PEAK_EV" "$PEAK_GW" >>"$WORK/evidence-curve.tsv"
    # the store keeps each package's copy (content-addressed): free the disk for the next size
    SHA=$(jq -r '.sha256 // empty' "$WORK/put.json" 2>/dev/null || true)
    [[ -n $SHA ]] && rm -f "${EVIDENCE_STORE_DIR:-$WORK/evidence-store}/objects/sha256/${SHA:0:2}/$SHA"
  done
  md ""
  md "- targets at 1 GiB: upload ratio >= 0.8, download ratio >= 0.9; curve: $(plot_curve evidence-curve)"
  md "- peak heap used: jstat every 200 ms during that size's four transfers, S0U+S1U+EU+OU, \`-Xmx1g\`; (idle) = the first sample"
  md "- the service hashes every byte on the way in (SHA-256, and SM3 with the SM2 suite) and again on the way out, and fsyncs the object; the sink only writes (and fsyncs): the hashes cost CPU the sink never spends, on cores shared with curl and the gateway"
  md ""
  kill "$SINK_PID" 2>/dev/null || true; SINK_PID=
fi

# ---------------------------------------------------------------- audit proofs on a large log
if wants audit; then
  say "audit: building a $AUDIT_ENTRIES-entry log ..."
  md "## Audit: append rate and proofs on a $AUDIT_ENTRIES-entry log"
  md "load average before: $(load_avg)"
  if bash "$ROOT/bench/audit-proofs.sh" "$AUDIT_ENTRIES" >"$WORK/audit.txt" 2>&1; then
    grep '^- ' "$WORK/audit.txt" >>"$OUT"
  else
    md "- audit-proofs.sh failed: $(tail -3 "$WORK/audit.txt" | tr '\n' ' ')"
  fi
  md ""
fi

md "## Total RSS at the end"
md "- four JVMs after the runs: $(rss_mib "${PIDS[@]}") MiB; load average $(load_avg)"
say "written $OUT"
