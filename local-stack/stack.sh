#!/usr/bin/env bash
# Lacquer local infrastructure launcher: PostgreSQL 17, Kafka 4.1 (KRaft), s3proxy (S3 API on the
# file system) and a dev OIDC issuer, all on 127.0.0.1, no Docker. See local-stack/README.md.
#
#   stack.sh start                 build if needed, start what is not running, write $STATE/infra.env
#   stack.sh stop                  stop every server this script started (only those)
#   stack.sh status                one line per server
#   stack.sh start-one NAME        NAME: postgres | kafka | s3 | oidc (same ports, data kept)
#   stack.sh stop-one NAME
#   stack.sh kill-one NAME         SIGKILL, for fault tests
#   stack.sh kafka-console CLASS ARGS...   run a Kafka main class on the broker's classpath
#   stack.sh env                   print the path of infra.env (after start)
#
# Environment: LACQUER_STACK_DIR (state dir, default <repo>/.local-stack), LACQUER_STACK_FAST=1
# (fsync=off for PostgreSQL: tests only), LACQUER_STACK_PORT_OFFSET (added to every port), LACQUER_DEV_PASSWORD (OIDC dev password),
# LACQUER_STACK_JAVA_HOME (JDK for the servers), LACQUER_PG_RUNAS (root only: run PostgreSQL as this
# existing user instead of in a user namespace). A server is not started when its variable points
# at an existing one: DB_URL, KAFKA_BOOTSTRAP_SERVERS, S3_ENDPOINT, OIDC_AUTH_SERVER_URL.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
TARGET=$SCRIPT_DIR/target
CONF_SRC=$SCRIPT_DIR/conf

KAFKA_VERSION=4.1.2
SERVERS=(postgres kafka s3 oidc)

# Ports sit below Linux's ephemeral range (32768-60999), so an outgoing connection can never take one
# just before a server binds it. LACQUER_STACK_PORT_OFFSET moves every port, so two stacks (say, CI and a developer's) can run side by side.
PORT_OFFSET=${LACQUER_STACK_PORT_OFFSET:-0}
PG_PORT=$((15432 + PORT_OFFSET))
PG_DB=lacquer
PG_USER=lacquer
PG_PASSWORD=lacquer
KAFKA_PORT=$((19092 + PORT_OFFSET))
KAFKA_CONTROLLER_PORT=$((19093 + PORT_OFFSET))
S3_PORT=$((19000 + PORT_OFFSET))
S3_REGION_DEFAULT=us-east-1
S3_ACCESS_KEY=lacquer-local
S3_SECRET_KEY=lacquer-local-secret
S3_BUCKET_DEFAULT=lacquer
OIDC_PORT=$((19180 + PORT_OFFSET))
OIDC_REALM=lacquer
OIDC_CLIENT_DEFAULT=lacquer-api
DEV_PASSWORD_DEFAULT=lacquer-dev

OWN_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$PG_DB"
OWN_KAFKA="127.0.0.1:$KAFKA_PORT"
OWN_S3="http://127.0.0.1:$S3_PORT"
OWN_OIDC="http://127.0.0.1:$OIDC_PORT/realms/$OIDC_REALM"

# topic:partitions:retention.ms
TOPICS=(
  "generation.requests:6:604800000"
  "generation.events:6:604800000"
  "generation.requests.dlq:1:2592000000"
  "generation.events.dlq:1:2592000000"
)

STATE=${LACQUER_STACK_DIR:-$REPO_ROOT/.local-stack}
mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
RUN=$STATE/run
LOGS=$STATE/logs
DATA=$STATE/data
GEN_CONF=$STATE/conf
ENV_FILE=$STATE/infra.env

# ------------------------------------------------------------------------------------------------
# small helpers

say() { printf '[local-stack] %s\n' "$*"; }
warn() { printf '[local-stack] WARNING: %s\n' "$*" >&2; }
die() { printf '[local-stack] ERROR: %s\n' "$*" >&2; exit 1; }

now() { echo "${EPOCHREALTIME/[.,]/}"; } # microseconds
elapsed() { # start-µs -> "1.23s"
  local d=$(( $(now) - $1 ))
  printf '%d.%02ds' $((d / 1000000)) $(((d % 1000000) / 10000))
}

valid_name() {
  case ${1:-} in postgres | kafka | s3 | oidc) return 0 ;; *) return 1 ;; esac
}

log_file() { echo "$LOGS/$1.log"; }
pid_file() { echo "$RUN/$1.pid"; }

# The variable that, when set to another server's address, means "do not start ours".
ext_var() {
  case $1 in
    postgres) echo DB_URL ;; kafka) echo KAFKA_BOOTSTRAP_SERVERS ;;
    s3) echo S3_ENDPOINT ;; oidc) echo OIDC_AUTH_SERVER_URL ;;
  esac
}
own_value() {
  case $1 in
    postgres) echo "$OWN_DB_URL" ;; kafka) echo "$OWN_KAFKA" ;;
    s3) echo "$OWN_S3" ;; oidc) echo "$OWN_OIDC" ;;
  esac
}
# External = the variable is set and does not name this stack's own address (so a shell that
# sourced infra.env does not mistake our own servers for external ones).
is_external() {
  local var v
  var=$(ext_var "$1")
  v=${!var:-}
  [[ -n $v && $v != "$(own_value "$1")" ]]
}

port_open() { # port
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# Prints the pid if the pid file names a live process of this stack (the command line carries the
# state dir, which guards against a recycled pid), else nothing and returns 1.
live_pid() { # name
  local f pid cmd
  f=$(pid_file "$1")
  [[ -s $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmd == *"$DATA/$1"* || $cmd == *"lacquer.stack.dir=$STATE "* ]] || return 1
  echo "$pid"
}

# A server's pid and its direct children (PostgreSQL backends each run in their own session, so
# neither the process group nor the session covers them).
proc_tree() { # pid
  echo "$1"
  pgrep -P "$1" 2>/dev/null || true
}

kill_tree() { # signal pid
  # shellcheck disable=SC2046
  kill "-$1" $(proc_tree "$2") 2>/dev/null || true
}

rss_mb() { # pid -> summed RSS of the pid and its children (postgres: postmaster + backends) in MB
  local kb
  # shellcheck disable=SC2046
  kb=$(ps -o rss= -p $(proc_tree "$1" | paste -sd, -) 2>/dev/null | awk '{s+=$1} END {print s+0}') || kb=0
  if [[ ${kb:-0} -eq 0 ]]; then
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0)
  fi
  echo $(((${kb:-0} + 512) / 1024))
}

show_log_tail() { # name
  local f
  f=$(log_file "$1")
  if [[ -f $f ]]; then
    printf '[local-stack] ---- last lines of %s ----\n' "$f" >&2
    tail -n 30 "$f" >&2 || true
  fi
}

# Starts a long-running server in its own session, stdio to its log, and records its pid.
launch() { # name cmd...
  local name=$1
  shift
  local log
  log=$(log_file "$name")
  printf '\n==== %s starting %s ====\n' "$(date -Is)" "$name" >>"$log"
  # 9>&-: the server must not inherit (and so hold forever) the stack lock.
  setsid "$@" </dev/null >>"$log" 2>&1 9>&- &
  echo $! >"$(pid_file "$name")"
}

# Waits until check_fn succeeds; fails early if the server's process is gone.
wait_ready() { # name timeout-s check_fn...
  local name=$1 limit=$2
  shift 2
  local deadline=$((SECONDS + limit))
  while true; do
    if "$@"; then return 0; fi
    if ! live_pid "$name" >/dev/null; then
      show_log_tail "$name"
      rm -f "$(pid_file "$name")"
      die "$name exited during start-up (log: $(log_file "$name"))"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$name"
      stop_server "$name" graceful || true
      die "$name not ready after ${limit}s, stopped it again (log: $(log_file "$name"))"
    fi
    sleep 0.2
  done
}

# Makes sure nothing else holds the port before we start a server there.
require_port_free() { # name port
  if port_open "$2"; then
    die "$1: port 127.0.0.1:$2 is already in use by another process (not started by this stack in $STATE)"
  fi
}

# ------------------------------------------------------------------------------------------------
# Java and the Maven build

pick_java() {
  local home=""
  if [[ -n ${LACQUER_STACK_JAVA_HOME:-} ]]; then
    home=$LACQUER_STACK_JAVA_HOME
  elif [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    home=/usr/lib/jvm/temurin-25-jdk-amd64
  elif [[ -n ${JAVA_HOME:-} && -x ${JAVA_HOME}/bin/java ]]; then
    home=$JAVA_HOME
  fi
  if [[ -n $home ]]; then
    [[ -x $home/bin/java ]] || die "no java in $home"
    JAVA=$home/bin/java
    BUILD_JAVA_HOME=$home
  else
    JAVA=$(command -v java) || die "no java found: install a JDK 17+ or set LACQUER_STACK_JAVA_HOME"
    BUILD_JAVA_HOME=${JAVA_HOME:-}
  fi
}

artifacts_present() {
  [[ -f $TARGET/local-stack.jar && -f $TARGET/kafka-libs/kafka_2.13-$KAFKA_VERSION.jar &&
    -f $TARGET/kafka-libs/kafka-tools-$KAFKA_VERSION.jar && -f $TARGET/s3proxy/s3proxy.jar &&
    -f $TARGET/postgres/postgres-binaries.jar ]]
}

sources_newer() {
  [[ -n $(find "$SCRIPT_DIR/src" "$SCRIPT_DIR/pom.xml" -newer "$TARGET/local-stack.jar" -type f -print -quit 2>/dev/null) ]]
}

ensure_built() {
  if artifacts_present && ! sources_newer; then return 0; fi
  local t0 mvn
  t0=$(now)
  if [[ -x $REPO_ROOT/mvnw ]]; then
    mvn=$REPO_ROOT/mvnw
  else
    mvn=$(command -v mvn) || die "neither $REPO_ROOT/mvnw nor mvn found"
  fi
  # A different Kafka version must not leave old jars on the classpath directory.
  [[ -f $TARGET/kafka-libs/kafka_2.13-$KAFKA_VERSION.jar ]] || rm -rf "$TARGET/kafka-libs"
  say "build      running maven package for local-stack (first run downloads ~120 MB from Maven Central)"
  (
    if [[ -n ${BUILD_JAVA_HOME:-} ]]; then export JAVA_HOME=$BUILD_JAVA_HOME; fi
    "$mvn" -f "$SCRIPT_DIR/pom.xml" -q -B package
  ) || die "maven build of $SCRIPT_DIR/pom.xml failed"
  artifacts_present || die "maven build finished but artifacts are missing under $TARGET"
  say "build      done in $(elapsed "$t0")"
}

# ------------------------------------------------------------------------------------------------
# PostgreSQL

PG_HOME=$TARGET/postgres/pgsql
PG_DATA=$DATA/postgres

unpack_postgres() {
  [[ -x $PG_HOME/bin/postgres && -f $PG_HOME/.unpacked ]] && return 0
  local jar=$TARGET/postgres/postgres-binaries.jar tmp=$PG_HOME.tmp.$$
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if command -v unzip >/dev/null; then
    unzip -q -o "$jar" 'postgres-linux-*.txz' -d "$tmp"
  else
    (cd "$tmp" && "$(dirname "$JAVA")/jar" xf "$jar") || die "need unzip or a JDK's jar tool to unpack $jar"
  fi
  local txz
  txz=$(ls "$tmp"/postgres-linux-*.txz)
  if command -v xz >/dev/null; then
    tar -xJf "$txz" -C "$tmp"
  elif command -v python3 >/dev/null; then
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2])' "$txz" "$tmp"
  else
    die "need xz (apt-get install xz-utils) or python3 to unpack the PostgreSQL binaries"
  fi
  rm -f "$txz"
  rm -rf "$tmp/META-INF"
  touch "$tmp/.unpacked"
  rm -rf "$PG_HOME"
  mv "$tmp" "$PG_HOME"
}

# PostgreSQL refuses to run as root. As root, run it in a user namespace in which our uid is
# mapped to an unprivileged one (files stay owned by root outside); LACQUER_PG_RUNAS=user runs it
# as that existing user instead (its data/log must then be writable by it).
PG_RUN=()
PG_RUN_DESC=""
pg_runner() {
  [[ -n $PG_RUN_DESC ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    PG_RUN=()
    PG_RUN_DESC="as $(id -un)"
  elif [[ -n ${LACQUER_PG_RUNAS:-} ]]; then
    id "$LACQUER_PG_RUNAS" >/dev/null 2>&1 || die "LACQUER_PG_RUNAS=$LACQUER_PG_RUNAS: no such user"
    PG_RUN=(runuser -u "$LACQUER_PG_RUNAS" --)
    PG_RUN_DESC="as $LACQUER_PG_RUNAS (runuser)"
  elif unshare -U --map-user=65534 --map-group=65534 true 2>/dev/null; then
    PG_RUN=(unshare -U --map-user=65534 --map-group=65534)
    PG_RUN_DESC="in a user namespace (unshare -U, uid 65534 inside)"
  elif unshare -U true 2>/dev/null; then
    PG_RUN=(unshare -U)
    PG_RUN_DESC="in a user namespace (unshare -U)"
  else
    die "running as root and 'unshare -U' does not work here: PostgreSQL refuses root. Set LACQUER_PG_RUNAS to an unprivileged user (e.g. postgres) or run as a normal user"
  fi
}

pg() { "${PG_RUN[@]}" "$@"; }

pg_options() {
  local o="-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=''"
  o+=" -c max_connections=200 -c shared_buffers=128MB -c logging_collector=off"
  if [[ ${LACQUER_STACK_FAST:-0} == 1 ]]; then
    # Tests only: survives a process crash (WAL still written to the OS), not an OS crash.
    o+=" -c fsync=off -c full_page_writes=off"
  fi
  # Extra server settings for a measurement, e.g. "-c shared_preload_libraries=pg_stat_statements".
  [[ -n ${LACQUER_PG_OPTIONS:-} ]] && o+=" $LACQUER_PG_OPTIONS"
  echo "$o"
}

pg_init() {
  local log tmp pw out
  log=$(log_file postgres)
  tmp=$DATA/postgres.init.$$
  rm -rf "$tmp" "$DATA"/postgres.init.*
  mkdir -p "$tmp"
  pw=$RUN/pg-pwfile.$$
  (umask 077 && printf '%s\n' "$PG_PASSWORD" >"$pw")
  if [[ -n ${LACQUER_PG_RUNAS:-} && $(id -u) -eq 0 ]]; then
    chown "$LACQUER_PG_RUNAS" "$tmp" "$pw"
  fi
  pg "$PG_HOME/bin/initdb" -D "$tmp" --username="$PG_USER" --pwfile="$pw" \
    --auth-host=scram-sha-256 --auth-local=trust --encoding=UTF8 --no-locale >>"$log" 2>&1 ||
    { rm -f "$pw"; show_log_tail postgres; die "initdb failed"; }
  rm -f "$pw"
  out=$(echo "CREATE DATABASE $PG_DB OWNER $PG_USER;" |
    pg "$PG_HOME/bin/postgres" --single -D "$tmp" -c unix_socket_directories= postgres 2>&1) ||
    { echo "$out" >>"$log"; die "creating database $PG_DB failed (log: $log)"; }
  echo "$out" >>"$log"
  if grep -q 'ERROR:' <<<"$out"; then die "creating database $PG_DB failed: $(grep ERROR: <<<"$out")"; fi
  mv "$tmp" "$PG_DATA"
}

pg_ready() {
  port_open "$PG_PORT" || return 1
  pg "$PG_HOME/bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1 || return 1
  # A real protocol round trip: SSLRequest, answered 'N' (no SSL) or 'S'.
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "\x00\x00\x00\x08\x04\xd2\x16\x2f" >&3
    IFS= read -r -n1 -t 2 b <&3 || exit 1
    [[ $b == N || $b == S ]]' _ "$PG_PORT" 2>/dev/null
}

start_postgres() {
  unpack_postgres
  pg_runner
  mkdir -p "$DATA"
  [[ -f $PG_DATA/PG_VERSION ]] || pg_init
  require_port_free postgres "$PG_PORT"
  local log
  log=$(log_file postgres)
  printf '\n==== %s starting postgres %s ====\n' "$(date -Is)" "$PG_RUN_DESC" >>"$log"
  if [[ -n ${LACQUER_PG_RUNAS:-} && $(id -u) -eq 0 ]]; then
    chown "$LACQUER_PG_RUNAS" "$log" # pg_ctl -l opens it as that user
  fi
  if ! pg "$PG_HOME/bin/pg_ctl" -D "$PG_DATA" -l "$log" -w -t 60 -o "$(pg_options)" start >>"$log" 2>&1 9>&-; then
    show_log_tail postgres
    # pg_ctl may give up while the postmaster is still coming up: do not leave it behind.
    pg "$PG_HOME/bin/pg_ctl" -D "$PG_DATA" -m immediate -w -t 10 stop >>"$log" 2>&1 || true
    die "pg_ctl start failed (log: $log)"
  fi
  head -n1 "$PG_DATA/postmaster.pid" >"$(pid_file postgres)"
  wait_ready postgres 60 pg_ready
}

stop_postgres() { # mode: graceful|kill
  local pid
  pid=$(live_pid postgres) || { rm -f "$(pid_file postgres)"; return 1; }
  if [[ $1 == kill ]]; then
    # Postmaster and all its backends at once, like a crash of the whole server.
    kill_tree KILL "$pid"
    wait_gone "$pid" 10 strict || true
  else
    pg_runner
    pg "$PG_HOME/bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >>"$(log_file postgres)" 2>&1 || true
    if ! wait_gone "$pid" 5; then
      kill -TERM "$pid" 2>/dev/null || true # "smart" would wait for clients; TERM is what pg_ctl sent
      if ! wait_gone "$pid" 10; then
        warn "postgres did not stop, killing it"
        kill_tree KILL "$pid"
        wait_gone "$pid" 10 strict || true
      fi
    fi
  fi
  rm -f "$(pid_file postgres)"
}

# ------------------------------------------------------------------------------------------------
# Kafka

KAFKA_PROPS=$GEN_CONF/kafka.properties

kafka_java() { # main-class args... ; CLI tools: small heap, fast start, WARN logging to stderr
  "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$CONF_SRC/kafka-tools-log4j2.xml" \
    -cp "$TARGET/kafka-libs/*" "$@"
}

write_kafka_props() {
  mkdir -p "$GEN_CONF"
  cat >"$KAFKA_PROPS" <<EOF
# Generated by local-stack/stack.sh on each start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA/kafka
num.partitions=1
default.replication.factor=1
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
num.network.threads=2
num.io.threads=4
log.retention.hours=168
# After a SIGKILL the new broker incarnation cannot register until the old one's session expires
# (default 9 s); a shorter session makes kill-one/start-one restarts faster.
broker.session.timeout.ms=4000
broker.heartbeat.interval.ms=1000
EOF
}

kafka_list_topics() {
  timeout 60 "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$CONF_SRC/kafka-tools-log4j2.xml" -cp "$TARGET/kafka-libs/*" \
    org.apache.kafka.tools.TopicCommand --bootstrap-server "$OWN_KAFKA" --list
}

kafka_ready() {
  port_open "$KAFKA_PORT" || return 1
  KAFKA_TOPICS_NOW=$(kafka_list_topics 2>>"$(log_file kafka)") || return 1
}

ensure_topics() {
  local spec name parts retention missing=() pids=() p rc=0
  for spec in "${TOPICS[@]}"; do
    name=${spec%%:*}
    grep -qxF "$name" <<<"$KAFKA_TOPICS_NOW" || missing+=("$spec")
  done
  ((${#missing[@]})) || return 0
  for spec in "${missing[@]}"; do
    IFS=: read -r name parts retention <<<"$spec"
    timeout 60 "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
      -Dlog4j2.configurationFile="$CONF_SRC/kafka-tools-log4j2.xml" -cp "$TARGET/kafka-libs/*" \
      org.apache.kafka.tools.TopicCommand --bootstrap-server "$OWN_KAFKA" --create --if-not-exists \
      --topic "$name" --partitions "$parts" --replication-factor 1 --config "retention.ms=$retention" \
      >>"$(log_file kafka)" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  KAFKA_TOPICS_NOW=$(kafka_list_topics 2>>"$(log_file kafka)") || die "kafka: listing topics failed"
  for spec in "${TOPICS[@]}"; do
    name=${spec%%:*}
    grep -qxF "$name" <<<"$KAFKA_TOPICS_NOW" || die "kafka: topic $name could not be created (log: $(log_file kafka))"
  done
  ((rc == 0)) || warn "kafka: a topic creation command failed but all topics exist"
  KAFKA_CREATED=${#missing[@]}
}

start_kafka() {
  require_port_free kafka "$KAFKA_PORT"
  require_port_free kafka "$KAFKA_CONTROLLER_PORT"
  write_kafka_props
  mkdir -p "$DATA/kafka"
  local log t
  log=$(log_file kafka)
  KAFKA_TIMES=""
  if [[ ! -f $DATA/kafka/meta.properties ]]; then
    t=$(now)
    local cluster_id
    cluster_id=$(kafka_java kafka.tools.StorageTool random-uuid 2>>"$log") || die "kafka: random-uuid failed"
    kafka_java kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$KAFKA_PROPS" >>"$log" 2>&1 ||
      { show_log_tail kafka; die "kafka: storage format failed"; }
    KAFKA_TIMES+="format $(elapsed "$t"), "
  fi
  t=$(now)
  launch kafka "$JAVA" -Xms128m -Xmx512m -Djava.net.preferIPv4Stack=true -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dlacquer.stack.dir="$STATE" -Dlacquer.stack.service=kafka \
    -Dlog4j2.configurationFile="$CONF_SRC/kafka-broker-log4j2.xml" -Dlacquer.kafka.log="$log" \
    -cp "$TARGET/kafka-libs/*" kafka.Kafka "$KAFKA_PROPS"
  wait_ready kafka 120 kafka_ready
  KAFKA_TIMES+="broker+list $(elapsed "$t")"
  KAFKA_CREATED=0
  t=$(now)
  ensure_topics
  ((KAFKA_CREATED == 0)) || KAFKA_TIMES+=", topics $(elapsed "$t")"
}

# ------------------------------------------------------------------------------------------------
# s3proxy

EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

s3_bucket() { echo "$S3_BUCKET_DEFAULT"; }

s3_ready() {
  local code
  code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "$OWN_S3/") || return 1
  [[ $code =~ ^[2-4][0-9][0-9]$ ]] || return 1
  # A signed request (SigV4) for the bucket, where this curl can sign.
  if curl --help all 2>/dev/null | grep -q -- --aws-sigv4; then
    # curl does not send the payload hash that S3 SigV4 requires (s3proxy fails without it).
    code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' -I --aws-sigv4 "aws:amz:$S3_REGION_DEFAULT:s3" \
      -H "x-amz-content-sha256: $EMPTY_SHA256" \
      --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" "$OWN_S3/$(s3_bucket)") || return 1
    [[ $code == 200 ]] || return 1
  fi
}

start_s3() {
  command -v curl >/dev/null || die "curl is needed for the s3 readiness check"
  require_port_free s3 "$S3_PORT"
  mkdir -p "$DATA/s3/$(s3_bucket)" "$GEN_CONF"
  cat >"$GEN_CONF/s3proxy.properties" <<EOF
# Generated by local-stack/stack.sh on each start.
s3proxy.endpoint=$OWN_S3
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
s3proxy.cors-allow-all=true
jclouds.provider=filesystem-nio2
jclouds.identity=$S3_ACCESS_KEY
jclouds.credential=$S3_SECRET_KEY
jclouds.filesystem.basedir=$DATA/s3
EOF
  launch s3 "$JAVA" -Xmx256m -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true \
    -Dlacquer.stack.dir="$STATE" -Dlacquer.stack.service=s3 \
    -jar "$TARGET/s3proxy/s3proxy.jar" --properties "$GEN_CONF/s3proxy.properties"
  wait_ready s3 60 s3_ready
}

# ------------------------------------------------------------------------------------------------
# dev OIDC issuer

oidc_ready() {
  local doc
  doc=$(curl -s -m 3 "$OWN_OIDC/.well-known/openid-configuration" 2>/dev/null) || return 1
  [[ $doc == *"\"issuer\":\"$OWN_OIDC\""* ]]
}

start_oidc() {
  command -v curl >/dev/null || die "curl is needed for the oidc readiness check"
  require_port_free oidc "$OIDC_PORT"
  mkdir -p "$DATA/oidc"
  local password=${LACQUER_DEV_PASSWORD:-$DEV_PASSWORD_DEFAULT}
  (umask 077 && printf '%s\n' "$password" >"$RUN/oidc.password")
  LACQUER_DEV_PASSWORD=$password launch oidc "$JAVA" -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Djava.net.preferIPv4Stack=true -Dlacquer.stack.dir="$STATE" -Dlacquer.stack.service=oidc \
    -jar "$TARGET/local-stack.jar" --host 127.0.0.1 --port "$OIDC_PORT" --realm "$OIDC_REALM" \
    --data-dir "$DATA/oidc"
  wait_ready oidc 30 oidc_ready
}

# ------------------------------------------------------------------------------------------------
# generic start/stop

wait_gone() { # pid seconds [strict]
  # A zombie whose threads have all exited holds no port or file any more; it is reaped by its
  # parent (here often pid 1, which may take a second). With "strict", wait for the reaping too:
  # PostgreSQL will not start while the pid in a stale postmaster.pid still exists.
  local deadline=$((SECONDS + $2)) st tasks
  while kill -0 "$1" 2>/dev/null; do
    if [[ ${3:-} != strict ]]; then
      st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)
      tasks=$(find "/proc/$1/task" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
      [[ $st == Z && $tasks -le 1 ]] && return 0
    fi
    ((SECONDS >= deadline)) && return 1
    sleep 0.05
  done
}

stop_java() { # name mode grace-seconds
  local pid
  pid=$(live_pid "$1") || { rm -f "$(pid_file "$1")"; return 1; }
  if [[ $2 == kill ]]; then
    kill_tree KILL "$pid"
    wait_gone "$pid" 10 || true
  else
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$pid" "$3"; then
      warn "$1 did not stop within $3s, killing it"
      kill_tree KILL "$pid"
      wait_gone "$pid" 10 || true
    fi
  fi
  rm -f "$(pid_file "$1")"
}

ports_of() {
  case $1 in
    postgres) echo "$PG_PORT" ;; kafka) echo "$KAFKA_PORT $KAFKA_CONTROLLER_PORT" ;;
    s3) echo "$S3_PORT" ;; oidc) echo "$OIDC_PORT" ;;
  esac
}

stop_server() { # name mode
  local rc=0 port deadline
  case $1 in
    postgres) stop_postgres "$2" || rc=$? ;;
    kafka) stop_java kafka "$2" 60 || rc=$? ;;
    s3) stop_java s3 "$2" 15 || rc=$? ;;
    oidc) stop_java oidc "$2" 10 || rc=$? ;;
  esac
  # A killed JVM's main thread can be gone while its other threads still hold the sockets: wait
  # until the ports are really free so that an immediate start-one can bind them again.
  if ((rc == 0)); then
    deadline=$((SECONDS + 15))
    for port in $(ports_of "$1"); do
      while port_open "$port" && ((SECONDS < deadline)); do sleep 0.1; done
    done
  fi
  return $rc
}

describe() { # name -> address
  case $1 in
    postgres) echo "127.0.0.1:$PG_PORT db=$PG_DB user=$PG_USER" ;;
    kafka) echo "$OWN_KAFKA" ;;
    s3) echo "$OWN_S3 bucket=$(s3_bucket)" ;;
    oidc) echo "$OWN_OIDC" ;;
  esac
}

start_server() { # name
  local name=$1 pid t0 var extra=""
  var=$(ext_var "$name")
  if is_external "$name"; then
    say "$(printf '%-9s' "$name") skipped: $var=${!var} (existing server)"
    return 0
  fi
  if pid=$(live_pid "$name"); then
    local port
    port=$(ports_of "$name")
    if port_open "${port%% *}"; then
      say "$(printf '%-9s' "$name") already running (pid $pid) $(describe "$name")"
    else
      warn "$name is running (pid $pid) but does not answer on port ${port%% *}; see $(log_file "$name") or use stack.sh stop-one/start-one $name"
    fi
    return 0
  fi
  t0=$(now)
  case $name in
    postgres) start_postgres ;;
    kafka)
      start_kafka
      extra=" [$KAFKA_TIMES; ${#TOPICS[@]} topics ok, $KAFKA_CREATED created]"
      ;;
    s3) start_s3 ;;
    oidc) start_oidc ;;
  esac
  say "$(printf '%-9s' "$name") started in $(elapsed "$t0") (pid $(live_pid "$name")) $(describe "$name")$extra"
}

# ------------------------------------------------------------------------------------------------
# infra.env

env_line() { # key value -> KEY=value, single-quoted only when the value needs it
  if [[ $2 =~ ^[A-Za-z0-9_./:@%+=,-]*$ ]]; then
    printf '%s=%s\n' "$1" "$2"
  else
    printf "%s='%s'\n" "$1" "${2//\'/\'\\\'\'}"
  fi
}

write_env() {
  local tmp=$ENV_FILE.tmp.$$ password
  {
    echo "# Written by local-stack/stack.sh start at $(date -Is). Load with: set -a; . $ENV_FILE; set +a"
    # Which stack this is, so that a shell (or a fault test) that loaded this file and runs stack.sh again, to stop
    # or start one server, reaches this stack's servers and not the default one's.
    env_line LACQUER_STACK_DIR "$STATE"
    env_line LACQUER_STACK_PORT_OFFSET "$PORT_OFFSET"
    if is_external postgres; then
      env_line DB_URL "$DB_URL"
      env_line DB_USER "${DB_USER:-$PG_USER}"
      env_line DB_PASSWORD "${DB_PASSWORD:-$PG_PASSWORD}"
    else
      env_line DB_URL "$OWN_DB_URL"
      env_line DB_USER "$PG_USER"
      env_line DB_PASSWORD "$PG_PASSWORD"
    fi
    if is_external kafka; then
      env_line KAFKA_BOOTSTRAP_SERVERS "$KAFKA_BOOTSTRAP_SERVERS"
    else
      env_line KAFKA_BOOTSTRAP_SERVERS "$OWN_KAFKA"
    fi
    if is_external s3; then
      env_line S3_ENDPOINT "$S3_ENDPOINT"
      env_line S3_REGION "${S3_REGION:-$S3_REGION_DEFAULT}"
      env_line S3_ACCESS_KEY_ID "${S3_ACCESS_KEY_ID:-$S3_ACCESS_KEY}"
      env_line S3_SECRET_ACCESS_KEY "${S3_SECRET_ACCESS_KEY:-$S3_SECRET_KEY}"
      env_line S3_BUCKET "${S3_BUCKET:-$S3_BUCKET_DEFAULT}"
    else
      env_line S3_ENDPOINT "$OWN_S3"
      env_line S3_REGION "$S3_REGION_DEFAULT"
      env_line S3_ACCESS_KEY_ID "$S3_ACCESS_KEY"
      env_line S3_SECRET_ACCESS_KEY "$S3_SECRET_KEY"
      env_line S3_BUCKET "$(s3_bucket)"
    fi
    if is_external oidc; then
      env_line OIDC_AUTH_SERVER_URL "$OIDC_AUTH_SERVER_URL"
      env_line OIDC_CLIENT_ID "${OIDC_CLIENT_ID:-$OIDC_CLIENT_DEFAULT}"
      env_line OIDC_TOKEN_URL "${OIDC_TOKEN_URL:-$OIDC_AUTH_SERVER_URL/protocol/openid-connect/token}"
      env_line LACQUER_DEV_PASSWORD "${LACQUER_DEV_PASSWORD:-$DEV_PASSWORD_DEFAULT}"
    else
      password=$DEV_PASSWORD_DEFAULT
      [[ -s $RUN/oidc.password ]] && password=$(<"$RUN/oidc.password")
      env_line OIDC_AUTH_SERVER_URL "$OWN_OIDC"
      env_line OIDC_CLIENT_ID "${OIDC_CLIENT_ID:-$OIDC_CLIENT_DEFAULT}"
      env_line OIDC_TOKEN_URL "$OWN_OIDC/protocol/openid-connect/token"
      env_line LACQUER_DEV_PASSWORD "$password"
    fi
  } >"$tmp"
  chmod 600 "$tmp"
  mv -f "$tmp" "$ENV_FILE"
}

# ------------------------------------------------------------------------------------------------
# commands

prepare() {
  mkdir -p "$RUN" "$LOGS" "$DATA" "$GEN_CONF"
  if command -v flock >/dev/null; then
    exec 9>"$RUN/stack.lock"
    if ! flock -n 9; then
      say "waiting for another stack.sh to finish (lock $RUN/stack.lock)"
      flock -w 900 9 || die "another stack.sh still holds $RUN/stack.lock"
    fi
  fi
}

needs_build_for() { # names... -> 0 if any of them will be started by us
  local n
  for n in "$@"; do
    if ! is_external "$n" && ! live_pid "$n" >/dev/null; then return 0; fi
  done
  return 1
}

cmd_start() {
  prepare
  pick_java
  local t0
  t0=$(now)
  if needs_build_for "${SERVERS[@]}"; then ensure_built; fi
  local n
  for n in "${SERVERS[@]}"; do start_server "$n"; done
  write_env
  say "ready in $(elapsed "$t0"); environment: $ENV_FILE (load: set -a; . $ENV_FILE; set +a)"
}

cmd_stop() {
  prepare
  local n i stopped=0
  for ((i = ${#SERVERS[@]} - 1; i >= 0; i--)); do
    n=${SERVERS[i]}
    local t0
    t0=$(now)
    if stop_server "$n" graceful; then
      say "$(printf '%-9s' "$n") stopped in $(elapsed "$t0")"
      stopped=$((stopped + 1))
    fi
  done
  ((stopped)) || say "nothing was running"
}

cmd_status() {
  local n pid var rc=0
  for n in "${SERVERS[@]}"; do
    var=$(ext_var "$n")
    if pid=$(live_pid "$n"); then
      printf '%-9s running   pid %-7s rss %4s MB  %s\n' "$n" "$pid" "$(rss_mb "$pid")" "$(describe "$n")"
    elif is_external "$n"; then
      printf '%-9s external  %s=%s\n' "$n" "$var" "${!var}"
    else
      printf '%-9s stopped\n' "$n"
      rc=3
    fi
  done
  return $rc
}

cmd_one() { # action name
  local action=$1 name=${2:-}
  valid_name "$name" || die "usage: stack.sh $action postgres|kafka|s3|oidc"
  prepare
  local t0
  t0=$(now)
  case $action in
    start-one)
      pick_java
      if needs_build_for "$name"; then ensure_built; fi
      start_server "$name"
      write_env
      ;;
    stop-one)
      if stop_server "$name" graceful; then
        say "$(printf '%-9s' "$name") stopped in $(elapsed "$t0")"
      else
        say "$(printf '%-9s' "$name") was not running"
      fi
      ;;
    kill-one)
      if stop_server "$name" kill; then
        say "$(printf '%-9s' "$name") killed (SIGKILL)"
      else
        say "$(printf '%-9s' "$name") was not running"
      fi
      ;;
  esac
}

cmd_kafka_console() {
  (($#)) || die "usage: stack.sh kafka-console MAIN-CLASS|topics|consume|produce ARGS..."
  pick_java
  artifacts_present || ensure_built
  local main=$1
  shift
  case $main in
    topics) main=org.apache.kafka.tools.TopicCommand ;;
    consume) main=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
    produce) main=org.apache.kafka.tools.ConsoleProducer ;;
    groups) main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  esac
  exec "$JAVA" -Xmx512m -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$CONF_SRC/kafka-tools-log4j2.xml" \
    -cp "$TARGET/kafka-libs/*" "$main" "$@"
}

usage() {
  sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
  local cmd=${1:-}
  (($#)) && shift
  case $cmd in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    start-one | stop-one | kill-one) cmd_one "$cmd" "$@" ;;
    kafka-console) cmd_kafka_console "$@" ;;
    env) echo "$ENV_FILE" ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
