#!/bin/sh
# Startup benchmark: starts the unpacked distribution's bin/weft, waits for GET /api/health to
# answer 200, then reads the resident memory after ten idle seconds. The clock starts when bin/weft
# is launched. Each run uses a fresh home (a first start: database created, bundles cached), then
# starts again on the same home (a restart).
#
#   itests/bench/startup.sh [distribution folder] [runs]
#
# Prints one line per start and ends with: startup_ms=<median first start> rss_mb=<median idle RSS>
set -eu

dist=${1:-}
runs=${2:-5}
if [ -z "$dist" ]; then
  dist=$(ls -d "$(dirname "$0")"/../../distribution/target/weft-*/ 2>/dev/null | head -n 1)
fi
dist=${dist%/}
if [ ! -x "$dist/bin/weft" ]; then
  echo "bench: no distribution at '$dist' (build it with: mvn -DskipTests package)" >&2
  exit 2
fi
idle_seconds=${WEFT_BENCH_IDLE_SECONDS:-10}

now_ms() { date +%s%3N; }

free_port() {
  while :; do
    port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 ))
    if ! curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
      echo "$port"
      return
    fi
  done
}

# start <home>: prints "<ms to healthy> <idle rss in MB>"
start() {
  home=$1
  port=$(free_port)
  t0=$(now_ms)
  WEFT_HOME=$home WEFT_HTTP_PORT=$port "$dist/bin/weft" >"$home/bench.out" 2>&1 &
  pid=$!
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/api/health" || true)
    [ "$code" = 200 ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "bench: weft exited before it was healthy; see $home/bench.out" >&2
      exit 1
    fi
    if [ $(( $(now_ms) - t0 )) -gt 60000 ]; then
      echo "bench: not healthy after 60 s; see $home/bench.out" >&2
      kill "$pid"
      exit 1
    fi
    sleep 0.02
  done
  t1=$(now_ms)
  sleep "$idle_seconds"
  rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$(( t1 - t0 )) $(( rss_kb / 1024 ))"
}

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : int((v[NR/2] + v[NR/2+1]) / 2)}'; }

firsts=""; restarts=""; rsss=""
i=1
while [ "$i" -le "$runs" ]; do
  home=$(mktemp -d "${TMPDIR:-/tmp}/weft-bench.XXXXXX")
  set -- $(start "$home")
  echo "run $i: first start ${1} ms to healthy, ${2} MB resident after ${idle_seconds} s idle"
  firsts="$firsts $1"; rsss="$rsss $2"
  set -- $(start "$home")
  echo "run $i: restart     ${1} ms to healthy, ${2} MB resident after ${idle_seconds} s idle"
  restarts="$restarts $1"
  rm -rf "$home"
  i=$(( i + 1 ))
done

java_version=$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -n 1)
echo "machine: $(nproc) cores, $java_version, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "restart_ms=$(echo $restarts | tr ' ' '\n' | median)"
echo "startup_ms=$(echo $firsts | tr ' ' '\n' | median) rss_mb=$(echo $rsss | tr ' ' '\n' | median)"
