package io.idw.linkage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idw.core.IdwException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings in Splink's vocabulary: golden parse, round trips, field-precise errors. */
class LinkageSettingsTest {
  static final String SPLINK_STYLE = """
      {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": 0.001,
        "blocking_rules_to_generate_predictions": [
          {"blocking_rule": "l.tok_dob = r.tok_dob", "sql_dialect": "spark"},
          "l.tok_family_name = r.tok_family_name"
        ],
        "comparisons": [
          {
            "output_column_name": "given_name",
            "comparison_levels": [
              {"sql_condition": "bf_given_name_l IS NULL OR bf_given_name_r IS NULL", "label_for_charts": "Null", "is_null_level": true},
              {"sql_condition": "dice(bf_given_name_l, bf_given_name_r) >= 0.9", "label_for_charts": "Dice >= 0.9", "m_probability": 0.8, "u_probability": 0.01},
              {"sql_condition": "ELSE", "label_for_charts": "All other comparisons", "m_probability": 0.2, "u_probability": 0.99}
            ]
          }
        ],
        "retain_matching_columns": true,
        "additional_columns_to_retain": []
      }
      """;

  @Test
  void parsesSplinkSettingsAndRoundTrips(@TempDir Path dir) throws Exception {
    LinkageSettings s = LinkageSettings.parse(SPLINK_STYLE, "splink.json");
    assertThat(s.predictionRules()).extracting(BlockingRule::blockingRule)
        .containsExactly("l.tok_dob = r.tok_dob", "l.tok_family_name = r.tok_family_name");
    Comparison c = s.comparisons().get(0);
    assertThat(c.inputColumns()).containsExactly("bf_given_name");
    assertThat(c.gammaOf(0)).isEqualTo(-1);
    assertThat(c.gammaOf(1)).isEqualTo(1);
    assertThat(c.gammaOf(2)).isEqualTo(0);
    assertThat(c.levels().get(1).partialWeight()).isCloseTo(Math.log(80) / Math.log(2), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(s.isTrained()).isTrue();

    Path json = dir.resolve("model.json");
    Files.writeString(json, s.toJson());
    assertThat(LinkageSettings.read(json)).isEqualTo(s);
    Path yaml = dir.resolve("model.yaml");
    Files.writeString(yaml, s.toYaml());
    assertThat(LinkageSettings.read(yaml)).isEqualTo(s);
    assertThat(LinkageSettings.read(yaml).hash()).isEqualTo(s.hash());
  }

  @Test
  void unknownKeyNamesTheField() {
    String bad = SPLINK_STYLE.replace("\"link_type\"", "\"lnk_type\"");
    assertThatThrownBy(() -> LinkageSettings.parse(bad, "bad.json"))
        .isInstanceOf(IdwException.class)
        .hasMessageContaining("bad.json").hasMessageContaining("lnk_type");
  }

  @Test
  void ruleWithoutEqualityIsRefused() {
    String bad = SPLINK_STYLE.replace("\"l.tok_family_name = r.tok_family_name\"", "\"l.tok_family_name > r.tok_family_name\"");
    assertThatThrownBy(() -> LinkageSettings.parse(bad, "bad.json"))
        .isInstanceOf(IdwException.class)
        .hasMessageContaining("blocking_rule").hasMessageContaining("no equality");
  }

  @Test
  void elseMustBeLast() {
    String bad = SPLINK_STYLE.replace("\"sql_condition\": \"dice(bf_given_name_l, bf_given_name_r) >= 0.9\"", "\"sql_condition\": \"ELSE\"");
    assertThatThrownBy(() -> LinkageSettings.parse(bad, "bad.json"))
        .isInstanceOf(IdwException.class).hasMessageContaining("ELSE must be the last level");
  }

  @Test
  void suffixedBlockingSql() {
    BlockingRule r = BlockingRule.of("l.tok_postcode = r.tok_postcode and l.tok_yob = r.tok_yob");
    assertThat(r.suffixedSql()).isEqualTo("tok_postcode_l = tok_postcode_r and tok_yob_l = tok_yob_r");
    assertThat(r.columns()).containsExactly("tok_postcode", "tok_yob");
  }
}
