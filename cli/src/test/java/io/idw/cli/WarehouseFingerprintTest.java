package io.idw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.DeltaIO;
import io.idw.core.TableRef;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.testing.SparkTest;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class WarehouseFingerprintTest {
  @TempDir Path tmp;

  @Test
  void sameContentComparesEqualAndAnAppendIsReported(SparkSession spark) {
    Warehouse w = Warehouse.create(tmp.resolve("wh"));
    TableRef t = w.table(Zone.LINKED, "person_spine");
    DeltaIO.overwrite(spark.range(0, 50).toDF("n").withColumn("link_run", functions.rand()), t);
    String wh = w.root().toString();
    Path saved = tmp.resolve("fp.json");

    MainTest.Result first = MainTest.run("warehouse", "fingerprint", "--warehouse", wh,
        "--exclude-column", "*_run", "--json", saved.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).contains("linked.person_spine").contains("rows 50 ");

    MainTest.Result skipped = MainTest.run("warehouse", "fingerprint", "--warehouse", wh, "--exclude-table", "linked.*");
    assertThat(skipped.exit()).isZero();
    assertThat(skipped.out()).doesNotContain("person_spine");

    // the same rows rewritten (new version, new random run column): same content
    DeltaIO.overwrite(spark.range(0, 50).toDF("n").withColumn("link_run", functions.rand()), t);
    MainTest.Result same = MainTest.run("warehouse", "fingerprint", "--warehouse", wh,
        "--exclude-column", "*_run", "--compare", saved.toString());
    assertThat(same.exit()).as(same.out() + same.err()).isZero();
    assertThat(same.out()).contains("same content as");

    DeltaIO.append(spark.range(49, 50).toDF("n").withColumn("link_run", functions.rand()), t);
    MainTest.Result dup = MainTest.run("warehouse", "fingerprint", "--warehouse", wh,
        "--exclude-column", "*_run", "--compare", saved.toString());
    assertThat(dup.exit()).isEqualTo(Main.EXIT_FAILURE);
    assertThat(dup.out()).contains("linked.person_spine: 50 rows vs 51").contains("columns differ: n")
        .containsPattern("rows 51 +distinct 50 ");
  }

  @Test
  void aFolderWhoseFirstWriteNeverCommittedIsReportedNotFailed(SparkSession spark) throws Exception {
    Warehouse w = Warehouse.create(tmp.resolve("wh"));
    DeltaIO.overwrite(spark.range(0, 3).toDF("n"), w.table(Zone.LINKED, "person_spine"));
    // what a kill -9 during a table's first write leaves: a log folder with no commit, and a data file
    Path killed = w.table(Zone.LINKED, "record_links").path();
    java.nio.file.Files.createDirectories(killed.resolve("_delta_log"));
    java.nio.file.Files.write(killed.resolve("part-00000-uncommitted.snappy.parquet"), new byte[] {1, 2, 3});

    MainTest.Result r = MainTest.run("warehouse", "fingerprint", "--warehouse", w.root().toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("linked.person_spine").contains("rows 3 ")
        .containsPattern("linked.record_links +no table \\(uncommitted files only");
  }

  @Test
  void comparingWithAMissingFileSaysHowToMakeIt() {
    Warehouse w = Warehouse.create(tmp.resolve("wh"));
    MainTest.Result r = MainTest.run("warehouse", "fingerprint", "--warehouse", w.root().toString(),
        "--compare", tmp.resolve("none.json").toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(r.errLines()).singleElement().asString().contains("--json");
  }
}
