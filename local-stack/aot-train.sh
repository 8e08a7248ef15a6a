#!/usr/bin/env bash
# Trains the JDK AOT cache (JEP 483/514/515, JDK 25 or newer) of packaged services:
#
#   local-stack/aot-train.sh api-service worker-service
#
# For each module: starts target/quarkus-app/quarkus-run.jar once with its jvm.options and
# -XX:AOTCacheOutput, against the servers named in the environment (load infra.env first), waits until
# /q/health/ready answers 200, stops it (SIGTERM), and the JVM writes target/quarkus-app/app.aot on exit.
# Every local launch (./lacquer up, benchmark/run.sh, the e2e tests) then runs
# `java @jvm.options -XX:AOTCache=app.aot -jar quarkus-run.jar` from target/quarkus-app when the file is there.
# The container images do not carry a cache (see Dockerfile.jvm).
#
# A cache is kept while it is newer than every file of the packaged app and jvm.options and was made by this
# JVM build (app.aot.jvm); otherwise it is made again. Training takes one start plus the cache assembly (api-service 140 s,
# worker-service 64 s on 2 cores with a load average of ~20; much less on a quiet machine). It never fails the caller: without a JDK 25, or when training does not succeed, it
# says so, leaves no app.aot, and the services start as before (a missing or stale cache is only a warning).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

say() { printf '[aot] %s\n' "$*"; }

java_version() { "$JAVA" -version 2>&1 | tr '\n' ' '; }
java_major() { "$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

# A loopback port nothing listens on, below the range the kernel hands out by itself.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# Is app.aot there, made by this JVM build, and newer than every file of the packaged app and the JVM options?
cache_current() { # module app_dir
  local app=$2
  [[ -s $app/app.aot && -f $app/app.aot.jvm && $(cat "$app/app.aot.jvm") == "$(java_version)" ]] || return 1
  [[ ! $ROOT/$1/jvm.options -nt $app/app.aot ]] || return 1
  [[ -z $(find "$app" -type f ! -name 'app.aot*' -newer "$app/app.aot" -print -quit) ]]
}

train() { # module
  local module=$1 app=$ROOT/$1/target/quarkus-app port pid deadline log
  [[ -f $app/quarkus-run.jar ]] || { say "$module: $app/quarkus-run.jar is missing (package it first); no cache"; return; }
  if cache_current "$module" "$app"; then say "$module: app.aot is current"; return; fi
  rm -f "$app/app.aot" "$app/app.aot.jvm" "$app/app.aot.training"
  port=$(free_port)
  log=$ROOT/$module/target/aot-training.log
  say "$module: training run on 127.0.0.1:$port (log $log)"
  local started=$SECONDS
  # The same options as every launch (jvm.options), so the cache matches the runs that use it.
  (cd "$app" && PORT=$port QUARKUS_HTTP_HOST=127.0.0.1 \
    CRON_SECRET=${CRON_SECRET:-aot-training-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')} \
    exec "$JAVA" "@$ROOT/$module/jvm.options" -XX:AOTCacheOutput=app.aot.training -jar quarkus-run.jar) >"$log" 2>&1 &
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
    java_version >"$app/app.aot.jvm"
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
