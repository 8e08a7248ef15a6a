#!/usr/bin/env bash
# Lacquer benchmark and fault soak: starts its own local stack (PostgreSQL with fsync on, Kafka, s3proxy, the dev
# OIDC issuer) and both services as packaged apps, runs the scenarios with a progress line, and writes
# benchmark/results/<timestamp>.md and .json. See benchmark/README.md.
#
#   benchmark/run.sh                          every scenario, short phases (about 13 minutes on 2 cores)
#   benchmark/run.sh --scenario 2             one scenario (repeat the option, or 1,2,3, for several)
#   benchmark/run.sh --duration 60            longer measured phases (seconds; default 20)
#   benchmark/run.sh --soak 600               a longer fault soak (seconds; default max(150, 6 × duration))
#   benchmark/run.sh --warmup 600             scenario 1 warms the services up until their rate stops rising,
#                                             at most this long (seconds; default 240)
#
# Options: --offset N (port offset of the benchmark's stack, default 4000, so it never meets the dev stack),
# --stack-dir DIR (default /tmp/lacquer-bench-<offset>), --keep-stack (reuse its data and leave it running),
# --no-build (use the jars already built), --api-env KEY=VALUE / --worker-env KEY=VALUE (repeatable: run the
# services with a changed setting, to measure a fix; the results name them).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CMDLINE="benchmark/run.sh${*:+ $*}"
SCENARIO_ARGS=()
EXTRA_ARGS=()
DURATION=20
SOAK=0
WARMUP=240
OFFSET=4000
STACK_DIR=""
KEEP_STACK=0
BUILD=1

say() { printf '[bench] %s\n' "$*"; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

while (($#)); do
  case $1 in
    --scenario) [[ ${2:-} =~ ^[0-6](,[0-6])*$ ]] || die "--scenario takes 0..6 (or a list like 1,2)"; SCENARIO_ARGS+=(--scenario "$2"); shift 2 ;;
    --duration) [[ ${2:-} =~ ^[0-9]+$ ]] || die "--duration takes seconds"; DURATION=$2; shift 2 ;;
    --soak) [[ ${2:-} =~ ^[0-9]+$ ]] || die "--soak takes seconds"; SOAK=$2; shift 2 ;;
    --warmup) [[ ${2:-} =~ ^[0-9]+$ ]] || die "--warmup takes seconds"; WARMUP=$2; shift 2 ;;
    --offset) [[ ${2:-} =~ ^[0-9]+$ ]] || die "--offset takes a number"; OFFSET=$2; shift 2 ;;
    --stack-dir) [[ -n ${2:-} ]] || die "--stack-dir takes a directory"; STACK_DIR=$2; shift 2 ;;
    --keep-stack) KEEP_STACK=1; shift ;;
    --no-build) BUILD=0; shift ;;
    --api-env | --worker-env) [[ ${2:-} == ?*=* ]] || die "$1 takes KEY=VALUE"; EXTRA_ARGS+=("$1" "$2"); shift 2 ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
((OFFSET > 0)) || die "--offset 0 would use the dev stack's ports; pick another (default 4000)"
STACK_DIR=${STACK_DIR:-/tmp/lacquer-bench-$OFFSET}
[[ $(realpath -m "$STACK_DIR") != "$ROOT/.local-stack" ]] || die "--stack-dir must not be the dev stack's"

# A JDK 21 or newer: JAVA_HOME if it is one, else the newest under /usr/lib/jvm.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [[ -z ${JAVA_HOME:-} || ! -x ${JAVA_HOME}/bin/javac || $(java_major "$JAVA_HOME") -lt 21 ]]; then
  best="" best_version=0
  for candidate in /usr/lib/jvm/*; do
    [[ -x $candidate/bin/javac ]] || continue
    version=$(java_major "$candidate" || echo 0)
    if ((${version:-0} > best_version)); then best=$candidate; best_version=$version; fi
  done
  ((best_version >= 21)) || die "a JDK 21 or newer is needed (set JAVA_HOME)"
  export JAVA_HOME=$best
fi
JAVA=$JAVA_HOME/bin/java

cd "$ROOT"
if ((BUILD)); then
  say "building the services (packaged Quarkus apps) and the benchmark"
  # install: the benchmark, built on its own below, takes the services' object-store client from the local repository
  ./mvnw -B -q install -DskipTests -pl api-service,worker-service,object-store-client -am
  ./mvnw -B -q -f benchmark/pom.xml package -DskipTests
fi
for jar in api-service/target/quarkus-app/quarkus-run.jar worker-service/target/quarkus-app/quarkus-run.jar; do
  [[ -f $jar ]] || die "$jar is missing: run without --no-build"
done
[[ -d benchmark/target/lib ]] || die "benchmark/target/lib is missing: run without --no-build"

export LACQUER_STACK_DIR=$STACK_DIR LACQUER_STACK_PORT_OFFSET=$OFFSET
unset DB_URL KAFKA_BOOTSTRAP_SERVERS S3_ENDPOINT OIDC_AUTH_SERVER_URL LACQUER_STACK_FAST
PIDS_FILE=$STACK_DIR/bench-services.pids
export LACQUER_BENCH_PIDS=$PIDS_FILE

cleanup() {
  local pid
  # Services the benchmark started, should it have died without stopping them (only ours: by pid and command line).
  if [[ -f $PIDS_FILE ]]; then
    while read -r pid; do
      [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || continue
      # A JVM of launch.sh (which execs it; in the moment before, the pid is still launch.sh's).
      if tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qE 'quarkus-run.jar|local-stack/launch.sh'; then kill -9 "$pid" 2>/dev/null || true; fi
    done <"$PIDS_FILE"
    rm -f "$PIDS_FILE"
  fi
  if ((KEEP_STACK == 0)); then
    say "stopping the benchmark's stack"
    bash "$ROOT/local-stack/stack.sh" stop >/dev/null 2>&1 || true
  fi
}

if ((KEEP_STACK == 0)) && [[ -d $STACK_DIR ]]; then
  say "fresh stack: stopping and removing $STACK_DIR"
  bash "$ROOT/local-stack/stack.sh" stop >/dev/null 2>&1 || true
  rm -rf "$STACK_DIR"
fi
trap cleanup EXIT
trap 'exit 130' INT TERM
say "starting the benchmark's stack in $STACK_DIR (port offset $OFFSET, PostgreSQL with fsync on)"
bash "$ROOT/local-stack/stack.sh" start
# The services' JDK AOT caches, trained against this stack when the build changed (as ./lacquer up does).
(set -a && . "$STACK_DIR/infra.env" && set +a && bash "$ROOT/local-stack/aot-train.sh" api-service worker-service)

"$JAVA" -Xmx1g -Djava.awt.headless=true -cp "benchmark/target/classes:benchmark/target/lib/*" \
  dev.lacquer.benchmark.Main --repo "$ROOT" --stack-dir "$STACK_DIR" --offset "$OFFSET" \
  --duration "$DURATION" --soak "$SOAK" --warmup "$WARMUP" --java-home "$JAVA_HOME" --command "$CMDLINE" "${SCENARIO_ARGS[@]}" "${EXTRA_ARGS[@]}"
