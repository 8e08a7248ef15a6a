#!/usr/bin/env bash
# Launches a packaged service the one way every local launch does (./lacquer up, local-stack/aot-train.sh, the
# benchmark's and the e2e tests' ServiceProcess):
#
#   local-stack/launch.sh MODULE [JAVA_OPTION...]          from MODULE/target/quarkus-app, exec
#       java @MODULE/jvm.options [-XX:AOTCache=app.aot] [JAVA_OPTION...] -jar quarkus-run.jar
#   local-stack/launch.sh --print MODULE [JAVA_OPTION...]  prints that command (shell-quoted) instead
#   local-stack/launch.sh --no-aot-cache MODULE ...        without the AOT cache (aot-train.sh's training run)
#
# The JVM is $JAVA_HOME/bin/java, else java on the PATH. The environment goes through unchanged (PORT,
# QUARKUS_HTTP_HOST, the servers' addresses, ...), and so do stdout and stderr: the caller sends them to its log.
# The script execs the JVM, so the process the caller started IS the JVM: its pid, a SIGTERM or a SIGKILL reach
# the JVM itself, not a wrapper shell. JAVA_OPTIONs come after jvm.options, so they override it.
#
# The AOT cache (JEP 483/514/515, made by local-stack/aot-train.sh) is added only while it is current
# (aot_cache_current below, the one rule aot-train.sh retrains by): a missing or stale cache means a start
# without one, as with a JDK older than 25, which made no cache and would refuse the option.
#
# Sourced (`. local-stack/launch.sh`), it only defines the functions below and changes no shell option.

LAUNCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The java command of a launch.
launch_java() { printf '%s\n' "${JAVA_HOME:+$JAVA_HOME/bin/}java"; }

# Which JVM build this is, as recorded in app.aot.jvm next to a cache: the JDK's release file (version, vendor,
# build), read without starting a JVM so that checking costs a launch nothing; `java -version` where there is none.
jvm_build_id() {
  local java home
  java=$(launch_java)
  home=${JAVA_HOME:-}
  if [[ -z $home ]]; then
    java=$(command -v "$java") && home=$(dirname "$(dirname "$(readlink -f "$java")")") || home=""
  fi
  if [[ -n $home && -f $home/release ]]; then
    printf '%s\n' "$(<"$home/release")"
  else
    "$java" -version 2>&1
  fi
}

launch_app_dir() { printf '%s\n' "$LAUNCH_ROOT/$1/target/quarkus-app"; } # module

# Is MODULE's AOT cache current: app.aot there, made by this JVM build (app.aot.jvm), and newer than every file of
# the packaged app and than the module's jvm.options (the cache must match the heap settings it was made with)?
aot_cache_current() { # module
  local app options
  app=$(launch_app_dir "$1")
  options=$LAUNCH_ROOT/$1/jvm.options
  [[ -s $app/app.aot && -f $app/app.aot.jvm && $(<"$app/app.aot.jvm") == "$(jvm_build_id)" ]] || return 1
  [[ ! $options -nt $app/app.aot ]] || return 1
  [[ -z $(find "$app" -type f ! -name 'app.aot*' -newer "$app/app.aot" -print -quit) ]]
}

# The launch's argv (run it from the app directory): java, its options, -jar quarkus-run.jar.
launch_command() { # [--no-aot-cache] module [java option...]
  local use_cache=1 module options
  if [[ ${1:-} == --no-aot-cache ]]; then use_cache=0; shift; fi
  module=$1
  shift
  options=$LAUNCH_ROOT/$module/jvm.options
  LAUNCH_ARGV=("$(launch_java)")
  [[ -f $options ]] && LAUNCH_ARGV+=("@$options")
  ((use_cache)) && aot_cache_current "$module" && LAUNCH_ARGV+=(-XX:AOTCache=app.aot)
  # The jar relative to the app directory, as in the training run: the cache records the class path as launched.
  LAUNCH_ARGV+=("$@" -jar quarkus-run.jar)
}

launch_main() {
  local print=0 no_cache=() module app
  while [[ ${1:-} == --* ]]; do
    case $1 in
      --print) print=1 ;;
      --no-aot-cache) no_cache=(--no-aot-cache) ;;
      *) echo "launch.sh: unknown option $1" >&2; return 2 ;;
    esac
    shift
  done
  [[ -n ${1:-} ]] || { echo "usage: local-stack/launch.sh [--print] [--no-aot-cache] MODULE [JAVA_OPTION...]" >&2; return 2; }
  module=$1
  shift
  app=$(launch_app_dir "$module")
  [[ -f $app/quarkus-run.jar ]] || { echo "launch.sh: $app/quarkus-run.jar is missing (package $module first)" >&2; return 2; }
  launch_command "${no_cache[@]}" "$module" "$@"
  if ((print)); then
    printf 'cd %q &&' "$app"
    printf ' %q' "${LAUNCH_ARGV[@]}"
    printf '\n'
    return
  fi
  cd "$app" && exec "${LAUNCH_ARGV[@]}"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -uo pipefail
  launch_main "$@"
fi
