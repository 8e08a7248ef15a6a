#!/usr/bin/env bash
# Trains the JDK AOT cache (JEP 483/514/515, JDK 25 or newer) of packaged services:
#
#   local-stack/aot-train.sh api-service worker-service
#
# For each module: starts it once through local-stack/launch.sh (the launch of every local run, so with its
# jvm.options) with -XX:AOTCacheOutput instead of a cache, against the servers named in the environment (load
# infra.env first), waits until /q/health/ready answers 200, stops it (SIGTERM), and the JVM writes
# target/quarkus-app/app.aot on exit. Every later launch.sh start uses it while it is current.
# The container images do not carry a cache (see Dockerfile.jvm).
#
# A cache is kept while it is current (launch.sh's aot_cache_current: newer than every file of the packaged app
# and jvm.options, made by this JVM build as app.aot.jvm records); otherwise it is made again. Training takes one start plus the cache assembly (api-service 140 s,
# worker-service 64 s on 2 cores with a load average of ~20; much less on a quiet machine). It never fails the caller: without a JDK 25, or when training does not succeed, it
# says so, leaves no app.aot, and the services start without a cache.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAUNCH=$ROOT/local-stack/launch.sh
# shellcheck source=local-stack/launch.sh
. "$LAUNCH"
JAVA=$(launch_java)

say() { printf '[aot] %s\n' "$*"; }

java_major() { "$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

# A loopback port nothing listens on, below the range the kernel hands out by itself.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

train() { # module
  local module=$1 app port pid deadline log
  app=$(launch_app_dir "$module")
  [[ -f $app/quarkus-run.jar ]] || { say "$module: $app/quarkus-run.jar is missing (package it first); no cache"; return; }
  if aot_cache_current "$module"; then say "$module: app.aot is current"; return; fi
  rm -f "$app/app.aot" "$app/app.aot.jvm" "$app/app.aot.training"
  port=$(free_port)
  log=$ROOT/$module/target/aot-training.log
  say "$module: training run on 127.0.0.1:$port (log $log)"
  local started=$SECONDS
  # The launch of every run (launch.sh: jvm.options, the jar named from the app directory), so the cache matches
  # the runs that use it; launch.sh execs the JVM, so $pid is the JVM's.
  PORT=$port QUARKUS_HTTP_HOST=127.0.0.1 \
    CRON_SECRET=${CRON_SECRET:-aot-training-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')} \
    bash "$LAUNCH" --no-aot-cache "$module" -XX:AOTCacheOutput=app.aot.training >"$log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + 120))
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/q/health/ready" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS > deadline)); then
      kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
      rm -f "$app/app.aot.training"
      say "$module: the training run did not get ready; no cache (see $log)"
      return
    fi
    sleep 0.2
  done
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if [[ -s $app/app.aot.training ]]; then
    mv "$app/app.aot.training" "$app/app.aot"
    jvm_build_id >"$app/app.aot.jvm"
    say "$module: app.aot written ($(du -m "$app/app.aot" | cut -f1) MB) in $((SECONDS - started)) s"
  else
    rm -f "$app/app.aot.training"
    say "$module: the JVM wrote no cache; no cache (see $log)"
  fi
}

(($#)) || { echo "usage: local-stack/aot-train.sh MODULE... (api-service, worker-service)"; exit 2; }
if [[ $(java_major) -lt 25 ]] 2>/dev/null || [[ -z $(java_major) ]]; then
  say "$JAVA is not a JDK 25 or newer: no AOT cache, the services start without one"
  exit 0
fi
for module in "$@"; do train "$module"; done
exit 0
