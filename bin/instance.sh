# shellcheck shell=bash
# The launch recipe, the one copy that ./platform, bench/ and the system tests share (source it; bin/launch runs
# it): what an instance of the platform is called, where its files live, which ports, databases and vhost it uses,
# and how one of its services starts. Two checkouts on one machine stay apart by CHUANYU_INSTANCE and
# CHUANYU_PORT_BASE.

CHUANYU_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHUANYU_INSTANCE=${CHUANYU_INSTANCE:-chuanyu}
CHUANYU_PORT_BASE=${CHUANYU_PORT_BASE:-8080}
CHUANYU_VAR=${CHUANYU_VAR:-$CHUANYU_ROOT/var}
CHUANYU_VHOST=${CHUANYU_VHOST:-$CHUANYU_INSTANCE}
DB_HOST=${DB_HOST:-localhost}; DB_PORT=${DB_PORT:-5432}
DB_USER=${DB_USER:-${PGUSER:-postgres}}; DB_PASSWORD=${DB_PASSWORD:-${PGPASSWORD:-}}
RABBIT_HOST=${RABBIT_HOST:-localhost}; RABBIT_PORT=${RABBIT_PORT:-5672}
REDIS_HOST=${REDIS_HOST:-localhost}; REDIS_PORT=${REDIS_PORT:-6379}

# In start order: the witness first (the audit service submits its checkpoints to it), the gateway last, it seeds
# the registry and announces agencies to the others.
CHUANYU_SERVICES=(witness audit-service case-transfer-service evidence-exchange-service gateway)

instance_check_names() {
  [[ $CHUANYU_INSTANCE =~ ^[a-z][a-z0-9_]{0,39}$ ]] \
    || { echo "CHUANYU_INSTANCE='$CHUANYU_INSTANCE': use 1-40 of a-z, 0-9 and _, starting with a letter" >&2; return 1; }
  if ! [[ $CHUANYU_PORT_BASE =~ ^[0-9]{4,5}$ ]] || (( CHUANYU_PORT_BASE < 1024 || CHUANYU_PORT_BASE > 65000 )); then
    echo "CHUANYU_PORT_BASE='$CHUANYU_PORT_BASE': use a number from 1024 to 65000" >&2; return 1
  fi
}

# The gateway on the base, the services on base+1..base+3.
service_port() {
  case $1 in
    gateway) echo "$CHUANYU_PORT_BASE" ;;
    case-transfer-service) echo $((CHUANYU_PORT_BASE + 1)) ;;
    evidence-exchange-service) echo $((CHUANYU_PORT_BASE + 2)) ;;
    audit-service) echo $((CHUANYU_PORT_BASE + 3)) ;;
    witness) echo $((CHUANYU_PORT_BASE + 4)) ;;
    *) echo "unknown service: $1" >&2; return 1 ;;
  esac
}

# The witness has no database and no broker account: it keeps its state in files ($CHUANYU_VAR/witness).
service_has_accounts() { [[ $1 != witness ]]; }

service_db() {
  case $1 in
    gateway) echo "${CHUANYU_INSTANCE}_gateway" ;;
    case-transfer-service) echo "${CHUANYU_INSTANCE}_case_transfer" ;;
    evidence-exchange-service) echo "${CHUANYU_INSTANCE}_evidence" ;;
    audit-service) echo "${CHUANYU_INSTANCE}_audit" ;;
    witness) ;;
    *) echo "unknown service: $1" >&2; return 1 ;;
  esac
}

instance_databases() { local s; for s in "${CHUANYU_SERVICES[@]}"; do service_has_accounts "$s" && service_db "$s"; done; }

# The packaged jar of a service, if it was built (a glob, not ls | grep: no match must not end a set -e script).
jar_of() {
  local jar
  for jar in "$CHUANYU_ROOT/$1/target/$1-"*.jar; do
    [[ -f $jar && $jar != *-tests.jar && $jar != *.original ]] && { echo "$jar"; return 0; }
  done
  return 1
}

# Copies every service's jar into $CHUANYU_VAR/lib: a rebuild never swaps a jar under a live process.
stage_jars() {
  local s jar
  mkdir -p "$CHUANYU_VAR/lib"
  for s in "${CHUANYU_SERVICES[@]}"; do
    jar=$(jar_of "$s") || { echo "no packaged jar for $s: build first (mvn -B -DskipTests package)" >&2; return 1; }
    cp "$jar" "$CHUANYU_VAR/lib/$s.jar"
  done
}

# The gateway's principal-signing key pair, made once per instance (tests put their own there first).
ensure_gateway_key() {
  mkdir -p "$CHUANYU_VAR/keys"; chmod 700 "$CHUANYU_VAR/keys"
  [[ -f $CHUANYU_VAR/keys/gateway-private.pem ]] && return 0
  (umask 077 && openssl genpkey -algorithm ed25519 -out "$CHUANYU_VAR/keys/gateway-private.pem")
  openssl pkey -in "$CHUANYU_VAR/keys/gateway-private.pem" -pubout -out "$CHUANYU_VAR/keys/gateway-public.pem"
}

# The audit log's key and the witness's key, made here before either starts, so that each is configured with the
# other's verifier key from the first start (no trust on first use). PKCS#8 private key with its public key appended,
# the form KeyFiles.ed25519 reads; an existing key (the audit service may have made its own earlier) is kept.
ensure_witness_keys() {
  local f
  mkdir -p "$CHUANYU_VAR/keys" "$CHUANYU_VAR/witness"; chmod 700 "$CHUANYU_VAR/keys" "$CHUANYU_VAR/witness"
  for f in "$CHUANYU_VAR/keys/audit-log-ed25519.key" "$CHUANYU_VAR/witness/witness-ed25519.key"; do
    [[ -f $f ]] && continue
    (umask 077 && openssl genpkey -algorithm ed25519 -out "$f.tmp" && openssl pkey -in "$f.tmp" -pubout >>"$f.tmp" \
      && mv "$f.tmp" "$f")
  done
}

# A signed-note verifier key <name>+<hex key id>+<base64(type || key)> of an Ed25519 key file: $1 name, $2 type
# (octal: 001 a note signer such as the log, 004 a cosignature/v1 witness), $3 the key file.
note_verifier_key() {
  local id b64
  id=$( { printf '%s\n' "$1"; printf "\\$2"; openssl pkey -in "$3" -pubout -outform DER | tail -c 32; } \
    | openssl dgst -sha256 -binary | head -c 4 | od -An -tx1 | tr -d ' \n')
  b64=$( { printf "\\$2"; openssl pkey -in "$3" -pubout -outform DER | tail -c 32; } | openssl base64 -A)
  echo "$1+$id+$b64"
}

# The witness's settings, and the audit service's pointer to it (CHUANYU_AUDIT_WITNESSES), when both keys exist.
export_witness_env() {
  local log_key="$CHUANYU_VAR/keys/audit-log-ed25519.key" witness_key="$CHUANYU_VAR/witness/witness-ed25519.key"
  export WITNESS_NAME="${WITNESS_NAME:-witness.$CHUANYU_INSTANCE.local}" WITNESS_KEY_FILE="$witness_key"
  export WITNESS_STATE_DIR="$CHUANYU_VAR/witness/state"
  [[ -f $log_key && -f $witness_key ]] || return 0
  export WITNESS_LOGS CHUANYU_AUDIT_WITNESSES
  WITNESS_LOGS=$(note_verifier_key "${AUDIT_LOG_ORIGIN:-chuanyu.exchange/audit-log}" 001 "$log_key")
  CHUANYU_AUDIT_WITNESSES="$(note_verifier_key "$WITNESS_NAME" 004 "$witness_key")@http://localhost:$(service_port witness)"
}

# The JVM command line of a service; extra arguments (Spring properties) go last. Every process carries
# -Dchuanyu.instance=<name>, so what belongs to an instance can be found (and must be gone after a stop).
# CHUANYU_SERVICE_PORT overrides the port (a second instance of one service beside the first).
service_command() {
  local s=$1; shift
  local port opts
  port=${CHUANYU_SERVICE_PORT:-$(service_port "$s")}
  read -r -a opts <<<"${CHUANYU_JAVA_OPTS:--Xms128m -Xmx1g}"
  SERVICE_COMMAND=(java "-Dchuanyu.instance=$CHUANYU_INSTANCE" "${opts[@]}" -jar "$CHUANYU_VAR/lib/$s.jar"
    "--server.port=$port")
  [[ $s == gateway ]] && SERVICE_COMMAND+=("--chuanyu.demo.credentials-file=$CHUANYU_VAR/demo-credentials.json")
  # Local instances only: lets webhooks point at a receiver on this machine.
  [[ $s == case-transfer-service ]] && SERVICE_COMMAND+=("--chuanyu.webhooks.allow-private-targets=true")
  [[ -n ${CONSUL_HOST:-} ]] && SERVICE_COMMAND+=("--spring.profiles.active=consul")
  SERVICE_COMMAND+=("$@")
}

# The environment every service of the instance reads (see each application.yml and chuanyu-defaults.yml).
export_service_env() {
  local b=$CHUANYU_PORT_BASE
  export GATEWAY_PUBLIC_KEY="file:$CHUANYU_VAR/keys/gateway-public.pem"
  export GATEWAY_PRIVATE_KEY="file:$CHUANYU_VAR/keys/gateway-private.pem"
  export AUDIT_SIGNING_KEY_FILE="$CHUANYU_VAR/keys/audit-log-ed25519.key"
  export EVIDENCE_SIGNING_KEY_FILE="$CHUANYU_VAR/keys/evidence-signing-ed25519.pem"
  export CHUANYU_SM2_ENABLED="${CHUANYU_SM2_ENABLED:-true}" # SM2/SM3 beside Ed25519/SHA-256 (issue 16)
  # evidence-exchange-service's own identity for its calls to case-transfer-service: it makes the pair on first
  # start; case-transfer-service reads the public half when it first needs it, so start order does not matter.
  export EVIDENCE_SERVICE_KEY_FILE="$CHUANYU_VAR/keys/evidence-exchange-service-private.pem"
  export EVIDENCE_SERVICE_PUBLIC_KEY="file:$CHUANYU_VAR/keys/evidence-exchange-service-public.pem"
  # audit-service's own identity, for the proof bundle's calls to the other two services (same scheme).
  export AUDIT_SERVICE_KEY_FILE="$CHUANYU_VAR/keys/audit-service-private.pem"
  export AUDIT_SERVICE_PUBLIC_KEY="file:$CHUANYU_VAR/keys/audit-service-public.pem"
  export EVIDENCE_STORE_DIR="${EVIDENCE_STORE_DIR:-$CHUANYU_VAR/evidence-store}"
  export GATEWAY_DB_NAME="${CHUANYU_INSTANCE}_gateway" CASE_TRANSFER_DB_NAME="${CHUANYU_INSTANCE}_case_transfer"
  export EVIDENCE_DB_NAME="${CHUANYU_INSTANCE}_evidence" AUDIT_DB_NAME="${CHUANYU_INSTANCE}_audit"
  export DB_HOST DB_PORT DB_USER DB_PASSWORD RABBIT_HOST RABBIT_PORT REDIS_HOST REDIS_PORT
  export RABBIT_VHOST="$CHUANYU_VHOST" RATE_LIMIT_KEY_PREFIX="$CHUANYU_INSTANCE:"
  export GATEWAY_URL="http://localhost:$b" CASE_TRANSFER_URL="http://localhost:$((b + 1))"
  export EVIDENCE_URL="http://localhost:$((b + 2))" AUDIT_URL="http://localhost:$((b + 3))"
  export_witness_env
}

# The pids of every process of this instance, whoever started it.
instance_pids() { pgrep -f -- "-Dchuanyu\.instance=$CHUANYU_INSTANCE( |\$)" || true; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# rabbitmqctl and psql with this instance's settings.
rabbitctl() { rabbitmqctl -q "$@"; }
pg() { PGPASSWORD=$DB_PASSWORD psql -qAtX -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" "$@"; }

ensure_vhost() {
  [[ $CHUANYU_VHOST == / ]] && return 0
  rabbitctl list_vhosts name 2>/dev/null | grep -qx -- "$CHUANYU_VHOST" && return 0
  rabbitctl add_vhost "$CHUANYU_VHOST" >/dev/null
  # guest is the operator's account on a development broker (bin/demo injects a dead letter with it); the services
  # have their own users, and the audit service believes no event guest publishes.
  rabbitctl set_permissions -p "$CHUANYU_VHOST" "${RABBIT_USER:-guest}" '.*' '.*' '.*' >/dev/null
}

# Accounts: no service runs as the database superuser or as the broker's guest.
#  - PostgreSQL: <instance>_owner owns the instance's databases and everything in them and is used only by
#    migrations (spring.flyway.user); each service logs in as <instance>_<name> (gateway, case_transfer, evidence,
#    audit) with select, insert, update and delete on the owner's tables through default privileges. The audit
#    service's own migration takes back all but insert and select on its log; not owning the tables, no service can
#    alter them or switch off their triggers.
#  - RabbitMQ: each service is the broker user <instance>-<name> (gateway, case-transfer, evidence, audit), which may
#    publish to chuanyu.events only its own event types (topic permissions) and declare and read only its own queues.
#    Every message carries the user-id of its sender, which the broker checks; the audit service takes an event's
#    producer from it (AUDIT_PUBLISHERS).
# Passwords are made once per instance in $CHUANYU_VAR/secrets (mode 600; var/ is not in git) and reach the services
# through their environment; the recipe never prints them.

service_account() {
  case $1 in
    gateway) echo gateway ;;
    case-transfer-service) echo case_transfer ;;
    evidence-exchange-service) echo evidence ;;
    audit-service) echo audit ;;
    *) echo "unknown service: $1" >&2; return 1 ;;
  esac
}
db_owner_role() { echo "${CHUANYU_INSTANCE}_owner"; }
db_service_role() { echo "${CHUANYU_INSTANCE}_$(service_account "$1")"; }
rabbit_user() { local a; a=$(service_account "$1") && echo "${CHUANYU_INSTANCE}-${a//_/-}"; }

# The event types a service publishes (a regex over routing keys of chuanyu.events).
service_routing_keys() {
  case $1 in
    gateway) echo '^(agency|gateway)\.' ;;
    case-transfer-service) echo '^(case-transfer|assistance)\.' ;;
    evidence-exchange-service) echo '^evidence\.' ;;
    audit-service) echo '^ops\.' ;;
  esac
}

# The binding keys a service may bind to chuanyu.events (topic read permission): every service binds the audit
# queue to every event ('#'); the agency directories bind theirs to the registry's events; case-transfer-service
# learns seals (evidence.sealed).
service_binding_keys() {
  case $1 in
    case-transfer-service) echo '^(#|agency\.\*|evidence\.sealed)$' ;;
    evidence-exchange-service) echo '^(#|agency\.\*)$' ;;
    *) echo '^#$' ;;
  esac
}

# The queues a service consumes (with their retry and dead-letter queues); the audit service also reads and
# replays every consumer's dead letters.
service_queues() {
  case $1 in
    case-transfer-service) echo 'case-transfer-service\.(agencies|evidence-sealed)' ;;
    evidence-exchange-service) echo 'evidence-exchange-service\.agencies' ;;
    audit-service) echo '[a-z-]+-service\.[a-z-]+' ;;
  esac
}

# user=producer for every service: how the audit service tells who published an event.
audit_publishers() {
  local s out=()
  for s in "${CHUANYU_SERVICES[@]}"; do service_has_accounts "$s" && out+=("$(rabbit_user "$s")=$s"); done
  (IFS=,; echo "${out[*]}")
}

# A password of this instance, made on first use.
instance_secret() {
  local f="$CHUANYU_VAR/secrets/$1"
  if [[ ! -s $f ]]; then
    mkdir -p "$CHUANYU_VAR/secrets"; chmod 700 "$CHUANYU_VAR/secrets"
    (umask 077 && openssl rand -hex 24 >"$f")
  fi
  cat "$f"
}

# A login role with the instance's password for it (set again each time: the secrets file is the truth).
ensure_db_role() {
  local role=$1 password
  password=$(instance_secret "db-$role")
  pg -d postgres >/dev/null <<SQL
select format('create role %I', '$role') where not exists (select from pg_roles where rolname = '$role') \gexec
alter role "$role" login nosuperuser nocreatedb nocreaterole noreplication password '$password';
SQL
}

# The service's database, owned by the owner role, which only the service's role may connect to.
ensure_db_grants() {
  local s=$1 db owner role
  db=$(service_db "$s"); owner=$(db_owner_role); role=$(db_service_role "$s")
  if [[ -z $(pg -d postgres -c "select 1 from pg_database where datname = '$db'") ]]; then
    pg -d postgres -c "create database \"$db\" owner \"$owner\"" >/dev/null
  fi
  pg -d postgres >/dev/null <<SQL
alter database "$db" owner to "$owner";
revoke all on database "$db" from public;
grant connect, temporary on database "$db" to "$role";
SQL
  pg -d "$db" >/dev/null <<SQL
alter schema public owner to "$owner";
revoke all on schema public from public;
grant usage on schema public to "$role";
alter default privileges for role "$owner" in schema public grant select, insert, update, delete on tables to "$role";
alter default privileges for role "$owner" in schema public grant usage, select, update on sequences to "$role";
-- What an earlier start made as another role (before services had accounts) passes to the owner, and the service
-- gets the rights the default privileges would have given (the audit service's migration narrows its own).
do \$adopt\$
declare o record;
begin
    for o in select c.oid::regclass as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'public' and c.relkind in ('r', 'p', 'v') and pg_get_userbyid(c.relowner) <> '$owner' loop
        execute format('alter table %s owner to %I', o.name, '$owner');
        execute format('grant select, insert, update, delete on %s to %I', o.name, '$role');
    end loop;
    for o in select c.oid::regclass as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'public' and c.relkind = 'S' and pg_get_userbyid(c.relowner) <> '$owner' loop
        execute format('alter sequence %s owner to %I', o.name, '$owner');
        execute format('grant usage, select, update on sequence %s to %I', o.name, '$role');
    end loop;
    for o in select p.oid::regprocedure as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
             where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> '$owner' loop
        execute format('alter routine %s owner to %I', o.name, '$owner');
    end loop;
end
\$adopt\$;
SQL
}

# A password as RabbitMQ stores it (rabbit_password_hashing_sha256): base64(salt ++ sha256(salt ++ password)).
rabbit_password_hash() {
  local salt bytes
  salt=$(openssl rand -hex 4)
  bytes="\\x${salt:0:2}\\x${salt:2:2}\\x${salt:4:2}\\x${salt:6:2}"
  # shellcheck disable=SC2059 # the format is the salt's bytes
  { printf "$bytes"; { printf "$bytes"; printf '%s' "$1"; } | openssl dgst -sha256 -binary; } | openssl base64 -A
}

# The broker users of every service with their rights, in one import (rabbitmqctl takes seconds per call).
ensure_rabbit_users() {
  local s user shared retries own conf write read definitions='{"users":[],"permissions":[],"topic_permissions":[]}'
  # Every publisher declares the audit queue (no event may miss it) and its dead-letter exchange.
  shared='chuanyu\.events|chuanyu\.dead-letters|audit-service\.events(\.retry\.[0-9]+|\.dlq)?'
  retries='(\.retry\.[0-9]+|\.dlq)?'
  for s in "${CHUANYU_SERVICES[@]}"; do
    service_has_accounts "$s" || continue
    user=$(rabbit_user "$s")
    own=$(service_queues "$s")
    if [[ -n $own ]]; then
      conf="^($shared|$own$retries)\$"
      # amq.default: a consumer sends a failed message round its retry queues through the default exchange.
      write="^($shared|amq\\.default|$own$retries)\$"
      read="^(chuanyu\\.events|chuanyu\\.dead-letters|$own$retries)\$"
    else
      conf="^($shared)\$"; write="^($shared)\$"; read='^(chuanyu\.events|chuanyu\.dead-letters)$'
    fi
    definitions=$(jq -c --arg u "$user" --arg h "$(rabbit_password_hash "$(instance_secret "rabbit-$user")")" \
      --arg v "$CHUANYU_VHOST" --arg c "$conf" --arg w "$write" --arg r "$read" --arg k "$(service_routing_keys "$s")" \
      --arg b "$(service_binding_keys "$s")" '
      .users += [{name: $u, password_hash: $h, hashing_algorithm: "rabbit_password_hashing_sha256", tags: []}]
      | .permissions += [{user: $u, vhost: $v, configure: $c, write: $w, read: $r}]
      | .topic_permissions += [{user: $u, vhost: $v, exchange: "chuanyu.events", write: $k, read: $b}]' \
      <<<"$definitions")
  done
  rabbitctl import_definitions <<<"$definitions" >/dev/null
}

# The instance's roles, databases and broker users with their rights (run before its services start; idempotent).
ensure_accounts() {
  local s
  ensure_vhost
  ensure_db_role "$(db_owner_role)"
  for s in "${CHUANYU_SERVICES[@]}"; do
    service_has_accounts "$s" || continue
    ensure_db_role "$(db_service_role "$s")"
    ensure_db_grants "$s"
  done
  ensure_rabbit_users
}

# The account settings of one service, as the environment its application.yml reads.
export_service_accounts() {
  local s=$1 owner role user
  service_has_accounts "$s" || return 0
  owner=$(db_owner_role); role=$(db_service_role "$s"); user=$(rabbit_user "$s")
  export DB_USER="$role" DB_PASSWORD; DB_PASSWORD=$(instance_secret "db-$role")
  export SPRING_FLYWAY_USER="$owner" SPRING_FLYWAY_PASSWORD; SPRING_FLYWAY_PASSWORD=$(instance_secret "db-$owner")
  export RABBIT_USER="$user" RABBIT_PASSWORD; RABBIT_PASSWORD=$(instance_secret "rabbit-$user")
  if [[ $s == audit-service ]]; then export AUDIT_PUBLISHERS; AUDIT_PUBLISHERS=$(audit_publishers); fi
  # The databases exist (ensure_accounts made them) and the service's role may not create any.
  export CHUANYU_DATABASE_CREATE_IF_MISSING=false
}

# Drops the instance's databases first (roles that own objects cannot go), then its roles, broker users and vhost.
drop_instance_data() {
  local db s user
  for db in $(instance_databases); do pg -d postgres -c "drop database if exists \"$db\" with (force)" >/dev/null; done
  for s in "${CHUANYU_SERVICES[@]}"; do
    service_has_accounts "$s" || continue
    pg -d postgres -c "drop role if exists \"$(db_service_role "$s")\"" >/dev/null
    rabbitctl delete_user "$(rabbit_user "$s")" >/dev/null 2>&1 || true
  done
  pg -d postgres -c "drop role if exists \"$(db_owner_role)\"" >/dev/null
  [[ $CHUANYU_VHOST == / ]] || rabbitctl delete_vhost "$CHUANYU_VHOST" >/dev/null 2>&1 || true
}
