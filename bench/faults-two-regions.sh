#!/usr/bin/env bash
# The fault suite across the border (issue 15): exchanges in both directions between a Sichuan and a Chongqing node
# while the link between them is cut twice for more than a minute and every service of both nodes is killed with
# kill -9 once; then a reconciliation of what the clients were told against both nodes' databases, their signed
# delivery evidences and both audit logs.
#
#   bench/faults-two-regions.sh [EXCHANGES]      default 10000, half from each side (transfers, assistance requests
#                                                and sealed evidence packages in turn)
#   RPS=10 (per direction)  LINK_CUT_SECONDS=65  PORT_BASE=27880 (Chongqing: +1000)  CQ_RABBIT_PORT=5773
#
# It runs the platform the way a user does: `./platform up --two-regions` on its own instance, ports, var/ folder and
# second RabbitMQ node; `./platform link down|up` for the cuts; kill -9 of every process in a node's var/<node>/run
# and `./platform up --two-regions` to bring the dead back (it starts only what is not running). Clients retry a
# failed request (connection error, 5xx, 429) with the same Idempotency-Key. Writes
# bench/results/faults-two-regions-<date>.md; exits 1 if anything was lost or duplicated.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXCHANGES=${1:-10000}
RPS=${RPS:-10}
CUT=${LINK_CUT_SECONDS:-65}
RUN_ID=$(date -u +%H%M%S)$$
WORK=${WORK:-/tmp/cyx-fx2-$RUN_ID}
export STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-900}   # a busy 2-core machine starts ten JVMs slowly
export CHUANYU_INSTANCE=cyxfx${RUN_ID} CHUANYU_VAR=$WORK/var CHUANYU_PORT_BASE=${PORT_BASE:-27880}
export CHUANYU_PEER_PORT_BASE=$((CHUANYU_PORT_BASE + 1000)) CHUANYU_CQ_RABBIT_PORT=${CQ_RABBIT_PORT:-5773}
export CHUANYU_CQ_RABBIT_MANAGEMENT_PORT=$((CHUANYU_CQ_RABBIT_PORT + 10000))
export CHUANYU_CQ_RABBIT_DIST_PORT=$((CHUANYU_CQ_RABBIT_PORT + 20000))
DATE=$(date -u +%Y-%m-%dT%H%MZ)
OUT="$ROOT/bench/results/faults-two-regions-$DATE.md"
mkdir -p "$WORK" "$ROOT/bench/results"
T_START=$SECONDS
log() { printf '[%4ds] %s\n' $((SECONDS - T_START)) "$*" | tee -a "$WORK/faults.log"; }
platform() { "$ROOT/platform" "$@" >>"$WORK/platform.log" 2>&1; }
cleanup() {
  set +e
  (( ${#LOADS[@]} )) && kill "${LOADS[@]}" 2>/dev/null
  "$ROOT/platform" down >>"$WORK/platform.log" 2>&1
  if [[ -z ${KEEP_WORK:-} ]]; then "$ROOT/platform" reset --yes >>"$WORK/platform.log" 2>&1; rm -rf "$WORK"; fi
}
LOADS=()
UP_PID=
trap cleanup EXIT
sql() { psql -qAtX -h localhost -U postgres -d "${CHUANYU_INSTANCE}_$1" -c "$2"; }   # sql sc_audit "select ..."
kv() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1==k {print $2}'; }
load_avg() { uptime | sed 's/.*load average: //'; }

# Every process of one node, killed at once (kill -9), then brought back by `./platform up --two-regions`.
kill_node() {
  local node=$1 f pids=()
  for f in "$CHUANYU_VAR/$node/run/"*.pid; do pids+=("$(basename "$f" .pid):$(cat "$f")"); done
  log "kill -9 every service of the ${node^^} node: ${pids[*]}"
  for f in "${pids[@]}"; do kill -9 "${f#*:}" 2>/dev/null || true; done
  sleep 2
  # ./platform up --two-regions starts what is not running, sets the link again, then waits until nothing is on its
  # way between the nodes (never, under load: it gives up after 120 s). The next fault waits only for the link.
  local t0=$SECONDS sets
  sets=$(grep -c "^Waiting for each node's agencies" "$WORK/platform.log" || true)
  platform up --two-regions &
  UP_PID=$!
  until (( $(grep -c "^Waiting for each node's agencies" "$WORK/platform.log" || true) > sets )); do
    kill -0 "$UP_PID" 2>/dev/null || { log "./platform up --two-regions failed after the kill (see $WORK/platform.log)"; return; }
    sleep 2
  done
  log "${node^^} node up again, link set ($((SECONDS - t0)) s after ./platform up --two-regions)"
}
cut_link() {
  wait "${UP_PID:-}" 2>/dev/null || true   # a restart's `up` still waiting must not set the link again meanwhile
  log "./platform link down (cut $1, $CUT s)"; platform link down
  sleep "$CUT"
  platform link up; log "./platform link up (cut $1 over)"
}

log "./platform up --two-regions (instance $CHUANYU_INSTANCE, ports $CHUANYU_PORT_BASE / $CHUANYU_PEER_PORT_BASE, CQ broker :$CHUANYU_CQ_RABBIT_PORT)"
T0=$SECONDS
platform up --two-regions || { tail -40 "$WORK/platform.log"; exit 1; }
UP_SECONDS=$((SECONDS - T0))
log "both nodes up in $UP_SECONDS s"
CRED=$CHUANYU_VAR/demo-credentials.json
SC_GW=$(jq -r .nodes.SC.gatewayUrl "$CRED"); CQ_GW=$(jq -r .nodes.CQ.gatewayUrl "$CRED")
SC_KEY=$(jq -r '.agencies["sc-chengdu-intermediate-court"].apiKey' "$CRED")
CQ_KEY=$(jq -r '.agencies["cq-first-intermediate-court"].apiKey' "$CRED")

PER_SIDE=$((EXCHANGES / 2))
DURATION=$((PER_SIDE / RPS + 1))
log "load: $PER_SIDE exchanges from each side at $RPS/s each (about $DURATION s), retries with the same Idempotency-Key"
java -Xmx256m "$ROOT/bench/Load.java" url="$SC_GW/api/v1/case-transfers" body=mix-sealed auth="bearer:$SC_KEY" \
  rps="$RPS" max="$PER_SIDE" seconds=$((DURATION + 5)) threads=16 retries=90 ids="$WORK/acked-sc.txt" \
  to-court=cq-first-intermediate-court to-police=cq-yubei-public-security >"$WORK/load-sc.txt" 2>&1 &
LOAD_SC=$!
java -Xmx256m "$ROOT/bench/Load.java" url="$CQ_GW/api/v1/case-transfers" body=mix-sealed auth="bearer:$CQ_KEY" \
  rps="$RPS" max="$PER_SIDE" seconds=$((DURATION + 5)) threads=16 retries=90 ids="$WORK/acked-cq.txt" \
  to-court=sc-chengdu-intermediate-court to-police=sc-mianyang-public-security >"$WORK/load-cq.txt" 2>&1 &
LOAD_CQ=$!
LOADS=("$LOAD_SC" "$LOAD_CQ")
# The faults one after the other, each when the one before is over (a node takes a while to start on 2 cores).
sleep 15; cut_link 1
sleep 10; kill_node sc
sleep 10; cut_link 2
sleep 10
for l in "$LOAD_SC" "$LOAD_CQ"; do kill -0 "$l" 2>/dev/null || log "note: a load (pid $l) had finished before the last fault"; done
kill_node cq
wait "$LOAD_SC" || true; wait "$LOAD_CQ" || true
wait "$UP_PID" || true
LOADS=()
T_LOAD_END=$SECONDS
R_SC=$(cat "$WORK/load-sc.txt"); R_CQ=$(cat "$WORK/load-cq.txt")
log "load from SC finished: $R_SC"
log "load from CQ finished: $R_CQ"

# Reconcile: the acknowledged ids go into a table in every database of both nodes.
for node in sc cq; do
  for db in case_transfer evidence audit; do
    sql "${node}_$db" "create table if not exists fault_acked (origin text, kind text, id text, at bigint)"
  done
done
load_ids() { # node-of-origin file
  local node db
  for node in sc cq; do for db in case_transfer evidence audit; do
    sed "s/^/$1 /" "$2" | psql -qAtX -h localhost -U postgres -d "${CHUANYU_INSTANCE}_${node}_$db" \
      -c "\\copy fault_acked from stdin with (format text, delimiter ' ')"
  done; done
}
load_ids SC "$WORK/acked-sc.txt"; load_ids CQ "$WORK/acked-cq.txt"
ACK_SC=$(wc -l <"$WORK/acked-sc.txt"); ACK_CQ=$(wc -l <"$WORK/acked-cq.txt")

# held: the exchange is stored on node $1 (as the original or as the replica)
held() {
  local ct ev
  ct=$(sql "$1_case_transfer" "select count(*) from fault_acked a where a.origin = '$2' and (
    (a.kind = 'transfer' and exists (select 1 from case_transfer t where t.id::text = a.id))
    or (a.kind = 'assistance' and exists (select 1 from assistance_request r where r.id::text = a.id)))")
  ev=$(sql "$1_evidence" "select count(*) from fault_acked a where a.origin = '$2' and a.kind = 'evidence'
    and exists (select 1 from evidence_package p where p.id::text = a.id)")
  echo $((ct + ev))
}
# relay_accepted: exchanges from origin $2 holding the destination's RELAY_ACCEPTED on node $1
relay_accepted() {
  local ct ev
  ct=$(sql "$1_case_transfer" "select count(*) from fault_acked a where a.origin = '$2' and a.kind <> 'evidence' and exists
    (select 1 from delivery_evidence d where d.exchange_id = a.id and d.type = 'RELAY_ACCEPTED')")
  ev=$(sql "$1_evidence" "select count(*) from fault_acked a where a.origin = '$2' and a.kind = 'evidence' and exists
    (select 1 from delivery_evidence d where d.package_id::text = a.id and d.type = 'RELAY_ACCEPTED')")
  echo $((ct + ev))
}
settled() { (( $(relay_accepted sc SC) >= ACK_SC && $(relay_accepted cq CQ) >= ACK_CQ )); }
DEADLINE=$((SECONDS + ${DRAIN_TIMEOUT:-900}))
until settled || (( SECONDS > DEADLINE )); do sleep 5; done
DRAIN=$((SECONDS - T_LOAD_END))
log "reconciling ($DRAIN s after the load ended)"

# audited: acknowledged exchanges from origin $2 with at least one entry in node $1's audit log
audited() { sql "$1_audit" "select count(*) from fault_acked a where a.origin = '$2' and exists
  (select 1 from audit_entry e where e.exchange_id = a.id)"; }
# The creation audited twice on one node, or one event id twice: a duplicate.
dup_created() { sql "$1_audit" "select count(*) from (select e.exchange_id, e.type from audit_entry e join fault_acked a
  on a.id = e.exchange_id where e.type in ('case-transfer.submitted', 'assistance.submitted', 'evidence.package-created',
  'evidence.sealed') group by 1, 2 having count(*) > 1) d"; }
dup_events() { sql "$1_audit" "select count(*) - count(distinct event_id) from audit_entry"; }
# RELAY_ACCEPTED issued twice for one exchange (audited twice in the issuer's log)
dup_relay() { sql "$1_audit" "select count(*) from (select e.exchange_id from audit_entry e join fault_acked a on a.id = e.exchange_id
  where e.type like '%.evidence-issued' and e.envelope like '%RELAY_ACCEPTED%' group by 1 having count(*) > 1) d" 2>/dev/null || echo '?'; }
stuck() { sql "$1_case_transfer" "select count(*) from link_pending"; }
failed_fetch() { sql "$1_evidence" "select count(*) from relay_item where state = 'FAILED'"; }
completeness() {
  curl -fsS "$1/api/v1/audit/completeness" -H "Authorization: Bearer $(jq -r ".nodes.$2.auditor.apiKey" "$CRED")" \
    2>/dev/null | jq -c '{complete, producers: [.producers[] | {producer, lastSeq, missingCount, duplicates}]}' 2>/dev/null \
    || echo unavailable
}
# Every signed evidence of a sample of exchanges, checked against the issuing node's key by the verifier users have.
NODES_JSON=$(curl -fsS "$SC_GW/api/v1/nodes" -H "Authorization: Bearer $SC_KEY")

{
  echo "# Fault suite across the border, $DATE"
  echo
  echo "$(nproc) CPUs, $(free -g | awk '/Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -1); git $(git -C "$ROOT" rev-parse --short HEAD)."
  echo "Command: \`RPS=$RPS bench/faults-two-regions.sh $EXCHANGES\`; load average at the end: $(load_avg)."
  echo "Two nodes started by \`./platform up --two-regions\` ($UP_SECONDS s): Sichuan on :$CHUANYU_PORT_BASE with the machine's"
  echo "RabbitMQ, Chongqing on :$CHUANYU_PEER_PORT_BASE with its own RabbitMQ node on :$CHUANYU_CQ_RABBIT_PORT, linked by a Shovel each way."
  echo "Faults, one after the other while both loads ran: the link cut twice for $CUT s (\`./platform link down\` /"
  echo "\`up\`); every service of the Sichuan node (gateway, case-transfer, evidence, audit, witness) killed at once with"
  echo "kill -9 and brought back by \`./platform up --two-regions\`; then the same for the Chongqing node."
  echo
  echo "| figure | from Sichuan to Chongqing | from Chongqing to Sichuan |"
  echo "|---|---|---|"
  echo "| exchanges submitted (transfers, assistance requests, sealed packages in turn) | $(kv "$R_SC" requests) | $(kv "$R_CQ" requests) |"
  echo "| acknowledged to the client (201; a package once sealed) | $ACK_SC | $ACK_CQ |"
  echo "| failed after retries (client was told; statuses) | $(kv "$R_SC" failed) ($(kv "$R_SC" statuses)) | $(kv "$R_CQ" failed) ($(kv "$R_CQ" statuses)) |"
  echo "| client retries in all | $(kv "$R_SC" retries) | $(kv "$R_CQ" retries) |"
  echo "| acknowledged and held by the origin node | $(held sc SC) | $(held cq CQ) |"
  echo "| acknowledged and held by the destination node (replica, same id) | $(held cq SC) | $(held sc CQ) |"
  echo "| with the destination's signed RELAY_ACCEPTED at the origin | $(relay_accepted sc SC) | $(relay_accepted cq CQ) |"
  echo "| with the destination's RELAY_ACCEPTED at the destination | $(relay_accepted cq SC) | $(relay_accepted sc CQ) |"
  echo "| in the origin's audit log | $(audited sc SC) | $(audited cq CQ) |"
  echo "| in the destination's audit log | $(audited cq SC) | $(audited sc CQ) |"
  echo "| **lost** (acknowledged, not held by the origin / not at the destination) | **$((ACK_SC - $(held sc SC)))** / **$((ACK_SC - $(held cq SC)))** | **$((ACK_CQ - $(held cq CQ)))** / **$((ACK_CQ - $(held sc CQ)))** |"
  echo "| all delivered after the load stopped | ${DRAIN} s | |"
  echo
  echo "| per node | Sichuan | Chongqing |"
  echo "|---|---|---|"
  echo "| **duplicated**: a creation audited twice / one event id twice / RELAY_ACCEPTED audited twice | **$(dup_created sc)** / **$(dup_events sc)** / **$(dup_relay sc)** | **$(dup_created cq)** / **$(dup_events cq)** / **$(dup_relay cq)** |"
  echo "| link events still held out of order (\`link_pending\`) | $(stuck sc) | $(stuck cq) |"
  echo "| evidence items whose fetch FAILED | $(failed_fetch sc) | $(failed_fetch cq) |"
  echo "| audit completeness (\`/api/v1/audit/completeness\`) | \`$(completeness "$SC_GW" SC)\` | \`$(completeness "$CQ_GW" CQ)\` |"
  echo
  echo "Node keys (\`GET /api/v1/nodes\`): \`$(jq -c '[.[]? // .nodes[]? | {region, noteVerifierKey: (.noteVerifierKey // .verifierKey)}]' <<<"$NODES_JSON" 2>/dev/null)\`"
  echo
  echo "Timeline:"
  echo '```'
  cat "$WORK/faults.log"
  echo '```'
} >"$OUT"
cat "$OUT"
LOST=$(( (ACK_SC - $(held sc SC)) + (ACK_SC - $(held cq SC)) + (ACK_CQ - $(held cq CQ)) + (ACK_CQ - $(held sc CQ)) ))
NO_RELAY=$(( (ACK_SC - $(relay_accepted sc SC)) + (ACK_CQ - $(relay_accepted cq CQ)) ))
DUPS=$(( $(dup_created sc) + $(dup_created cq) + $(dup_events sc) + $(dup_events cq) ))
(( LOST == 0 && NO_RELAY == 0 && DUPS == 0 )) || { echo "FAILED: lost $LOST, without RELAY_ACCEPTED $NO_RELAY, duplicated $DUPS"; exit 1; }
