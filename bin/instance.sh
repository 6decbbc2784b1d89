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

# In start order: the gateway last, it seeds the registry and announces agencies to the others.
CHUANYU_SERVICES=(audit-service case-transfer-service evidence-exchange-service gateway)

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
    *) echo "unknown service: $1" >&2; return 1 ;;
  esac
}

service_db() {
  case $1 in
    gateway) echo "${CHUANYU_INSTANCE}_gateway" ;;
    case-transfer-service) echo "${CHUANYU_INSTANCE}_case_transfer" ;;
    evidence-exchange-service) echo "${CHUANYU_INSTANCE}_evidence" ;;
    audit-service) echo "${CHUANYU_INSTANCE}_audit" ;;
    *) echo "unknown service: $1" >&2; return 1 ;;
  esac
}

instance_databases() { local s; for s in "${CHUANYU_SERVICES[@]}"; do service_db "$s"; done; }

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
  export EVIDENCE_STORE_DIR="${EVIDENCE_STORE_DIR:-$CHUANYU_VAR/evidence-store}"
  export GATEWAY_DB_NAME="${CHUANYU_INSTANCE}_gateway" CASE_TRANSFER_DB_NAME="${CHUANYU_INSTANCE}_case_transfer"
  export EVIDENCE_DB_NAME="${CHUANYU_INSTANCE}_evidence" AUDIT_DB_NAME="${CHUANYU_INSTANCE}_audit"
  export DB_HOST DB_PORT DB_USER DB_PASSWORD RABBIT_HOST RABBIT_PORT REDIS_HOST REDIS_PORT
  export RABBIT_VHOST="$CHUANYU_VHOST" RATE_LIMIT_KEY_PREFIX="$CHUANYU_INSTANCE:"
  export GATEWAY_URL="http://localhost:$b" CASE_TRANSFER_URL="http://localhost:$((b + 1))"
  export EVIDENCE_URL="http://localhost:$((b + 2))" AUDIT_URL="http://localhost:$((b + 3))"
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
  rabbitctl set_permissions -p "$CHUANYU_VHOST" "${RABBIT_USER:-guest}" '.*' '.*' '.*' >/dev/null
}

drop_instance_data() {
  local db
  for db in $(instance_databases); do pg -d postgres -c "drop database if exists \"$db\" with (force)" >/dev/null; done
  [[ $CHUANYU_VHOST == / ]] || rabbitctl delete_vhost "$CHUANYU_VHOST" >/dev/null 2>&1 || true
}
