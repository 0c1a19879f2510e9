package io.idw.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.Warehouse;
import io.idw.core.testing.SparkTest;
import io.idw.pseudonymise.Ingest;
import io.idw.pseudonymise.KeySet;
import io.idw.sampledata.GenerateResult;
import io.idw.sampledata.SampleData;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded synthetic KID at small scale, end to end: generate, pseudonymise, link, then score against
 * sample-data's truth ({@code truth/record_person.csv}). Fire-service home safety visits carry no NHS
 * number, so every fire-visit link is probabilistic (Fellegi-Sunter on encodings).
 *
 * <p>At this scale (400 people, 12 months: about 2,000 records) only a handful of fire visits exist,
 * so the fire-visit figures rest on few pairs; the same precision floor is asserted for every
 * record linked probabilistically. {@code linkage/bench/run.sh kid PEOPLE} measures larger scales.
 */
@SparkTest
class KidFireVisitLinkageTest {

  @Test
  void fireVisitsLinkToTheSpineAgainstTruth(SparkSession spark, Warehouse w, @TempDir Path dir) {
    GenerateResult g = SampleData.generator().people(400).months(12).seed(11).out(dir.resolve("sample")).build().run(spark);
    Ingest.builder().warehouse(w).keySet(KeySet.generate(true)).input(g.outDir()).build().runAll(spark);
    LinkageJob.Result r = LinkageJob.builder().warehouse(w).build().run(spark);
    KidQuality.Report q = KidQuality.evaluate(spark, w, g.truthDir().resolve("record_person.csv"));
    System.out.print(q.summary());
    System.out.println("phases " + r.seconds());
    PairwiseQuality fire = q.bySource().stream().filter(s -> s.scope().endsWith("fire_home_safety_visits")).findFirst()
        .orElseThrow();
    assertThat(fire.truePairs()).isPositive();
    // issue 5's targets for records without NHS numbers: recall >= 0.97 at precision >= 0.995
    assertThat(fire.precision()).as(fire.line()).isGreaterThanOrEqualTo(0.995);
    assertThat(fire.recall()).as(fire.line()).isGreaterThanOrEqualTo(0.97);
    // record level: of the fire visits whose person has other records, the share linked to at least one of them
    KidQuality.LinkRate fireRecords = q.linkRates().stream()
        .filter(l -> l.dimension().equals(LinkColumns.SOURCE) && l.value().equals("fire_home_safety_visits"))
        .findFirst().orElseThrow();
    assertThat(fireRecords.shouldLink()).isPositive();
    assertThat(fireRecords.recordRecall()).isGreaterThanOrEqualTo(0.97);
    PairwiseQuality probabilistic = q.byMethod().stream().filter(m -> m.scope().endsWith(LinkColumns.PROBABILISTIC))
        .findFirst().orElseThrow();
    assertThat(probabilistic.truePairs()).isPositive();
    assertThat(probabilistic.precision()).as(probabilistic.line()).isGreaterThanOrEqualTo(0.995);
  }
}
