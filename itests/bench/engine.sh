#!/bin/sh
# Engine benchmark (JMH): the overhead of a whole run of a 10-node logic-only workflow, of the
# 2-node start-to-end workflow (the fixed cost of a run), and per node ((ten - two) / 8).
#
#   itests/bench/engine.sh [JMH options, e.g. -f 1 -wi 3 -i 5]
#
# Build first (mvn -DskipTests install). Ends with one line:
#   engine_bench: run_10_nodes_us=<µs> run_2_nodes_us=<µs> per_node_us=<µs> runs_per_s_10_nodes=<n>
set -eu
here=$(cd "$(dirname "$0")" && pwd)
module="$here/engine"
if [ ! -d "$module/target/classes/META-INF" ]; then
  echo "bench: build first: mvn -DskipTests install (from the project root)" >&2
  exit 2
fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
classpath_file=$(mktemp)
trap 'rm -f "$classpath_file"' EXIT
mvn -q -o -f "$module/pom.xml" dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null 2>&1 \
  || mvn -q -f "$module/pom.xml" dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
exec "$java" -cp "$module/target/classes:$(cat "$classpath_file")" dev.weft.bench.EngineBench "$@"
