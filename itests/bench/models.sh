#!/bin/sh
# Model runtime benchmark: what the runtime (routing, retries, the openai provider, the egress guard)
# adds to a model call, against calling the fake OpenAI-compatible server directly, at concurrency 1
# and 64 (p50 and p99).
#
#   itests/bench/models.sh [calls per round, default 4000]
#
# Build first (mvn -DskipTests install). Ends with one line:
#   models_bench: c1_added_p50_ms=<ms> c1_added_p99_ms=<ms> c1_direct_p50_ms=<ms> c64_added_p50_ms=<ms> ...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
module="$here/models"
if [ ! -d "$module/target/classes/dev" ]; then
  echo "bench: build first: mvn -DskipTests install (from the project root)" >&2
  exit 2
fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
classpath_file=$(mktemp)
trap 'rm -f "$classpath_file"' EXIT
mvn -q -o -f "$module/pom.xml" dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null 2>&1 \
  || mvn -q -f "$module/pom.xml" dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
exec "$java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$module/target/classes:$(cat "$classpath_file")" \
  dev.weft.bench.ModelsBench "$@"
