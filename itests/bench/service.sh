#!/bin/sh
# Service API benchmark: load on the unpacked distribution's /v1, as Dify clients send it. Starts a
# fake OpenAI-compatible model on loopback that answers after 200 ms, and bin/weft on a fresh
# temporary home (its egress guard allowing the fake); sets it up over HTTP (owner, login, the openai
# provider's credentials, a chat app and a workflow app imported, published and keyed); then, each
# after a warm-up, measures:
#   chat_stream        streaming POST /v1/chat-messages of the chat app by 64 workers; each request
#                      is one model call, so the ceiling is 64 / 0.2 s = 320 rps (target: >= 90% of it)
#   workflow_blocking  blocking POST /v1/workflows/run of a logic-only workflow (start -> template ->
#                      if-else -> two ends, both branches taken) by 16 workers
#                      (target: >= 1500 rps with p99 < 50 ms)
# Workers are closed loops; a request is an error unless it answers 200 with the expected content
# (the fake's whole answer then message_end; a succeeded run with the expected greeting). Latency is
# request sent -> body read, over the requests started in the measured window; rps counts the
# successful requests that end in it. After each load the app's stored runs (GET /v1/workflows/logs,
# total) must equal the requests sent, warm-up included. Each load prints one line:
#   chat_stream: rps=<n> p50_ms=<n> p99_ms=<n> errors=<n> requests=<n> stored_runs=<n> sent=<n>
#     stored_runs_match=<bool> server_cpu_ms_per_request=<n> bench_cpu_ms_per_request=<n>
#     target_rps=320.0 target_met=<bool> model_calls=<n>
#   workflow_blocking: (the same up to bench_cpu_ms_per_request) target_met=<bool> branches_ok=<bool>
# (bench_cpu_ms_per_request is this client's and the in-process fake model's.)
#
#   itests/bench/service.sh [--seconds 20] [--warmup 20] [--dist <dir>] [--keep] [--only chat|workflow]
#                           [--chat-concurrency 64] [--workflow-concurrency 16] [--latency-ms 200]
#     --seconds      measured seconds per load (default 20)
#     --warmup       unmeasured seconds before each load's window (default 20: a fresh server's JIT
#                    compiles its hot paths for about that long under this load on 2 cores, and the
#                    compiler's CPU is taken from the server; with 5 s the chat load measured 281 rps,
#                    with 20 s 311 rps, on the same build)
#     --dist         the unpacked distribution (default: distribution/target/weft-<version>/ here)
#     --keep         keep the temporary home (the server's output: <home>/weft.out)
#     --only         run one of the two loads
#     --latency-ms   the fake model's time to first byte (default 200; 0 for the server's own cost)
# The server inherits WEFT_JAVA_OPTS (e.g. a -XX:StartFlightRecording=... to profile it).
#
# Build first (mvn -DskipTests install, then mvn -q -f itests/bench/service/pom.xml compile), and run
# it on an otherwise idle machine: the client, the fake and the server share its cores. Ends with
# one line:
#   service_bench: chat_rps=<n> chat_p50_ms=<n> chat_p99_ms=<n> chat_errors=<n> workflow_rps=<n> workflow_p50_ms=<n> workflow_p99_ms=<n> workflow_errors=<n> runs_match=<true|false>
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
module="$here/service"
if [ ! -d "$module/target/classes/dev" ]; then
  echo "bench: build first: mvn -DskipTests install (from the project root), then" >&2
  echo "bench:   mvn -q -f itests/bench/service/pom.xml compile" >&2
  exit 2
fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
dist=""
for candidate in "$root"/distribution/target/weft-*/; do
  if [ -x "${candidate}bin/weft" ]; then
    dist=${candidate%/}
    break
  fi
done
# written by the module's compile; made here when missing
classpath_file="$module/target/classpath.txt"
if [ ! -s "$classpath_file" ]; then
  mvn -q -o -f "$module/pom.xml" dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null 2>&1 \
    || mvn -q -f "$module/pom.xml" dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
fi
cd "$root"
# a --dist given on the command line comes later and wins
if [ -n "$dist" ]; then
  set -- --dist "$dist" "$@"
fi
# the client's GC on one thread and a small heap: the cores are for the server
exec "$java" -XX:+UseSerialGC -Xmx512m -cp "$module/target/classes:$(cat "$classpath_file")" dev.weft.bench.ServiceBench "$@"
