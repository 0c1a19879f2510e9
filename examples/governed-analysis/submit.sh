#!/usr/bin/env bash
# Builds the example job against idw's spark jar and submits it with spark-submit
# (org.apache.spark.deploy.SparkSubmit from Spark's own jars, so no Spark install is needed;
# with a Spark distribution, use its bin/spark-submit with the same arguments).
#   examples/governed-analysis/submit.sh WAREHOUSE AGREEMENT KEYSET USER PURPOSE OUT_DIR
# Needs: mvn -B package (cli/target/idw-cli-*-spark.jar, spark-dist/target/spark-dist.classpath),
# and the KEK in IDW_KEK or a file named by KEK_FILE.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/examples/governed-analysis"
IDW_JAR="$(ls "$ROOT"/cli/target/idw-cli-*-spark.jar 2>/dev/null | head -1)"
SPARK_CP_FILE="$ROOT/spark-dist/target/spark-dist.classpath"
[[ -f "$IDW_JAR" && -f "$SPARK_CP_FILE" ]] || { echo "submit.sh: run 'mvn -B -DskipTests package' first" >&2; exit 2; }
SPARK_CP="$(cat "$SPARK_CP_FILE")"
BUILD="$HERE/target"
rm -rf "$BUILD" && mkdir -p "$BUILD/classes"
javac --release 17 -d "$BUILD/classes" -cp "$IDW_JAR:$SPARK_CP" "$HERE"/src/example/*.java
jar --create --file "$BUILD/governed-analysis.jar" -C "$BUILD/classes" .
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$JAVA" -Xmx2g -cp "$SPARK_CP" \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
  org.apache.spark.deploy.SparkSubmit --master "${SPARK_MASTER:-local[2]}" \
  --conf spark.sql.shuffle.partitions=4 \
  --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
  --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
  --class example.FallsAttendanceCounts --jars "$IDW_JAR" "$BUILD/governed-analysis.jar" "$@"
