package io.idw.linkage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.idw.core.IdentifierType;
import io.idw.core.IdwMappers;
import io.idw.core.SpecViolation;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The settings of {@code idw link}: how to read and encode any tabular input, and the linkage
 * settings in Splink's vocabulary. The clear fields are encoded on the way in (pseudonymise's
 * record encoder for identifiers, its keyed tokens for other quasi-identifiers), so linkage only
 * ever sees encodings.
 *
 * <pre>
 * input:
 *   unique_id_column: rec_id
 *   identifiers: {given_name: given_name, family_name: surname, date_of_birth: date_of_birth}
 *   dob_format: yyyyMMdd
 *   tokens: {suburb: suburb}          # keyed exact tokens, columns tok_x_suburb
 *   truth: {column: rec_id, pattern: '^rec-(\d+)-'}   # optional, for quality only
 * linkage: { ...Splink settings... }
 * </pre>
 *
 * @param input how to read and encode the input
 * @param linkage the linkage settings (unique_id_column_name is set to the input's id)
 */
public record FileLinkSettings(
    @JsonProperty("input") Input input,
    @JsonProperty("linkage") LinkageSettings linkage) {

  @JsonCreator
  public FileLinkSettings {
    SpecViolation.require(input != null, "input", "missing", "describe the input columns under 'input'");
    SpecViolation.require(linkage != null, "linkage", "missing", "give Splink-style settings under 'linkage'");
  }

  public static FileLinkSettings read(Path file) {
    return IdwMappers.readFile(file, FileLinkSettings.class);
  }

  /** The prefix of generic token columns. */
  public static final String TOKEN_PREFIX = "tok_x_";

  /**
   * @param uniqueIdColumn the record id column (kept as is; must not be an identifier)
   * @param identifiers identifier type wire name (given_name, family_name, full_name,
   *     date_of_birth, sex, postcode, nhs_number, uprn) to clear column
   * @param dobFormat the date-of-birth text format (Spark pattern), default yyyy-MM-dd
   * @param tokens token name to clear column: keyed exact tokens {@code tok_x_<name>} of the
   *     normalised value (upper case, letters and digits only)
   * @param truth where the true entity id comes from, or null
   */
  public record Input(
      @JsonProperty("unique_id_column") String uniqueIdColumn,
      @JsonProperty("identifiers") Map<String, String> identifiers,
      @JsonProperty("dob_format") String dobFormat,
      @JsonProperty("tokens") Map<String, String> tokens,
      @JsonProperty("truth") Truth truth) {

    @JsonCreator
    public Input {
      SpecViolation.require(uniqueIdColumn != null && !uniqueIdColumn.isBlank(), "unique_id_column", "missing",
          "name the column that identifies each record");
      identifiers = identifiers == null ? Map.of() : new LinkedHashMap<>(identifiers);
      for (String k : identifiers.keySet()) {
        try {
          IdentifierType.fromWire(k);
        } catch (SpecViolation v) {
          throw new SpecViolation("identifiers." + k, v.reason(), v.fix());
        }
      }
      tokens = tokens == null ? Map.of() : new LinkedHashMap<>(tokens);
      for (String k : tokens.keySet()) {
        SpecViolation.require(k.matches("[a-z][a-z0-9_]{0,40}"), "tokens." + k, "not a lower snake_case name",
            "name tokens like 'suburb'");
      }
      SpecViolation.require(!identifiers.isEmpty() || !tokens.isEmpty(), "identifiers",
          "nothing to encode", "map at least one identifier or token column");
      if (dobFormat == null) {
        dobFormat = "yyyy-MM-dd";
      }
    }
  }

  /**
   * @param column the column holding the true entity id (read aside, never linked on)
   * @param pattern a regular expression whose first group is the entity id, or null for the whole value
   */
  public record Truth(@JsonProperty("column") String column, @JsonProperty("pattern") String pattern) {
    @JsonCreator
    public Truth {
      SpecViolation.require(column != null && !column.isBlank(), "truth.column", "missing", "name the truth column");
      if (pattern != null) {
        try {
          Pattern p = Pattern.compile(pattern);
          SpecViolation.require(p.matcher("").groupCount() >= 1, "truth.pattern", "has no group",
              "put the entity id in a group, like '^rec-(\\\\d+)-'");
        } catch (java.util.regex.PatternSyntaxException e) {
          throw new SpecViolation("truth.pattern", e.getDescription(), "write a valid Java regular expression");
        }
      }
    }
  }
}
