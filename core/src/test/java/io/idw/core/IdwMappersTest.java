package io.idw.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Round trips through the shared YAML mapper keep every string a string. */
class IdwMappersTest {
  @Test
  void numberLikeStringsSurviveAYamlRoundTrip() throws Exception {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("version", "2.0");
    in.put("code", "007");
    in.put("flag", "true");
    in.put("count", 3);
    String yaml = IdwMappers.yaml().writeValueAsString(in);
    Map<String, Object> back = IdwMappers.yaml().readValue(yaml, new TypeReference<Map<String, Object>>() {});
    assertThat(back).isEqualTo(in);
  }
}
