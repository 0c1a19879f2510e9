package io.idw.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class IdwSparkTest {

  @Test
  void anOperatorsSparkSystemPropertyWinsOverTheLocalDefault() {
    Map<String, String> all = IdwSpark.localDefaults();
    assertThat(all).containsKeys("spark.sql.shuffle.partitions", "spark.sql.session.timeZone", "spark.cleaner.periodicGC.interval");
    Properties system = new Properties();
    system.setProperty("spark.sql.shuffle.partitions", "64");
    system.setProperty("idw.unrelated", "x");
    Map<String, String> left = IdwSpark.localDefaults(system);
    assertThat(left).doesNotContainKey("spark.sql.shuffle.partitions");
    assertThat(left).hasSize(all.size() - 1).containsEntry("spark.sql.session.timeZone", all.get("spark.sql.session.timeZone"));
    assertThat(IdwSpark.localDefaults(new Properties())).isEqualTo(all);
  }
}
