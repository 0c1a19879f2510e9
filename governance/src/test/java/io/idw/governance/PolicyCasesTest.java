package io.idw.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idw.core.IdwMappers;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the policy-engine cases in {@code policy-cases/*.json}: each is a request against the test
 * agreement (optionally edited by JSON pointer), with the expected decision. An edited policy that
 * no longer parses must deny, exactly as a governed session refuses to open under it.
 */
class PolicyCasesTest {

  static JsonNode resource(String name) throws IOException {
    try (InputStream in = PolicyCasesTest.class.getResourceAsStream("/" + name)) {
      assertThat(in).as(name).isNotNull();
      return name.endsWith(".json") ? IdwMappers.json().readTree(in) : IdwMappers.yaml().readTree(in);
    }
  }

  @TestFactory
  Stream<DynamicTest> failClosedCases() throws IOException {
    JsonNode suite = resource("policy-cases/fail-closed.json");
    JsonNode base = resource(suite.get("policy").asText());
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : suite.get("cases")) {
      tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> run(suite, base, c)));
    }
    assertThat(tests).hasSizeGreaterThanOrEqualTo(30);
    return tests.stream();
  }

  private static void run(JsonNode suite, JsonNode base, JsonNode c) throws Exception {
    JsonNode policy = base.deepCopy();
    if (c.has("edits")) {
      c.get("edits").fields().forEachRemaining(e -> set(policy, e.getKey(), e.getValue()));
    }
    LocalDate at = LocalDate.parse((c.has("at") ? c : suite).get("at").asText());
    DatasetCatalog catalog = catalog((c.has("catalog") ? c : suite).get("catalog"));
    JsonNode r = c.get("request");
    List<String> cols = new ArrayList<>();
    if (r.has("columns")) {
      r.get("columns").forEach(n -> cols.add(n.asText()));
    }
    AccessRequest req = new AccessRequest(text(r, "user"), text(r, "purpose"), text(r, "accessType"),
        text(r, "dataset"), cols);

    Agreements.Parsed parsed = Agreements.parse(IdwMappers.json().writeValueAsBytes(policy), "case", IdwMappers.json());
    Decision d = parsed.ok()
        ? PolicyDecisionPoint.of(parsed.file().agreement()).decide(req, at, catalog)
        : Decision.deny("invalid agreement: " + parsed.problems().stream().map(Problem::toString)
            .collect(Collectors.joining("; ")));

    JsonNode exp = c.get("expected");
    assertThat(d.word()).as("decision (reason: %s)", d.reason()).isEqualTo(exp.get("decision").asText());
    if (exp.has("reasonContains")) {
      assertThat(d.reason()).contains(exp.get("reasonContains").asText());
    }
    if (exp.has("columns")) {
      List<String> want = new ArrayList<>();
      exp.get("columns").forEach(n -> want.add(n.asText()));
      assertThat(d.columns()).containsExactlyElementsOf(want);
    }
    if (exp.has("optOut")) {
      assertThat(d.optOutApplies()).isEqualTo(exp.get("optOut").asBoolean());
    }
    if (exp.has("rowFilter")) {
      assertThat(RowFilters.describe(d.rowScope())).startsWith(exp.get("rowFilter").asText());
    }
    if (!d.allowed()) {
      assertThat(d.columns()).isEmpty();
      assertThat(d.rowScope()).isNull();
    }
  }

  private static String text(JsonNode n, String f) {
    return n.has(f) && !n.get(f).isNull() ? n.get(f).asText() : null;
  }

  private static DatasetCatalog catalog(JsonNode n) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> {
      List<String> cols = new ArrayList<>();
      e.getValue().forEach(x -> cols.add(x.asText()));
      m.put(e.getKey(), cols);
    });
    return DatasetCatalog.of(m);
  }

  /** Sets the value at a JSON pointer (parents must exist); a null value sets JSON null. */
  static void set(JsonNode root, String pointer, JsonNode value) {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = root.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1);
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      a.set(Integer.parseInt(last), value);
    } else {
      throw new IllegalArgumentException("no parent at " + pointer);
    }
  }
}
