package io.idw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.audit.AuditLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit path, run by failsafe after {@code package}: the shaded
 * {@code idw-cli-*-spark.jar} is submitted through {@code org.apache.spark.deploy.SparkSubmit} in a
 * separate JVM whose classpath holds only Spark's jars ({@code spark-dist/target/spark-dist.classpath}),
 * as on a cluster with a Spark distribution. So a class idw needs that is neither in Spark nor
 * shaded into the jar fails here, not on a user's cluster.
 */
class SparkSubmitIT {
  private static Path jar;
  private static String sparkClasspath;
  private static List<String> jvmOpens;

  @TempDir Path tmp;

  @BeforeAll
  static void locate() throws IOException {
    jar = Path.of(System.getProperty("idw.spark.jar"));
    Path cpFile = Path.of(System.getProperty("idw.spark.classpath"));
    assertThat(jar).as("the shaded spark jar (built by mvn package)").isRegularFile();
    assertThat(cpFile).as("Spark's classpath (written by the spark-dist module)").isRegularFile();
    sparkClasspath = Files.readString(cpFile).trim();
    jvmOpens = Arrays.stream(System.getProperty("idw.jvm.opens", "").trim().split("\\s+"))
        .filter(s -> !s.isEmpty()).toList();
  }

  @Test
  void shadedJarHoldsIdwAndDeltaButNotSpark() throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      assertThat(j.getEntry("io/idw/cli/Main.class")).isNotNull();
      assertThat(j.getEntry("io/idw/core/Warehouse.class")).isNotNull();
      assertThat(j.getEntry("io/delta/sql/DeltaSparkSessionExtension.class")).isNotNull();
      assertThat(j.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("io.idw.cli.Main");
      for (String provided : List.of("org/apache/spark/SparkContext.class",
          "org/apache/spark/sql/SparkSession.class", "scala/Predef.class",
          "org/apache/hadoop/fs/FileSystem.class", "org/apache/parquet/hadoop/ParquetFileReader.class")) {
        assertThat(j.getEntry(provided)).as("%s is provided by the cluster, not shaded", provided).isNull();
      }
    }
    assertThat(sparkClasspath.split(java.io.File.pathSeparator))
        .as("Spark's classpath has Spark and nothing of idw")
        .anyMatch(p -> p.contains("spark-core_"))
        .noneMatch(p -> p.contains("/io/idw/") || p.contains("idw-"));
  }

  @Test
  void demoRunsUnderSparkSubmit() throws Exception {
    Path wh = tmp.resolve("wh");
    Run init = submit("warehouse", "init", "--warehouse", wh.toString());
    assertThat(init.exit).as(init.output).isZero();
    assertThat(init.output).contains("warehouse ready at " + wh);

    Run demo = submit("demo", "--people", "300", "--warehouse", wh.toString());
    assertThat(demo.exit).as(demo.output).isZero();
    assertThat(demo.output)
        .as("the session spark-submit configured is used")
        .contains("master local[2]")
        .contains("chain intact");

    Warehouse w = Warehouse.open(wh);
    assertThat(w.tables(Zone.ANALYSIS)).as("the demo wrote Delta tables").isNotEmpty();
    var verify = AuditLog.of(w).verify();
    assertThat(verify.intact()).isTrue();
    assertThat(verify.records()).as("init and demo both audited").isGreaterThanOrEqualTo(2);

    Run status = submit("warehouse", "status", "--warehouse", wh.toString());
    assertThat(status.exit).as(status.output).isZero();
    assertThat(status.output).contains("chain intact");
  }

  @Test
  void refusalExitsTwoUnderSparkSubmit() throws Exception {
    Run r = submit("warehouse", "status", "--warehouse", tmp.resolve("nowhere").toString());
    assertThat(r.exit).isEqualTo(Main.EXIT_REFUSED);
    assertThat(r.output).contains("idw: ").doesNotContain("\tat ");
  }

  record Run(int exit, String output) {}

  /** Runs {@code SparkSubmit --master local[2] --class io.idw.cli.Main <jar> args} in a new JVM. */
  private Run submit(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.addAll(jvmOpens);
    cmd.addAll(List.of("-cp", sparkClasspath, "org.apache.spark.deploy.SparkSubmit",
        "--master", "local[2]", "--class", "io.idw.cli.Main",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.sql.shuffle.partitions=4",
        "--conf", "spark.driver.host=127.0.0.1",
        jar.toString()));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(tmp, "submit", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("spark-submit " + String.join(" ", args) + " did not finish in 10 minutes:\n"
          + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
