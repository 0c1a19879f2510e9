package io.idw.governance.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads a Delta table's current column names from its JSON commit files (the last {@code metaData}
 * action wins), so that validating a policy against a warehouse needs no Spark session.
 */
public final class DeltaSchemas {
  private static final ObjectMapper M = new ObjectMapper();

  private DeltaSchemas() {}

  public static Optional<List<String>> columns(Path table) {
    Path log = table.resolve("_delta_log");
    if (!Files.isDirectory(log)) {
      return Optional.empty();
    }
    List<Path> commits;
    try (Stream<Path> s = Files.list(log)) {
      commits = s.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).sorted().toList();
    } catch (IOException e) {
      return Optional.empty();
    }
    String schema = null;
    for (Path c : commits) {
      try (BufferedReader r = Files.newBufferedReader(c, StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.contains("\"metaData\"")) {
            JsonNode md = M.readTree(line).get("metaData");
            if (md != null && md.hasNonNull("schemaString")) {
              schema = md.get("schemaString").asText();
            }
          }
        }
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    if (schema == null) {
      return Optional.empty();
    }
    try {
      List<String> out = new ArrayList<>();
      for (JsonNode f : M.readTree(schema).get("fields")) {
        out.add(f.get("name").asText());
      }
      return Optional.of(out);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
