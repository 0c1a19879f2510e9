package io.idw.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What kind of identifying value a source column holds. Direct identifiers become keyed
 * pseudonyms at ingest; quasi-identifiers become keyed encodings; both are dropped in clear.
 */
public enum IdentifierType {
  NHS_NUMBER(true),
  SOCIAL_CARE_ID(true),
  UPRN(true),
  /** Another local id declared in the source spec (for example a fire-service person id). */
  LOCAL_ID(true),
  GIVEN_NAME(false),
  FAMILY_NAME(false),
  /** A full name in one column. */
  FULL_NAME(false),
  DATE_OF_BIRTH(false),
  POSTCODE(false),
  /** A free-text address line. */
  ADDRESS(false),
  SEX(false);

  private final boolean direct;

  IdentifierType(boolean direct) {
    this.direct = direct;
  }

  /** True for direct identifiers (pseudonymised), false for quasi-identifiers (encoded). */
  public boolean direct() {
    return direct;
  }

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static IdentifierType fromWire(String s) {
    for (IdentifierType t : values()) {
      if (t.wireName().equals(s)) {
        return t;
      }
    }
    throw new SpecViolation("identifier", "'" + s + "' is not an identifier type",
        "use one of " + Arrays.stream(values()).map(IdentifierType::wireName)
            .collect(Collectors.joining(", ")));
  }
}
