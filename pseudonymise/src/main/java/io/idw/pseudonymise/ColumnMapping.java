package io.idw.pseudonymise;

import io.idw.core.IdentifierType;
import io.idw.core.SourceSpec;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which clear columns of a dataset hold which identifiers, plus optional record id, source name,
 * extract month and the date that ages are computed at. Built with {@link #builder()} or from a
 * {@link SourceSpec} with {@link #fromSpec}. Immutable.
 *
 * <p>Every mapped identifier column, and every column listed in {@link Builder#drop}, is removed
 * from the encoder's output.
 */
public final class ColumnMapping implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final Map<IdentifierType, String> columns;
  private final Set<String> drop;
  private final String dobFormat;
  private final String recordId;
  private final String source;
  private final String extractMonth;
  private final String ageAt;

  private ColumnMapping(Builder b) {
    this.columns = Collections.unmodifiableMap(new EnumMap<>(b.columns));
    Set<String> d = new LinkedHashSet<>(b.columns.values());
    d.addAll(b.drop);
    this.drop = Collections.unmodifiableSet(d);
    this.dobFormat = b.dobFormat;
    this.recordId = b.recordId;
    this.source = b.source;
    this.extractMonth = b.extractMonth;
    this.ageAt = b.ageAt;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The mapping a source spec declares: each column's {@code identifier}, the DOB column's {@code
   * format}, the {@code recordId}, the spec name as source, and the event date as the age date.
   * Several columns of one type: the first is encoded, all are dropped.
   */
  public static ColumnMapping fromSpec(SourceSpec spec, String extractMonth) {
    Builder b = builder().recordId(spec.recordId()).source(spec.name()).extractMonth(extractMonth);
    for (SourceSpec.Column c : spec.identifierColumns()) {
      if (b.columns.containsKey(c.identifier())) {
        b.drop(c.name());
        continue;
      }
      b.column(c.identifier(), c.name());
      if (c.identifier() == IdentifierType.DATE_OF_BIRTH && c.format() != null) {
        b.dobFormat(c.format());
      }
    }
    if (spec.eventDate() != null) {
      b.ageAt(spec.eventDate().column());
    }
    return b.build();
  }

  public Optional<String> column(IdentifierType type) {
    return Optional.ofNullable(columns.get(type));
  }

  public Map<IdentifierType, String> columns() { return columns; }
  /** Every clear column the encoder removes. */
  public Set<String> dropped() { return drop; }
  /** The text format of a string DOB column (a Spark datetime pattern), default {@code yyyy-MM-dd}. */
  public String dobFormat() { return dobFormat; }
  public Optional<String> recordId() { return Optional.ofNullable(recordId); }
  public Optional<String> source() { return Optional.ofNullable(source); }
  public Optional<String> extractMonth() { return Optional.ofNullable(extractMonth); }
  /** The date column ages are computed at; without it, the first day of the extract month, else today. */
  public Optional<String> ageAt() { return Optional.ofNullable(ageAt); }

  @Override
  public String toString() {
    return "ColumnMapping(" + columns + ", drop=" + drop + ")";
  }

  /** Builder for {@link ColumnMapping}. */
  public static final class Builder {
    private final Map<IdentifierType, String> columns = new EnumMap<>(IdentifierType.class);
    private final Set<String> drop = new LinkedHashSet<>();
    private String dobFormat = "yyyy-MM-dd";
    private String recordId;
    private String source;
    private String extractMonth;
    private String ageAt;

    private Builder() {}

    public Builder column(IdentifierType type, String column) {
      if (column == null || column.isBlank()) {
        throw PseudonymiseErrors.mappingInvalid("no column named for " + type.wireName(), "name the clear column");
      }
      columns.put(type, column);
      return this;
    }

    public Builder nhsNumber(String c) { return column(IdentifierType.NHS_NUMBER, c); }
    public Builder givenName(String c) { return column(IdentifierType.GIVEN_NAME, c); }
    public Builder familyName(String c) { return column(IdentifierType.FAMILY_NAME, c); }
    public Builder fullName(String c) { return column(IdentifierType.FULL_NAME, c); }
    public Builder dateOfBirth(String c) { return column(IdentifierType.DATE_OF_BIRTH, c); }
    public Builder sex(String c) { return column(IdentifierType.SEX, c); }
    public Builder postcode(String c) { return column(IdentifierType.POSTCODE, c); }
    public Builder uprn(String c) { return column(IdentifierType.UPRN, c); }
    public Builder socialCareId(String c) { return column(IdentifierType.SOCIAL_CARE_ID, c); }
    public Builder localId(String c) { return column(IdentifierType.LOCAL_ID, c); }
    public Builder address(String c) { return column(IdentifierType.ADDRESS, c); }
    /** Another clear column to remove (for example a second address line). */
    public Builder drop(String c) { drop.add(c); return this; }
    public Builder dobFormat(String f) { this.dobFormat = f; return this; }
    /** The column copied (as a string) into {@code record_id}. */
    public Builder recordId(String c) { this.recordId = c; return this; }
    /** The value of the {@code source} column. */
    public Builder source(String s) { this.source = s; return this; }
    /** The value of the {@code extract_month} column (YYYY-MM). */
    public Builder extractMonth(String m) { this.extractMonth = m; return this; }
    /** The date column ages are computed at. */
    public Builder ageAt(String c) { this.ageAt = c; return this; }

    public ColumnMapping build() {
      if (extractMonth != null && !extractMonth.matches("\\d{4}-(0[1-9]|1[0-2])")) {
        throw PseudonymiseErrors.badMonth(extractMonth);
      }
      return new ColumnMapping(this);
    }
  }

  /** The identifier types the encoder reads. */
  static final List<IdentifierType> ENCODED_TYPES = List.of(IdentifierType.NHS_NUMBER, IdentifierType.GIVEN_NAME,
      IdentifierType.FAMILY_NAME, IdentifierType.FULL_NAME, IdentifierType.DATE_OF_BIRTH, IdentifierType.SEX,
      IdentifierType.POSTCODE, IdentifierType.UPRN, IdentifierType.SOCIAL_CARE_ID, IdentifierType.LOCAL_ID);
}
