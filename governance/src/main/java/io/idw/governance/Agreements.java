package io.idw.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.idw.core.IdwException;
import io.idw.core.IdwMappers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes agreements. Every read checks the published JSON Schema first (all problems at
 * once, with field paths), then binds to the immutable {@link Agreement} (whose constructor checks
 * cross-references). A file that fails either is never used: {@link #load} throws {@code
 * governance.agreement.invalid}.
 */
public final class Agreements {
  /** The classpath location of the published JSON Schema. */
  public static final String SCHEMA_RESOURCE = "/io/idw/governance/agreement.schema.json";

  private static volatile JsonSchema schema;

  private Agreements() {}

  /** The outcome of parsing: the agreement if it bound, and every problem found. */
  public record Parsed(AgreementFile file, List<Problem> problems) {
    public boolean ok() {
      return file != null && problems.isEmpty();
    }
  }

  /** Loads an agreement file, failing closed on any problem. */
  public static AgreementFile load(Path file) {
    Parsed p = parse(file);
    if (!p.ok()) {
      throw GovernanceErrors.agreementInvalid(file.toString(), p.problems());
    }
    return p.file();
  }

  /** Parses a file (YAML, or JSON by extension) and reports every schema or binding problem. */
  public static Parsed parse(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw GovernanceErrors.agreementUnreadable(file, e);
    }
    return parse(bytes, file.toString(), IdwMappers.forFile(file));
  }

  /** Parses YAML text; {@code origin} names it in problems. */
  public static Parsed parseYaml(String yaml, String origin) {
    return parse(yaml.getBytes(StandardCharsets.UTF_8), origin, IdwMappers.yaml());
  }

  static Parsed parse(byte[] bytes, String origin, ObjectMapper mapper) {
    List<Problem> problems = new ArrayList<>();
    JsonNode tree;
    try {
      tree = mapper.readTree(bytes);
    } catch (IOException e) {
      String loc = e instanceof JsonProcessingException jpe && jpe.getLocation() != null
          ? " at line " + jpe.getLocation().getLineNr() : "";
      problems.add(new Problem("(syntax)" + loc, firstLine(e.getMessage()), "fix the YAML/JSON syntax"));
      return new Parsed(null, problems);
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      problems.add(new Problem("(document)", "the file is empty", "write the agreement"));
      return new Parsed(null, problems);
    }
    problems.addAll(schemaProblems(tree));
    if (!problems.isEmpty()) {
      return new Parsed(null, problems);
    }
    try {
      Agreement a = mapper.treeToValue(tree, Agreement.class);
      return new Parsed(new AgreementFile(a, origin, sha256(bytes)), List.of());
    } catch (JsonProcessingException e) {
      IdwException ie = IdwMappers.bindingError(origin, e);
      String field = ie.problem().replaceFirst("^.*field '(.*)' is invalid$", "$1");
      problems.add(new Problem(field, ie.reason(), ie.fix()));
      return new Parsed(null, problems);
    }
  }

  /** Schema violations of a parsed tree, as field-path problems in document order. */
  public static List<Problem> schemaProblems(JsonNode tree) {
    Set<ValidationMessage> msgs = schema().validate(tree);
    List<Problem> out = new ArrayList<>();
    msgs.stream()
        .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
            .thenComparing(ValidationMessage::getMessage))
        .forEach(m -> out.add(toProblem(m)));
    return out;
  }

  private static Problem toProblem(ValidationMessage m) {
    String path = m.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
    String type = m.getType();
    if ("required".equals(type) && m.getProperty() != null) {
      String field = path.isEmpty() ? m.getProperty() : path + "." + m.getProperty();
      return new Problem(field, "required field '" + m.getProperty() + "' is missing" + hint(m.getProperty()),
          "add it (see agreement.schema.json)");
    }
    if ("additionalProperties".equals(type) && m.getProperty() != null) {
      String field = path.isEmpty() ? m.getProperty() : path + "." + m.getProperty();
      return new Problem(field, "'" + m.getProperty() + "' is not a known key", "remove it or correct its spelling");
    }
    String msg = m.getMessage().replaceFirst("^\\$[^:]*:\\s*", "");
    return new Problem(path.isEmpty() ? "(document)" : path, msg, "correct the value (see agreement.schema.json)");
  }

  private static String hint(String property) {
    return switch (property) {
      case "lawfulBasis" -> " (no lawful basis: nothing may be shared without one)";
      case "nationalOptOut" -> " (state whether the national data opt-out applies, and why)";
      case "validity" -> " (an agreement without dates never expires, so it is refused)";
      default -> "";
    };
  }

  /** The published schema, loaded once. */
  public static JsonSchema schema() {
    if (schema == null) {
      synchronized (Agreements.class) {
        if (schema == null) {
          try (InputStream in = Agreements.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
          } catch (IOException e) {
            throw new IllegalStateException("the agreement schema is missing from the jar", e);
          }
        }
      }
    }
    return schema;
  }

  /** The agreement as YAML (what {@link #parseYaml} reads back to an equal value). */
  public static String toYaml(Agreement a) {
    try {
      return IdwMappers.yaml().writeValueAsString(a);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The agreement as JSON. */
  public static String toJson(Agreement a) {
    try {
      return IdwMappers.json().writeValueAsString(a);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lowercase hex SHA-256 of bytes (policy hashes, release checksums). */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
