package io.idw.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Strict Jackson mappers for settings, specs and agreements: unknown keys, missing creator
 * properties and null primitives are errors. {@link #readFile} turns every failure into an
 * {@link IdwException} that names the file, the field and the fix.
 */
public final class IdwMappers {
  private static final ObjectMapper JSON = configure(new ObjectMapper());
  private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      // a string such as version "2.0" must stay a string when read back
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)));

  private IdwMappers() {}

  private static ObjectMapper configure(ObjectMapper m) {
    m.registerModule(new JavaTimeModule());
    m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    m.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    m.enable(SerializationFeature.INDENT_OUTPUT);
    m.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    return m;
  }

  /** The strict JSON mapper (a shared instance: do not reconfigure it). */
  public static ObjectMapper json() {
    return JSON;
  }

  /** The strict YAML mapper (a shared instance: do not reconfigure it). */
  public static ObjectMapper yaml() {
    return YAML;
  }

  /** The mapper for a file by its extension: {@code .json} is JSON, anything else YAML. */
  public static ObjectMapper forFile(Path file) {
    return file.getFileName().toString().toLowerCase().endsWith(".json") ? JSON : YAML;
  }

  /** Reads and binds a file, turning every failure into a field-precise {@link IdwException}. */
  public static <T> T readFile(Path file, Class<T> type) {
    if (!Files.isRegularFile(file)) {
      throw CoreErrors.specUnreadable(file.toString(),
          new IOException("no such file"));
    }
    try {
      return forFile(file).readValue(file.toFile(), type);
    } catch (JsonProcessingException e) {
      throw bindingError(file.toString(), e);
    } catch (IOException e) {
      throw CoreErrors.specUnreadable(file.toString(), e);
    }
  }

  /** Binds a string of YAML or JSON; {@code origin} names it in errors. */
  public static <T> T readString(String text, String origin, Class<T> type) {
    try {
      return YAML.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw bindingError(origin, e);
    }
  }

  /** Turns a Jackson error into an {@link IdwException} naming the field path. */
  public static IdwException bindingError(String origin, JsonProcessingException e) {
    if (e instanceof JsonMappingException jm) {
      Throwable root = jm.getCause();
      String path = fieldPath(jm);
      if (root instanceof SpecViolation v) {
        String field = path.isEmpty() ? v.field() : path + "." + v.field();
        return CoreErrors.specInvalid(origin, field, v.reason(), v.fix());
      }
      if (root instanceof IdwException ie) {
        return ie;
      }
      if (jm instanceof UnrecognizedPropertyException up) {
        return CoreErrors.specInvalid(origin, path, "'" + up.getPropertyName() + "' is not a known key",
            "remove it or correct its spelling; known keys here are " + up.getKnownPropertyIds());
      }
      String msg = jm.getOriginalMessage() == null ? "" : jm.getOriginalMessage().split("\n")[0];
      if (root instanceof IllegalArgumentException iae) {
        msg = iae.getMessage();
      }
      return CoreErrors.specInvalid(origin, path.isEmpty() ? "(document)" : path, msg,
          "correct the value as the message says");
    }
    String loc = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
    return CoreErrors.specInvalid(origin, "(syntax)" + loc, e.getOriginalMessage(),
        "fix the YAML/JSON syntax at that line");
  }

  private static String fieldPath(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }
}
