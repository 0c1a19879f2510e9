#!/usr/bin/env bash
# Runs an idw command on a real Spark standalone cluster on this machine, with no Spark installed:
# a Master and N Workers started from the Spark jars Maven resolved (spark-dist module), and the
# command submitted with org.apache.spark.deploy.SparkSubmit and the shaded idw spark jar. Then
# everything is stopped. Every wait is bounded.
#
#   scripts/spark-cluster.sh [--workers N] [--keep] [--run-dir DIR] [--] [idw command and options]
#
# Default command: `warehouse init` then `demo --people 1000`, in a warehouse under the run dir.
# Environment:
#   IDW_WORKER_MEMORY  executor memory per worker (default 1g)
#   IDW_DRIVER_HEAP    driver heap (default 2g)
#   IDW_SUBMIT_TIMEOUT seconds the submitted command may take (default 1800)
#   IDW_MAVEN_OPTS     extra Maven arguments if a build is needed (e.g. -o)
#   SPARK_SUBMIT_CONF  extra "--conf k=v ..." words for spark-submit
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORKERS=2
KEEP=0
RUN_DIR=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --workers) WORKERS="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --run-dir) RUN_DIR="$2"; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
  esac
done
[[ "$WORKERS" =~ ^[1-9][0-9]?$ ]] || { echo "spark-cluster: --workers must be 1-99, got '$WORKERS'" >&2; exit 2; }
RUN_DIR="${RUN_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/idw-cluster.XXXXXX")}"
mkdir -p "$RUN_DIR"
RUN_DIR="$(cd "$RUN_DIR" && pwd)"

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
VERSION="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)"
JAR="$ROOT/cli/target/idw-cli-$VERSION-spark.jar"
CP_FILE="$ROOT/spark-dist/target/spark-dist.classpath"
if [[ ! -f "$JAR" || ! -f "$CP_FILE" || "${IDW_REBUILD:-0}" == 1 ]]; then
  echo "spark-cluster: building the spark jar (mvn package)..." >&2
  (cd "$ROOT" && mvn -B -q ${IDW_MAVEN_OPTS:-} -DskipTests -pl cli -am package) \
    || { echo "spark-cluster: build failed; run 'mvn -B -pl cli -am package' to see why" >&2; exit 1; }
fi
# A private copy, so that a rebuild while this runs cannot change the jar under the JVMs.
cp "$JAR" "$RUN_DIR/idw-spark.jar"
JAR="$RUN_DIR/idw-spark.jar"
SPARK_CP="$(cat "$CP_FILE")"
# Spark's own launcher options for JDK 17 (org.apache.spark.launcher.JavaModuleOptions).
OPENS="$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' "$ROOT/pom.xml")"

# A Spark home whose jars come from SPARK_DIST_CLASSPATH, so that Workers can build executor
# command lines exactly as in a "Hadoop free" Spark distribution.
export SPARK_HOME="$RUN_DIR/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_DIST_CLASSPATH="$SPARK_CP"
export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOG_DIR="$RUN_DIR/logs"
mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf" "$SPARK_LOG_DIR"
cat > "$SPARK_HOME/conf/log4j2.properties" <<'EOF'
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
EOF
cat > "$SPARK_HOME/conf/driver-log4j2.properties" <<'EOF'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.delta.name = org.apache.spark.sql.delta
logger.delta.level = error
EOF
export SPARK_CONF_DIR="$SPARK_HOME/conf"

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  echo "spark-cluster: no free port found" >&2; return 1
}

PIDS=()
cleanup() {
  local rc=$?
  [[ ${#PIDS[@]} -eq 0 ]] && return $rc
  echo "spark-cluster: stopping ${#PIDS[@]} daemons" >&2
  # Workers first (each takes its executors down), then the master; each in its own process group.
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do kill -TERM -- "-${PIDS[i]}" 2>/dev/null || true; done
  for _ in $(seq 1 20); do
    local alive=0
    for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && break
    sleep 0.5
  done
  for p in "${PIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  PIDS=()
  [[ $KEEP == 1 ]] || rm -rf "$SPARK_HOME" "$RUN_DIR"/work-*
  return $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for LOG PATTERN SECONDS WHAT PID
wait_for() {
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    if ! kill -0 "$5" 2>/dev/null; then echo "spark-cluster: $4 died; its log ($1):" >&2; tail -30 "$1" >&2; exit 1; fi
    if ((SECONDS >= deadline)); then echo "spark-cluster: $4 not up after $3 s; its log ($1):" >&2; tail -30 "$1" >&2; exit 1; fi
    sleep 0.5
  done
}

daemon() { # daemon LOG CLASS ARGS... : starts a Spark daemon in its own process group
  local log="$1"; shift
  setsid "$JAVA" -Xmx512m $OPENS -cp "$SPARK_CONF_DIR:$SPARK_CP" "$@" >"$log" 2>&1 < /dev/null &
  PIDS+=($!)
}

MASTER_PORT="$(free_port)"
MASTER_URL="spark://127.0.0.1:$MASTER_PORT"
t0=$SECONDS
daemon "$SPARK_LOG_DIR/master.log" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$(free_port)"
wait_for "$SPARK_LOG_DIR/master.log" "I have been elected leader" 120 "the master" "${PIDS[0]}"
echo "spark-cluster: master $MASTER_URL up ($((SECONDS - t0)) s)" >&2

for i in $(seq 1 "$WORKERS"); do
  mkdir -p "$RUN_DIR/work-$i"
  daemon "$SPARK_LOG_DIR/worker-$i.log" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --cores 1 --memory "${IDW_WORKER_MEMORY:-1g}" --work-dir "$RUN_DIR/work-$i" \
    --webui-port "$(free_port)" "$MASTER_URL"
done
for i in $(seq 1 "$WORKERS"); do
  wait_for "$SPARK_LOG_DIR/worker-$i.log" "Successfully registered with master" 120 "worker $i" "${PIDS[$i]}"
done
echo "spark-cluster: $WORKERS workers registered ($((SECONDS - t0)) s)" >&2

submit() {
  echo "spark-cluster: submitting idw $*" >&2
  local ts=$SECONDS
  timeout --kill-after=10 "${IDW_SUBMIT_TIMEOUT:-1800}" \
    "$JAVA" "-Xmx${IDW_DRIVER_HEAP:-2g}" $OPENS -Dlog4j2.configurationFile="$SPARK_CONF_DIR/driver-log4j2.properties" \
    -cp "$SPARK_CP" org.apache.spark.deploy.SparkSubmit \
    --master "$MASTER_URL" --deploy-mode client --class io.idw.cli.Main \
    --conf spark.executor.memory="${IDW_WORKER_MEMORY:-1g}" --conf spark.executor.cores=1 \
    --conf spark.cores.max="$WORKERS" --conf spark.sql.shuffle.partitions=$((WORKERS * 2)) \
    --conf spark.default.parallelism=$((WORKERS * 2)) --conf spark.driver.host=127.0.0.1 \
    --conf spark.driver.bindAddress=127.0.0.1 --conf spark.ui.enabled=false \
    --conf spark.databricks.delta.snapshotPartitions=2 --conf spark.sql.session.timeZone=UTC \
    ${SPARK_SUBMIT_CONF:-} "$JAR" "$@"
  local rc=$?
  echo "spark-cluster: idw $1 exited $rc after $((SECONDS - ts)) s" >&2
  return $rc
}

set +e
if [[ $# -gt 0 ]]; then
  submit "$@"; rc=$?
else
  WH="$RUN_DIR/warehouse"
  submit warehouse init --warehouse "$WH" && submit demo --people 1000 --warehouse "$WH"; rc=$?
fi
set -e
# Proof the executors ran on the workers, not in the driver.
for i in $(seq 1 "$WORKERS"); do
  n=$(grep -c "Launching executor\|Asked to launch executor" "$SPARK_LOG_DIR/worker-$i.log" || true)
  echo "spark-cluster: worker $i launched $n executor(s)" >&2
done
echo "spark-cluster: logs in $SPARK_LOG_DIR" >&2
exit $rc
