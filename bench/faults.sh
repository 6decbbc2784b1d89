#!/usr/bin/env bash
# The fault suite: a steady, bounded stream of exchanges through the gateway while the infrastructure and the
# services fail, then a reconciliation of what clients were told against the databases and the audit trail.
#
#   bench/faults.sh [EXCHANGES]            default 10000 (transfers, assistance requests, evidence packages in turn)
#   FAULTS_GLOBAL=1 bench/faults.sh 10000  the real thing: restarts the machine's RabbitMQ twice
#                                          (rabbitmqctl stop_app/start_app) and PostgreSQL once (pg_ctlcluster
#                                          restart). That breaks everyone else's tests and platforms: only on a
#                                          machine nobody else is using.
#   (default, FAULTS_GLOBAL=0)             scoped stand-ins that touch only this run: every RabbitMQ connection of
#                                          this run's vhost is closed (twice), every PostgreSQL backend of this run's
#                                          databases is terminated (once).
#   RPS=40 (request rate)  DB_POOL_SIZE=10  PORT_BASE=27280
#
# Runs a private copy of the platform (ports PORT_BASE..+5, own vhost and databases): two case-transfer-service
# instances (the gateway balances over both) and two audit-service instances (single active consumer), one
# evidence-exchange-service, one gateway. Faults, while the load runs: broker outage 1, kill -9 case-transfer A and
# restart it, kill -9 evidence and restart, kill -9 audit A (B takes over) and restart, kill -9 gateway and restart,
# broker outage 2, database outage, kill -9 case-transfer B and audit B for good. The client retries a failed POST
# (connection error, 5xx, 429) with the same Idempotency-Key. Writes bench/results/faults-<date>.md.
set -euo pipefail
BENCH_NAME=faults PORT_BASE=${PORT_BASE:-27280}
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
EXCHANGES=${1:-10000}
RPS=${RPS:-40}
GLOBAL=${FAULTS_GLOBAL:-0}
CT2_PORT=$((PORT_BASE + 4)); AU2_PORT=$((PORT_BASE + 5))
DATE=$(date -u +%Y-%m-%dT%H%MZ)
OUT="$ROOT/bench/results/faults-$DATE.md"
mkdir -p "$ROOT/bench/results"
trap 'drop_everything; [[ -n ${KEEP_WORK:-} ]] || rm -rf "$WORK"' EXIT
T_START=$SECONDS
log() { printf '[%4ds] %s\n' $((SECONDS - T_START)) "$*" | tee -a "$WORK/faults.log"; }

GW_ARGS=("--spring.cloud.discovery.client.simple.instances.case-transfer-service[0].uri=http://localhost:$CT_PORT"
         "--spring.cloud.discovery.client.simple.instances.case-transfer-service[1].uri=http://localhost:$CT2_PORT")
start() { # instance
  case $1 in
    audit-a) start_svc audit-service "$AU_PORT" audit-a ;;
    audit-b) start_svc audit-service "$AU2_PORT" audit-b ;;
    ct-a) start_svc case-transfer-service "$CT_PORT" ct-a ;;
    ct-b) start_svc case-transfer-service "$CT2_PORT" ct-b ;;
    evidence) start_svc evidence-exchange-service "$EV_PORT" evidence ;;
    gateway) start_svc gateway "$GW_PORT" gateway "${GW_ARGS[@]}" ;;
  esac
}
port_of() { case $1 in audit-a) echo "$AU_PORT";; audit-b) echo "$AU2_PORT";; ct-a) echo "$CT_PORT";; ct-b) echo "$CT2_PORT";;
  evidence) echo "$EV_PORT";; gateway) echo "$GW_PORT";; esac; }
# kill -9, restart at once, and note in the background when it is ready again (start-up takes minutes on a busy
# 2-core machine, so the next fault does not wait for it)
crash_and_restart() {
  log "kill -9 $1 (pid ${PIDS[$1]})"; kill9 "$1"; sleep 2; start "$1"
  ( t0=$SECONDS; wait_healthy "$1" "$(port_of "$1")" >/dev/null && log "$1 ready again (pid ${PIDS[$1]}, $((SECONDS - t0)) s after the restart)" ) &
  WAITERS+=($!)
}
WAITERS=()

broker_outage() {
  if [[ $GLOBAL == 1 ]]; then
    log "rabbitmqctl stop_app"; rabbitmqctl -q stop_app; sleep 10; rabbitmqctl -q start_app; log "rabbitmqctl start_app"
  else
    log "closing every RabbitMQ connection of vhost $VHOST (scoped stand-in for stop_app), three times over 10 s"
    for _ in 1 2 3; do rabbitmqctl -q close_all_connections -p "$VHOST" "fault suite" >/dev/null 2>&1 || true; sleep 4; done
  fi
}
database_outage() {
  if [[ $GLOBAL == 1 ]]; then
    local versions=(/etc/postgresql/*/) version
    version=${versions[0]%/}; version=${version##*/}   # the first installed cluster version, e.g. 16
    log "pg_ctlcluster restart"; pg_ctlcluster --skip-systemctl-redirect "$version" main restart; log "PostgreSQL back"
  else
    log "terminating every PostgreSQL backend of this run's databases (scoped stand-in for a restart), three times over 10 s"
    for _ in 1 2 3; do
      psql -qAtX -h localhost -U postgres -c "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname like '${DBP}_%'" >/dev/null || true
      sleep 4
    done
  fi
}

bench_prepare
log "starting the private platform (run $RUN_ID, ports $PORT_BASE-$((PORT_BASE + 5)), global faults: $GLOBAL)"
for i in audit-a ct-a evidence; do start "$i"; done
for i in audit-a ct-a evidence; do wait_healthy "$i" "$(port_of "$i")"; done
start gateway; wait_healthy gateway "$GW_PORT"
for i in ct-b audit-b; do start "$i"; done
for i in ct-b audit-b; do wait_healthy "$i" "$(port_of "$i")"; done
SC=$(key_of sc-chengdu-intermediate-court); AUDITOR=$(jq -r .auditor.apiKey "$WORK/demo-credentials.json")
GW=http://localhost:$GW_PORT
DURATION=$(( EXCHANGES / RPS + 1 ))
log "load: $EXCHANGES exchanges at $RPS/s (about $DURATION s), retries with the same Idempotency-Key"
java -Xmx256m "$ROOT/bench/Load.java" url="$GW/api/v1/case-transfers" body=mix auth="bearer:$SC" rps="$RPS" max="$EXCHANGES" \
  seconds=$((DURATION + 5)) threads=24 retries=10 ids="$WORK/acked.txt" >"$WORK/load.txt" 2>&1 &
LOAD_PID=$!
# Faults spread over the run: each step waits for the previous one (a restart takes a while on 2 cores).
STEP=$(( DURATION / 9 > 5 ? DURATION / 9 : 5 ))
sleep "$STEP"; broker_outage
sleep "$STEP"; crash_and_restart ct-a
sleep "$STEP"; crash_and_restart evidence
sleep "$STEP"; crash_and_restart audit-a
sleep "$STEP"; crash_and_restart gateway
sleep "$STEP"; broker_outage
sleep "$STEP"; database_outage
sleep "$STEP"; log "kill -9 ct-b and audit-b for good (pids ${PIDS[ct-b]}, ${PIDS[audit-b]})"; kill9 ct-b; kill9 audit-b
wait "$LOAD_PID" || true
T_LOAD_END=$SECONDS
for w in "${WAITERS[@]}"; do wait "$w" || log "a restarted instance did not become ready"; done
LOAD_RESULT=$(cat "$WORK/load.txt")
log "load finished: $LOAD_RESULT"

# Reconcile. The acknowledged ids go into a table in each database; "lost" = acknowledged but missing.
ACKED=$(wc -l <"$WORK/acked.txt")
for db in case_transfer evidence audit; do
  sql "$db" "create table if not exists fault_acked (kind text, id text, at bigint)"
  psql -qAtX -h localhost -U postgres -d "${DBP}_$db" -c "\\copy fault_acked from '$WORK/acked.txt' with (format text, delimiter ' ')"
done
audited() { sql audit "select count(distinct a.id) from fault_acked a join audit_entry e on e.exchange_id = a.id and e.type =
  case a.kind when 'transfer' then 'case-transfer.submitted' when 'assistance' then 'assistance.submitted' else 'evidence.package-created' end"; }
DRAIN_DEADLINE=$((SECONDS + ${DRAIN_TIMEOUT:-600}))
until (( $(audited) >= ACKED )) || (( SECONDS > DRAIN_DEADLINE )); do sleep 2; done
DRAIN=$((SECONDS - T_LOAD_END))
AUDITED=$(audited)
IN_CT=$(sql case_transfer "select count(*) from fault_acked a where (a.kind = 'transfer' and exists (select 1 from case_transfer t where t.id::text = a.id))
  or (a.kind = 'assistance' and exists (select 1 from assistance_request r where r.id::text = a.id))")
IN_EV=$(sql evidence "select count(*) from fault_acked a where a.kind = 'evidence' and exists (select 1 from evidence_package p where p.id::text = a.id)")
ACK_CT=$(grep -c -v '^evidence ' "$WORK/acked.txt" || true); ACK_EV=$(grep -c '^evidence ' "$WORK/acked.txt" || true)
ROWS_CT=$(sql case_transfer "select (select count(*) from case_transfer) + (select count(*) from assistance_request)")
ROWS_EV=$(sql evidence "select count(*) from evidence_package")
DUP=$(sql audit "select count(*) from (select exchange_id, type from audit_entry where type in
  ('case-transfer.submitted', 'assistance.submitted', 'evidence.package-created') group by 1, 2 having count(*) > 1) d")
DUP_EVENTS=$(sql audit "select count(*) - count(distinct event_id) from audit_entry")
UNSENT_CT=$(sql case_transfer "select count(*) from outbox_event where sent_at is null" 2>/dev/null || echo '?')
UNSENT_EV=$(sql evidence "select count(*) from outbox_event where sent_at is null" 2>/dev/null || echo '?')
COMPLETENESS=$(curl -fsS "$GW/api/v1/audit/completeness" -H "Authorization: Bearer $AUDITOR" 2>/dev/null | jq -c . 2>/dev/null || echo unavailable)
LOST=$((ACKED - AUDITED)); LOST_DB=$((ACKED - IN_CT - IN_EV))

{
  echo "# Fault suite, $DATE"
  echo
  echo "$(nproc) CPUs, $(free -g | awk '/Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -1); git $(git -C "$ROOT" rev-parse --short HEAD)."
  echo "Command: \`$( [[ $GLOBAL == 1 ]] && echo 'FAULTS_GLOBAL=1 ')RPS=$RPS bench/faults.sh $EXCHANGES\`; load average at the end: $(load_avg)."
  if [[ $GLOBAL == 1 ]]; then
    echo "Faults: RabbitMQ stop_app/start_app twice, PostgreSQL restarted once (the machine's own servers)."
  else
    echo "Faults: **scoped stand-ins** for the broker and database restarts (this run's RabbitMQ connections closed,"
    echo "its PostgreSQL backends terminated), because the machine's servers were shared; run with FAULTS_GLOBAL=1 for the real ones."
  fi
  echo "kill -9 and restart: case-transfer-service A, evidence-exchange-service, audit-service A, gateway; killed for good:"
  echo "case-transfer-service B and audit-service B (two instances of each ran side by side until then)."
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| exchanges submitted by the client (transfers, assistance requests, evidence packages in turn) | $(kv "$LOAD_RESULT" requests) |"
  echo "| acknowledged to the client (201 with an id) | $ACKED |"
  echo "| failed after $(kv "$LOAD_RESULT" retries) retries in all (client was told it failed) | $(kv "$LOAD_RESULT" failed) (statuses $(kv "$LOAD_RESULT" statuses)) |"
  echo "| acknowledged and in the service databases | $((IN_CT + IN_EV)) (case-transfer $IN_CT of $ACK_CT, evidence $IN_EV of $ACK_EV) |"
  echo "| rows in the service databases in all (includes exchanges created whose answer was lost) | $ROWS_CT + $ROWS_EV |"
  echo "| acknowledged and in the audit trail | $AUDITED |"
  echo "| **lost** (acknowledged, not audited / not in the database) | **$LOST** / **$LOST_DB** |"
  echo "| **duplicated** in the audit trail (same exchange and creation event twice / same event id twice) | **$DUP** / **$DUP_EVENTS** |"
  echo "| backlog drained (all acknowledged exchanges audited) after the load stopped | ${DRAIN} s |"
  echo "| outbox rows still unsent at the end (case-transfer / evidence) | $UNSENT_CT / $UNSENT_EV |"
  echo
  echo "Audit completeness per producer (\`/api/v1/audit/completeness\`): \`$COMPLETENESS\`"
  echo
  echo "Timeline:"
  echo '```'
  cat "$WORK/faults.log"
  echo '```'
} >"$OUT"
cat "$OUT"
(( LOST == 0 && LOST_DB == 0 && DUP == 0 && DUP_EVENTS == 0 )) || { say "FAILED: lost or duplicated exchanges"; exit 1; }
