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
# The management HTTP API of the instance's broker (the ops endpoints read and set the link's Shovel through it).
RABBIT_MANAGEMENT_PORT=${RABBIT_MANAGEMENT_PORT:-15672}
# Two regions (./platform up --two-regions, docs/two-regions.md): the Chongqing node's port base, and its own
# RabbitMQ node (AMQP, management HTTP and Erlang distribution ports).
CHUANYU_PEER_PORT_BASE=${CHUANYU_PEER_PORT_BASE:-$((CHUANYU_PORT_BASE + 1000))}
CHUANYU_CQ_RABBIT_PORT=${CHUANYU_CQ_RABBIT_PORT:-5673}
CHUANYU_CQ_RABBIT_MANAGEMENT_PORT=${CHUANYU_CQ_RABBIT_MANAGEMENT_PORT:-15673}
CHUANYU_CQ_RABBIT_DIST_PORT=${CHUANYU_CQ_RABBIT_DIST_PORT:-25673}

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

# The settings of two regions, checked before a node is picked: node instance names <base>_sc stay within 40
# characters, and the two nodes' ports (base .. base+5) do not overlap.
pair_check_names() {
  instance_check_names || return 1
  (( ${#CHUANYU_INSTANCE} <= 37 )) \
    || { echo "CHUANYU_INSTANCE='$CHUANYU_INSTANCE': at most 37 characters in two-region mode (nodes add _sc, _cq)" >&2; return 1; }
  if ! [[ $CHUANYU_PEER_PORT_BASE =~ ^[0-9]{4,5}$ ]] || (( CHUANYU_PEER_PORT_BASE < 1024 || CHUANYU_PEER_PORT_BASE > 65000 )) \
      || (( CHUANYU_PEER_PORT_BASE - CHUANYU_PORT_BASE < 6 && CHUANYU_PORT_BASE - CHUANYU_PEER_PORT_BASE < 6 )); then
    echo "CHUANYU_PEER_PORT_BASE='$CHUANYU_PEER_PORT_BASE' (the Chongqing node's ports): a number from 1024 to 65000," \
      "at least 6 away from CHUANYU_PORT_BASE=$CHUANYU_PORT_BASE" >&2; return 1
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
    sha256sum "$CHUANYU_VAR/lib/$s.jar" | cut -d' ' -f1 >"$CHUANYU_VAR/lib/$s.jar.sha256"
  done
}

# Class data sharing (issue 17): a service starts from its jar extracted (java -Djarmode=tools ... extract) with a
# dynamic CDS archive of the classes it loads while starting, made by one training run (Spring's
# -Dspring.context.exit=onRefresh: the context is built, nothing is started or served, the JVM dumps the archive as
# it exits). Both live in $CHUANYU_CDS_DIR/<service>-<jar checksum>/, shared by every instance of this checkout,
# made on the first start of a jar (that start takes about twice as long) and never changed afterwards; the archive's
# name carries the JVM's version, so a new JDK makes a new one. -Xshare:auto: an archive the JVM cannot use is
# skipped with a warning, never a failed start. CHUANYU_CDS=off starts from the staged jar as before.
CHUANYU_CDS=${CHUANYU_CDS:-on}
CHUANYU_CDS_DIR=${CHUANYU_CDS_DIR:-$CHUANYU_ROOT/var/cds}

cds_enabled() { [[ $CHUANYU_CDS != off ]]; }

# The folder of a staged jar's extraction and archive (not made here); stage_jars notes each jar's checksum.
cds_dir() {
  local jar="$CHUANYU_VAR/lib/$1.jar" sum
  if [[ -f $jar.sha256 && ! $jar -nt $jar.sha256 ]]; then sum=$(cut -c1-16 "$jar.sha256")
  else sum=$(sha256sum "$jar" | cut -c1-16) || return 1
  fi
  echo "$CHUANYU_CDS_DIR/$1-$sum"
}

# The archive's file in that folder, named after the JVM that makes and reads it (service_command sets the key).
cds_archive() { echo "$1/app-${CDS_JVM_KEY:?}.jsa"; }

# Extracts a staged jar into its folder, once (into a temporary folder renamed into place, so a second launch of
# the same jar meanwhile never sees half of it). Prints the folder.
cds_extract() {
  local s=$1 dir tmp
  dir=$(cds_dir "$s") || return 1
  if [[ ! -f $dir/$s.jar ]]; then
    mkdir -p "$CHUANYU_CDS_DIR"
    tmp=$(mktemp -d "$dir.tmp.XXXXXX") || return 1
    if ! java -Xshare:auto -XX:TieredStopAtLevel=1 -Djarmode=tools -jar "$CHUANYU_VAR/lib/$s.jar" extract \
        --destination "$tmp/x" --force >/dev/null || ! mv -T "$tmp/x" "$dir" 2>/dev/null; then
      rm -rf "$tmp"
      [[ -f $dir/$s.jar ]] || return 1   # another launch won the race
    fi
    rm -rf "$tmp"
    # Each build adds about 150 MB: keep the three newest of a service (an older one's JVMs keep their open files).
    local old
    while read -r old; do rm -rf "$old"; done < <(find "$CHUANYU_CDS_DIR" -maxdepth 1 -name "$s-????????????????" \
      -printf '%T@ %p\n' | sort -rn | tail -n +4 | cut -d' ' -f2-)
  fi
  echo "$dir"
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
    (umask 077 && openssl genpkey -algorithm ed25519 -out "$f.new" && openssl pkey -in "$f.new" -pubout -out "$f.pub" \
      && cat "$f.new" "$f.pub" >"$f.tmp" && rm -f "$f.new" "$f.pub" && mv "$f.tmp" "$f")
  done
}

# A signed-note verifier key <name>+<hex key id>+<base64(type || key)> of an Ed25519 key file: $1 name, $2 type
# (octal: 001 a note signer such as the log, 004 a cosignature/v1 witness), $3 the key file.
# shellcheck disable=SC2059 # the format is the type byte, in octal
note_verifier_key() {
  local id b64
  id=$( { printf '%s\n' "$1"; printf "\\$2"; openssl pkey -in "$3" -pubout -outform DER | tail -c 32; } \
    | openssl dgst -sha256 -binary | head -c 4 | od -An -tx1 | tr -d ' \n')
  b64=$( { printf "\\$2"; openssl pkey -in "$3" -pubout -outform DER | tail -c 32; } | openssl base64 -A)
  echo "$1+$id+$b64"
}

# The witness's settings, and the audit service's pointer to it (CHUANYU_AUDIT_WITNESSES), when both keys exist.
# One node: its own witness, an independent process, witnesses its log. Two regions: each node's witness witnesses
# the OTHER region's log, so a node's published checkpoint carries the other region's cosignature; each log has its
# own origin (<node name>/audit-log), both keys are made by stage before either node starts.
export_witness_env() {
  local log_key="$CHUANYU_VAR/keys/audit-log-ed25519.key" witness_key="$CHUANYU_VAR/witness/witness-ed25519.key"
  local watched_name watched_key witness_name witness_url
  export WITNESS_NAME="${WITNESS_NAME:-witness.$CHUANYU_INSTANCE.local}" WITNESS_KEY_FILE="$witness_key"
  export WITNESS_STATE_DIR="$CHUANYU_VAR/witness/state"
  if [[ -n ${CHUANYU_PAIR_NODE:-} ]]; then
    export AUDIT_LOG_ORIGIN; AUDIT_LOG_ORIGIN="$(node_name "$CHUANYU_PAIR_NODE")/audit-log"
    watched_name="$(node_name "$CHUANYU_PAIR_PEER")/audit-log"; watched_key="$CHUANYU_PAIR_PEER_VAR/keys/audit-log-ed25519.key"
    witness_name="witness.$CHUANYU_PAIR_PEER_INSTANCE.local"; witness_key="$CHUANYU_PAIR_PEER_VAR/witness/witness-ed25519.key"
    witness_url="http://localhost:$((CHUANYU_PAIR_PEER_PORT_BASE + 4))"
  else
    watched_name="${AUDIT_LOG_ORIGIN:-chuanyu.exchange/audit-log}"; watched_key=$log_key
    witness_name=$WITNESS_NAME; witness_url="http://localhost:$(service_port witness)"
  fi
  [[ -f $watched_key && -f $witness_key ]] || return 0
  export WITNESS_LOGS CHUANYU_AUDIT_WITNESSES
  WITNESS_LOGS=$(note_verifier_key "$watched_name" 001 "$watched_key")
  CHUANYU_AUDIT_WITNESSES="$(note_verifier_key "$witness_name" 004 "$witness_key")@$witness_url"
}

# The JVM command line of a service; extra arguments (Spring properties) go last. Every process carries
# -Dchuanyu.instance=<name>, so what belongs to an instance can be found (and must be gone after a stop).
# CHUANYU_SERVICE_PORT overrides the port (a second instance of one service beside the first).
service_command() {
  local s=$1; shift
  local port opts
  port=${CHUANYU_SERVICE_PORT:-$(service_port "$s")}
  local jar="$CHUANYU_VAR/lib/$s.jar" cds=() dir archive
  read -r -a opts <<<"${CHUANYU_JAVA_OPTS:--Xms128m -Xmx1g}"
  # CDS_TRAINING (set by bin/launch for the training run): dump the archive to that file instead of using one.
  [[ -n ${CDS_JVM_KEY:-} ]] || CDS_JVM_KEY=$(java -version 2>&1 | cksum | cut -d' ' -f1)
  if cds_enabled && dir=$(cds_extract "$s"); then
    jar="$dir/$s.jar"; archive=$(cds_archive "$dir")
    if [[ -n ${CDS_TRAINING:-} ]]; then
      cds=("-XX:ArchiveClassesAtExit=$CDS_TRAINING" "-Xlog:cds*=error" -Dspring.context.exit=onRefresh)
    elif [[ -f $archive ]]; then
      cds=(-Xshare:auto "-XX:SharedArchiveFile=$archive")
    fi
  fi
  # The options of CHUANYU_JAVA_OPTS come after the archive's, so they can override them (-Xshare:off).
  SERVICE_COMMAND=(java "-Dchuanyu.instance=$CHUANYU_INSTANCE" "${cds[@]}" "${opts[@]}" -jar "$jar"
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
  [[ -n ${CHUANYU_REGION:-} ]] && export_node_env
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

# rabbitmqctl and psql with this instance's settings (CHUANYU_RABBIT_NODE: the Chongqing node's own broker).
rabbitctl() { rabbitmqctl -q ${CHUANYU_RABBIT_NODE:+-n "$CHUANYU_RABBIT_NODE"} "$@"; }
pg() { PGOPTIONS="-c client_min_messages=warning" PGPASSWORD=$DB_PASSWORD psql -qAtX -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" "$@"; }

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
    case-transfer-service) echo 'case-transfer-service\.(agencies|evidence-sealed|link-in)' ;;
    evidence-exchange-service) echo 'evidence-exchange-service\.(agencies|link-in)' ;;
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
instance_secret() { secret_in "$CHUANYU_VAR" "$1"; }
# A password kept in another folder's secrets (the peer node's, in two-region mode).
secret_in() {
  local f="$1/secrets/$2"
  if [[ ! -s $f ]]; then
    mkdir -p "$1/secrets"; chmod 700 "$1/secrets"
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
  local s user shared retries own conf write read definitions
  # The topology too (exchanges, consumer queues with their retry and dead-letter queues, bindings, policies: the
  # same infra/rabbitmq/definitions.json that RabbitDefinitionsTest holds to the code), so it exists before any
  # service starts: otherwise what the gateway announces while a service is still starting finds no queue bound
  # yet, and the broker drops it.
  definitions=$(jq -c --arg v "$CHUANYU_VHOST" '{users: [], permissions: [], topic_permissions: [],
      exchanges: [.exchanges[] | .vhost = $v], queues: [.queues[] | .vhost = $v],
      bindings: [.bindings[] | .vhost = $v], policies: [.policies[] | .vhost = $v]}' \
    "$CHUANYU_ROOT/infra/rabbitmq/definitions.json")
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
      # chuanyu.link.in: what the peer region's node sent (two-region mode; the exchange exists only there).
      read="^(chuanyu\\.events|chuanyu\\.dead-letters|chuanyu\\.link\\.in|$own$retries)\$"
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
    if [[ -n $(link_binding_keys "$s") ]]; then
      definitions=$(jq -c --arg u "$user" --arg v "$CHUANYU_VHOST" --arg b "$(link_binding_keys "$s")" '
        .topic_permissions += [{user: $u, vhost: $v, exchange: "chuanyu.link.in", write: "^$", read: $b}]' \
        <<<"$definitions")
    fi
  done
  [[ -n ${CHUANYU_REGION:-} ]] && definitions=$(link_definitions <<<"$definitions")
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
  # The ops endpoints (audit-service) pause and resume the link's Shovel through the broker's management API.
  if [[ -n ${CHUANYU_REGION:-} && $s == audit-service ]]; then
    export CHUANYU_LINK_ADMIN_USER CHUANYU_LINK_ADMIN_PASSWORD
    CHUANYU_LINK_ADMIN_USER=$(link_user admin); CHUANYU_LINK_ADMIN_PASSWORD=$(instance_secret "rabbit-$(link_user admin)")
  fi
  # The databases exist (ensure_accounts made them) and the service's role may not create any.
  export CHUANYU_DATABASE_CREATE_IF_MISSING=false
}

# Drops the instance's databases first (roles that own objects cannot go), then its roles, broker users and vhost.
# --databases-only leaves the broker alone (the Chongqing node's broker goes with its files).
# shellcheck disable=SC2120 # the optional flag is for ./platform's Chongqing node; other callers pass none
drop_instance_data() {
  local db s user broker=1
  [[ ${1:-} == --databases-only ]] && broker=0
  for db in $(instance_databases); do pg -d postgres -c "drop database if exists \"$db\" with (force)" >/dev/null; done
  for s in "${CHUANYU_SERVICES[@]}"; do
    service_has_accounts "$s" || continue
    pg -d postgres -c "drop role if exists \"$(db_service_role "$s")\"" >/dev/null
    (( broker )) && { rabbitctl delete_user "$(rabbit_user "$s")" >/dev/null 2>&1 || true; }
  done
  pg -d postgres -c "drop role if exists \"$(db_owner_role)\"" >/dev/null
  (( broker )) || return 0
  if [[ -n ${CHUANYU_REGION:-} ]]; then
    for user in in out admin; do rabbitctl delete_user "$(link_user "$user")" >/dev/null 2>&1 || true; done
  fi
  # The vhost takes its queues, exchanges and Shovel parameters with it.
  [[ $CHUANYU_VHOST == / ]] || rabbitctl delete_vhost "$CHUANYU_VHOST" >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------------------------------------------------------
# Two regions (docs/two-regions.md): a Sichuan node (sc) and a Chongqing node (cq), each an instance of this recipe
# (<base>_sc and <base>_cq, var/sc and var/cq, ports CHUANYU_PORT_BASE and CHUANYU_PEER_PORT_BASE), linked by a
# RabbitMQ Shovel each way and by mutual TLS. The sc node uses the machine's broker; the cq node a second RabbitMQ
# node of its own (files under var/cq/rabbitmq). In one-node mode nothing below is used.
#
# use_region_node sc|cq turns the base settings (CHUANYU_INSTANCE, CHUANYU_VAR, ...) into that node's and exports
# them, so bin/launch and everything it starts see the node. Its own bookkeeping is in CHUANYU_PAIR_* (not
# CHUANYU_NODE*: Spring would bind that onto chuanyu.node).
use_region_node() {
  local node=$1 peer base=$CHUANYU_INSTANCE var=$CHUANYU_VAR sc_ports=$CHUANYU_PORT_BASE cq_ports=$CHUANYU_PEER_PORT_BASE
  if [[ -n ${CHUANYU_PAIR_NODE:-} ]]; then
    [[ $CHUANYU_PAIR_NODE == "$node" ]] && return 0
    echo "already node $CHUANYU_PAIR_NODE, not $node" >&2; return 1
  fi
  case $node in sc) peer=cq ;; cq) peer=sc ;; *) echo "no node '$node': sc or cq" >&2; return 1 ;; esac
  pair_check_names || return 1
  export CHUANYU_PAIR_NODE=$node CHUANYU_PAIR_PEER=$peer CHUANYU_PAIR_BASE_INSTANCE=$base CHUANYU_PAIR_BASE_VAR=$var
  export CHUANYU_REGION=${node^^}
  export CHUANYU_INSTANCE=${base}_$node CHUANYU_VAR=$var/$node CHUANYU_VHOST=${base}_$node
  export CHUANYU_PAIR_PEER_INSTANCE=${base}_$peer CHUANYU_PAIR_PEER_VAR=$var/$peer
  local machine_port=$RABBIT_PORT machine_management=$RABBIT_MANAGEMENT_PORT machine_node=${CHUANYU_RABBIT_NODE:-}
  if [[ $node == sc ]]; then
    export CHUANYU_PORT_BASE=$sc_ports CHUANYU_PAIR_PEER_PORT_BASE=$cq_ports
    export RABBIT_PORT=$machine_port RABBIT_MANAGEMENT_PORT=$machine_management CHUANYU_RABBIT_NODE=$machine_node
    export CHUANYU_PAIR_PEER_RABBIT_PORT=$CHUANYU_CQ_RABBIT_PORT
  else
    export CHUANYU_PORT_BASE=$cq_ports CHUANYU_PAIR_PEER_PORT_BASE=$sc_ports
    export RABBIT_PORT=$CHUANYU_CQ_RABBIT_PORT RABBIT_MANAGEMENT_PORT=$CHUANYU_CQ_RABBIT_MANAGEMENT_PORT
    export CHUANYU_RABBIT_NODE; CHUANYU_RABBIT_NODE=$(cq_rabbit_node)
    export CHUANYU_PAIR_PEER_RABBIT_PORT=$machine_port
  fi
}

pair_base_instance() { echo "${CHUANYU_PAIR_BASE_INSTANCE:-$CHUANYU_INSTANCE}"; }
pair_base_var() { echo "${CHUANYU_PAIR_BASE_VAR:-$CHUANYU_VAR}"; }
other_node() { if [[ $1 == sc ]]; then echo cq; else echo sc; fi; }
# A node's name, also the name of its note key and the CN of its certificate.
node_name() { echo "$1.chuanyu.local"; }
# The link's broker users of this node: link-in (the peer's Shovel publishes as it), link-out (this node's Shovel
# reads as it), link-admin (the ops endpoints manage the Shovel as it: policymaker to set and clear it, monitoring to
# read its state at /api/shovels).
link_user() { echo "$CHUANYU_INSTANCE-link-$1"; }

# The binding keys a service may bind to chuanyu.link.in (what it takes from the peer region).
link_binding_keys() {
  case $1 in
    case-transfer-service) echo '^(case-transfer\.#|assistance\.#|agency\.\*)$' ;;
    evidence-exchange-service) echo '^(evidence\.#|agency\.\*)$' ;;
  esac
}

# The link's broker objects and users of this node, added to the definitions on stdin (ensure_rabbit_users imports
# them with the services' users). chuanyu.events is declared here as the services declare it, so chuanyu.link can
# be bound to it before the first service starts.
link_definitions() {
  local peer=$CHUANYU_PAIR_PEER in out admin
  in=$(link_user in); out=$(link_user out); admin=$(link_user admin)
  jq -c --arg v "$CHUANYU_VHOST" --arg q "chuanyu.link.to-$peer" --arg P "${peer^^}" \
    --arg in "$in" --arg out "$out" --arg admin "$admin" \
    --arg hin "$(rabbit_password_hash "$(instance_secret "rabbit-$in")")" \
    --arg hout "$(rabbit_password_hash "$(instance_secret "rabbit-$out")")" \
    --arg hadmin "$(rabbit_password_hash "$(instance_secret "rabbit-$admin")")" '
    def user($n; $h; $tags): {name: $n, password_hash: $h, hashing_algorithm: "rabbit_password_hashing_sha256", tags: $tags};
    def exchange($n; $t): {name: $n, vhost: $v, type: $t, durable: true, auto_delete: false, internal: false, arguments: {}};
    .exchanges = (.exchanges // []) + [exchange("chuanyu.events"; "topic"), exchange("chuanyu.link"; "headers"),
                                        exchange("chuanyu.link.in"; "topic")]
    | .queues = (.queues // []) + [{name: $q, vhost: $v, durable: true, auto_delete: false, arguments: {}}]
    | .bindings = (.bindings // []) + [
        {source: "chuanyu.events", vhost: $v, destination: "chuanyu.link", destination_type: "exchange",
         routing_key: "#", arguments: {}},
        {source: "chuanyu.link", vhost: $v, destination: $q, destination_type: "queue", routing_key: "",
         arguments: {"x-match": "all", "cy-link-to": $P}}]
    | .users += [user($in; $hin; []), user($out; $hout; []), user($admin; $hadmin; ["policymaker", "monitoring"])]
    | .permissions += [
        {user: $in, vhost: $v, configure: "^$", write: "^chuanyu\\.link\\.in$", read: "^$"},
        # The Shovel declares its source queue again (as it is: durable, no arguments) when it connects.
        {user: $out, vhost: $v, configure: ("^" + ($q | gsub("\\."; "\\.")) + "$"), write: "^$",
         read: ("^" + ($q | gsub("\\."; "\\.")) + "$")},
        # Its tags let it set and clear this vhost Shovel parameters and read their state: it needs no AMQP rights.
        {user: $admin, vhost: $v, configure: "^$", write: "^$", read: "^$"}]'
}

# This node's Ed25519 note key (PKCS#8 private and public PEM blocks, as KeyFiles.ed25519 reads it), in DIR/keys.
ensure_node_key() {
  local f="$1/keys/node-ed25519.key"
  mkdir -p "$1/keys"; chmod 700 "$1/keys"
  [[ -s $f ]] && return 0
  (umask 077 && openssl genpkey -algorithm ed25519 -out "$f.new" && openssl pkey -in "$f.new" -pubout -out "$f.pub" \
    && cat "$f.new" "$f.pub" >"$f.tmp" && rm -f "$f.new" "$f.pub" && mv "$f.tmp" "$f")
}

# The demo CA of the link (DIR, mode 700): signs one certificate per node; nothing else trusts it.
ensure_link_ca() {
  local dir=$1
  mkdir -p "$dir"; chmod 700 "$dir"
  [[ -s $dir/ca.pem && -s $dir/ca.key ]] && return 0
  (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 3650 \
    -subj "/O=Chuanyu Exchange (demo)/CN=Chuanyu demo link CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" \
    -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null)
}

# A node's TLS certificate and key, signed by the demo CA, and its PKCS#12 keystore (alias "node", the CA's
# certificate in the chain) with the node's password (secrets/node-tls), all in DIR/tls. Made again when the CA is
# not the one that signed it.
ensure_node_certificate() {
  local dir=$1 name=$2 ca=$3 tls="$1/tls"
  mkdir -p "$tls"; chmod 700 "$tls"
  if [[ -s $tls/node.p12 ]] && openssl verify -CAfile "$ca/ca.pem" "$tls/node.pem" >/dev/null 2>&1; then return 0; fi
  (umask 077
   openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/O=Chuanyu Exchange (demo)/CN=$name" \
     -keyout "$tls/node.key" -out "$tls/node.csr" 2>/dev/null
   printf '%s\n' 'basicConstraints=critical,CA:FALSE' 'keyUsage=critical,digitalSignature,keyAgreement' \
     'extendedKeyUsage=serverAuth,clientAuth' "subjectAltName=DNS:$name,DNS:localhost,IP:127.0.0.1" >"$tls/node.ext"
   openssl x509 -req -in "$tls/node.csr" -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAcreateserial -days 825 -sha256 \
     -extfile "$tls/node.ext" -out "$tls/node.pem" 2>/dev/null
   secret_in "$dir" node-tls >/dev/null
   openssl pkcs12 -export -name node -in "$tls/node.pem" -inkey "$tls/node.key" -certfile "$ca/ca.pem" \
     -passout "file:$dir/secrets/node-tls" -out "$tls/node.p12"
   rm -f "$tls/node.csr" "$tls/node.ext")
}

# Both nodes' keys and certificates, and what each pins of the other (in var/<node>/link/: the peer's certificate
# and note verifier key, the demo CA). Idempotent; run before either node's services start.
ensure_pair_material() {
  local var node peer
  var=$(pair_base_var)
  ensure_link_ca "$var/link-ca"
  for node in sc cq; do
    mkdir -p "$var/$node"
    ensure_node_key "$var/$node"
    ensure_node_certificate "$var/$node" "$(node_name "$node")" "$var/link-ca"
    note_verifier_key "$(node_name "$node")" 001 "$var/$node/keys/node-ed25519.key" >"$var/$node/keys/node-ed25519.vkey"
  done
  for node in sc cq; do
    peer=$(other_node "$node")
    mkdir -p "$var/$node/link"; chmod 700 "$var/$node/link"
    cp "$var/$peer/tls/node.pem" "$var/$node/link/peer-$peer.pem"
    cp "$var/$peer/keys/node-ed25519.vkey" "$var/$node/link/peer-$peer.vkey"
    cp "$var/link-ca/ca.pem" "$var/$node/link/link-ca.pem"
  done
}

# What every service of a node reads about the node, its peer and the link (chuanyu-defaults.yml, NodeProperties).
export_node_env() {
  local b=$CHUANYU_PORT_BASE pb=$CHUANYU_PAIR_PEER_PORT_BASE peer=$CHUANYU_PAIR_PEER
  export CHUANYU_REGION CHUANYU_NODE_NAME CHUANYU_NODE_KEY_FILE="$CHUANYU_VAR/keys/node-ed25519.key"
  CHUANYU_NODE_NAME=$(node_name "$CHUANYU_PAIR_NODE")
  export CHUANYU_NODE_GATEWAY_URL="http://localhost:$b"
  export CHUANYU_PEER_REGION=${peer^^} CHUANYU_PEER_NODE_NAME CHUANYU_PEER_NOTE_KEY
  CHUANYU_PEER_NODE_NAME=$(node_name "$peer"); CHUANYU_PEER_NOTE_KEY=$(cat "$CHUANYU_VAR/link/peer-$peer.vkey")
  export CHUANYU_PEER_GATEWAY_URL="http://localhost:$pb" CHUANYU_PEER_CONTENT_URL="https://localhost:$((pb + 5))"
  export CHUANYU_LINK_USER; CHUANYU_LINK_USER=$(link_user in)
  export CHUANYU_NODE_TLS_KEYSTORE="$CHUANYU_VAR/tls/node.p12" CHUANYU_NODE_TLS_PORT=$((b + 5)) CHUANYU_NODE_TLS_PASSWORD
  CHUANYU_NODE_TLS_PASSWORD=$(instance_secret node-tls)
  export CHUANYU_PEER_CERTIFICATE="$CHUANYU_VAR/link/peer-$peer.pem" CHUANYU_LINK_CA="$CHUANYU_VAR/link/link-ca.pem"
  export RABBIT_MANAGEMENT_URL="http://localhost:$RABBIT_MANAGEMENT_PORT"
  export CHUANYU_LINK_SHOVEL_FILE; CHUANYU_LINK_SHOVEL_FILE=$(link_shovel_file)
  # Eight services on one PostgreSQL: ten connections each (the one-node default) come close to a stock server's
  # max_connections of 100.
  export DB_POOL_SIZE=${DB_POOL_SIZE:-5}
}

# The Shovel of this node's outgoing link, as the body of PUT /api/parameters/shovel/<vhost>/<name> of the
# management API (component, vhost and name say where it goes). Mode 600: it holds both link users' passwords.
link_shovel_file() { echo "$CHUANYU_VAR/link/shovel-to-$CHUANYU_PAIR_PEER.json"; }
write_link_shovel() {
  local peer=$CHUANYU_PAIR_PEER f; f=$(link_shovel_file)
  mkdir -p "$(dirname "$f")"; chmod 700 "$(dirname "$f")"
  (umask 077 && jq -n --arg v "$CHUANYU_VHOST" --arg name "link-to-$peer" --arg q "chuanyu.link.to-$peer" \
    --arg src "amqp://$(link_user out):$(instance_secret "rabbit-$(link_user out)")@127.0.0.1:$RABBIT_PORT/$CHUANYU_VHOST" \
    --arg dest "amqp://$CHUANYU_PAIR_PEER_INSTANCE-link-in:$(secret_in "$CHUANYU_PAIR_PEER_VAR" "rabbit-$CHUANYU_PAIR_PEER_INSTANCE-link-in")@127.0.0.1:$CHUANYU_PAIR_PEER_RABBIT_PORT/$CHUANYU_PAIR_PEER_INSTANCE" \
    --arg pin "$CHUANYU_PAIR_PEER_INSTANCE-link-in" '
    {component: "shovel", vhost: $v, name: $name, value: {
      "src-protocol": "amqp091", "src-uri": $src, "src-queue": $q,
      "dest-protocol": "amqp091", "dest-uri": $dest, "dest-exchange": "chuanyu.link.in",
      "ack-mode": "on-confirm", "dest-publish-properties": {"user_id": $pin}, "reconnect-delay": 5}}' >"$f.tmp")
  chmod 600 "$f.tmp"; mv "$f.tmp" "$f"
}

# The broker's management HTTP API as this node's link-admin: METHOD PATH [curl arguments]; prints the body and
# then the HTTP status on a line of its own. The password goes through stdin, not the command line.
rabbit_api() {
  local method=$1 path=$2; shift 2
  printf 'user = "%s:%s"\n' "$(link_user admin)" "$(instance_secret "rabbit-$(link_user admin)")" \
    | curl -sS --max-time 10 -K - -X "$method" -w '\n%{http_code}\n' \
      "http://localhost:$RABBIT_MANAGEMENT_PORT/api$path" "$@"
}

# Sets (link_set) or clears (link_clear) this node's Shovel to its peer. Messages wait in chuanyu.link.to-<peer>
# while it is cleared.
link_set() {
  local out; write_link_shovel
  out=$(rabbit_api PUT "/parameters/shovel/$CHUANYU_VHOST/link-to-$CHUANYU_PAIR_PEER" \
    -H 'content-type: application/json' --data-binary "@$(link_shovel_file)") || true
  [[ $(tail -1 <<<"$out") == 20[14] ]] || { echo "cannot set the Shovel link-to-$CHUANYU_PAIR_PEER: $out" >&2; return 1; }
}
link_clear() {
  local out
  out=$(rabbit_api DELETE "/parameters/shovel/$CHUANYU_VHOST/link-to-$CHUANYU_PAIR_PEER") || true
  [[ $(tail -1 <<<"$out") == 20[14] || $(tail -1 <<<"$out") == 404 ]] \
    || { echo "cannot clear the Shovel link-to-$CHUANYU_PAIR_PEER: $out" >&2; return 1; }
}
# The Shovel's state (running, starting, terminated; "down" when it is cleared) and the messages waiting for it.
# The Shovel's state; anything but running (the peer broker unreachable, the link user refused...) reads DOWN, with
# the broker's last word on it.
link_state() {
  local out
  out=$(rabbit_api GET "/shovels/$CHUANYU_VHOST" 2>/dev/null) || true
  if [[ $(tail -1 <<<"$out") != 200 ]]; then echo unknown; return; fi
  sed '$d' <<<"$out" | shovel_state "link-to-$CHUANYU_PAIR_PEER"
}
shovel_state() {
  jq -r --arg n "$1" 'map(select(.name == $n))
    | if length == 0 then "down (cleared)"
      elif .[0].state == "running" then "running"
      else .[0] | "DOWN (\(.state)\(if .timestamp then " since \(.timestamp)" else "" end)"
        + "\(if .reason then ": " + (.reason | tostring | .[0:80]) else "" end))" end'
}
link_waiting() {
  rabbitctl list_queues -p "$CHUANYU_VHOST" name messages 2>/dev/null \
    | awk -v q="chuanyu.link.to-$CHUANYU_PAIR_PEER" '$1 == q {print $2; found=1} END {if (!found) print "?"}'
}

# The Chongqing node's own RabbitMQ node: config, data and logs under var/cq/rabbitmq, owned by the rabbitmq user
# (the broker runs as it), AMQP on CHUANYU_CQ_RABBIT_PORT, management on CHUANYU_CQ_RABBIT_MANAGEMENT_PORT.
cq_rabbit_node() { echo "$(pair_base_instance)-cq@localhost"; }
# The Chongqing broker's files: var/cq/rabbitmq, unless the broker's own user cannot reach that folder (run as root,
# rabbitmq-server drops to the rabbitmq user; a checkout under /root or in a mode-700 temporary folder is out of its
# reach), then under the rabbitmq user's home; CHUANYU_CQ_RABBIT_DIR chooses.
cq_rabbit_dir() {
  if [[ -n ${CHUANYU_CQ_RABBIT_DIR:-} ]]; then echo "$CHUANYU_CQ_RABBIT_DIR"; return; fi
  local var probe; var=$(pair_base_var); probe=$var
  [[ -d $probe ]] || probe=$(dirname "$probe")   # the same answer before var/ exists as after
  if (( EUID == 0 )) && id rabbitmq >/dev/null 2>&1 && ! runuser -u rabbitmq -- test -x "$probe" 2>/dev/null; then
    echo "$(getent passwd rabbitmq | cut -d: -f6)/chuanyu/$(pair_base_instance)-cq"
  else
    echo "$var/cq/rabbitmq"
  fi
}
cq_rabbit_pid() {
  local f pid; f="$(cq_rabbit_dir)/mnesia/$(cq_rabbit_node).pid"
  [[ -f $f ]] && pid=$(cat "$f") && [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}
cq_rabbit_running() { [[ -n $(cq_rabbit_pid || true) ]]; }

cq_rabbit_start() {
  local dir node deadline
  dir=$(cq_rabbit_dir); node=$(cq_rabbit_node)
  cq_rabbit_running && return 0
  local p; for p in "$CHUANYU_CQ_RABBIT_PORT" "$CHUANYU_CQ_RABBIT_MANAGEMENT_PORT" "$CHUANYU_CQ_RABBIT_DIST_PORT"; do
    if port_open 127.0.0.1 "$p"; then
      echo "port $p (for the Chongqing node's RabbitMQ) is taken; choose others with CHUANYU_CQ_RABBIT_PORT," \
        "CHUANYU_CQ_RABBIT_MANAGEMENT_PORT, CHUANYU_CQ_RABBIT_DIST_PORT" >&2; return 1
    fi
  done
  mkdir -p "$dir/mnesia" "$dir/log"
  printf '%s\n' "listeners.tcp.local = 127.0.0.1:$CHUANYU_CQ_RABBIT_PORT" "management.tcp.ip = 127.0.0.1" \
    "management.tcp.port = $CHUANYU_CQ_RABBIT_MANAGEMENT_PORT" >"$dir/rabbitmq.conf"
  echo '[rabbitmq_shovel,rabbitmq_shovel_management].' >"$dir/enabled_plugins"
  if (( EUID == 0 )); then chown -R rabbitmq:rabbitmq "$dir"; fi
  RABBITMQ_NODENAME=$node RABBITMQ_DIST_PORT=$CHUANYU_CQ_RABBIT_DIST_PORT RABBITMQ_CONFIG_FILE="$dir/rabbitmq" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_MNESIA_BASE="$dir/mnesia" \
    RABBITMQ_LOG_BASE="$dir/log" rabbitmq-server -detached >/dev/null 2>&1 \
    || { echo "rabbitmq-server -detached failed for $node (logs: $dir/log)" >&2; return 1; }
  # The AMQP port opens some seconds after the start; await_startup right away fails at once.
  deadline=$((SECONDS + ${CQ_RABBIT_TIMEOUT:-90}))
  until port_open 127.0.0.1 "$CHUANYU_CQ_RABBIT_PORT" && port_open 127.0.0.1 "$CHUANYU_CQ_RABBIT_MANAGEMENT_PORT"; do
    (( SECONDS < deadline )) || { echo "$node did not open its ports within ${CQ_RABBIT_TIMEOUT:-90} s (logs: $dir/log)" >&2; return 1; }
    sleep 1
  done
  rabbitmqctl -q -n "$node" await_startup --timeout 60 >/dev/null
}

cq_rabbit_stop() {
  local node pid; node=$(cq_rabbit_node)
  pid=$(cq_rabbit_pid) || return 1
  rabbitmqctl -q -n "$node" stop >/dev/null 2>&1 || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || return 0; sleep 1; done
  kill -9 "$pid" 2>/dev/null || true
}
