package io.idw.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How one provider's extract is laid out, declared in YAML or JSON:
 *
 * <pre>
 * name: ae_attendances           # dataset name; also the pseudonymised table name
 * format: csv                    # csv or parquet
 * options: {header: "true", delimiter: ","}
 * recordId: attendance_id        # unique per record within the source
 * eventDate: {column: arrival_date, format: yyyy-MM-dd}
 * onInvalidIdentifier: flag      # flag (keep the row without it) or quarantine
 * columns:
 *   - {name: attendance_id, type: string, required: true}
 *   - {name: nhs_number, type: string, identifier: nhs_number}
 *   - {name: arrival_date, type: date}
 * </pre>
 *
 * Values are immutable and validated on construction; unknown keys are errors. Column types are
 * Spark SQL type names ({@code string, int, bigint, double, decimal(10,2), date, timestamp,
 * boolean}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceSpec(
    String name,
    String description,
    Format format,
    Map<String, String> options,
    String recordId,
    EventDate eventDate,
    InvalidIdentifierAction onInvalidIdentifier,
    List<Column> columns) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Pattern TYPE = Pattern.compile(
      "string|int|integer|bigint|long|double|float|boolean|date|timestamp|decimal\\(\\d{1,2},\\d{1,2}\\)");

  @JsonCreator
  public SourceSpec(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty("description") String description,
      @JsonProperty(value = "format", required = true) Format format,
      @JsonProperty("options") Map<String, String> options,
      @JsonProperty(value = "recordId", required = true) String recordId,
      @JsonProperty("eventDate") EventDate eventDate,
      @JsonProperty("onInvalidIdentifier") InvalidIdentifierAction onInvalidIdentifier,
      @JsonProperty(value = "columns", required = true) List<Column> columns) {
    SpecViolation.require(name != null && NAME.matcher(name).matches(), "name",
        "'" + name + "' is not a valid dataset name", "use lower snake_case, such as ae_attendances");
    SpecViolation.require(format != null, "format", "the file format is missing", "set format: csv or parquet");
    SpecViolation.require(columns != null && !columns.isEmpty(), "columns", "no columns are declared",
        "list every column of the extract with its name and type");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      SpecViolation.require(seen.add(c.name()), "columns[" + i + "].name",
          "column '" + c.name() + "' is declared twice", "declare each column once");
    }
    SpecViolation.require(recordId != null && seen.contains(recordId), "recordId",
        "'" + recordId + "' is not a declared column", "name the column that identifies each record");
    if (eventDate != null) {
      SpecViolation.require(seen.contains(eventDate.column()), "eventDate.column",
          "'" + eventDate.column() + "' is not a declared column", "name a declared date column");
    }
    this.name = name;
    this.description = description;
    this.format = format;
    this.options = options == null ? Map.of() : Map.copyOf(options);
    this.recordId = recordId;
    this.eventDate = eventDate;
    this.onInvalidIdentifier = onInvalidIdentifier == null ? InvalidIdentifierAction.FLAG : onInvalidIdentifier;
    this.columns = List.copyOf(columns);
  }

  /** Reads a spec file; errors name the file, the field and the fix. */
  public static SourceSpec read(Path file) {
    return IdwMappers.readFile(file, SourceSpec.class);
  }

  /** The column of that name, if declared. */
  public Optional<Column> column(String columnName) {
    return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
  }

  /** Columns holding identifiers, direct or quasi. */
  public List<Column> identifierColumns() {
    return columns.stream().filter(c -> c.identifier() != null).toList();
  }

  /** A Spark DDL schema string of the declared columns, all nullable, in declared order. */
  public String ddl() {
    StringBuilder sb = new StringBuilder();
    for (Column c : columns) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append('`').append(c.name()).append("` ").append(c.sparkType());
    }
    return sb.toString();
  }

  public enum Format {
    @JsonProperty("csv") CSV,
    @JsonProperty("parquet") PARQUET
  }

  /** What ingest does with a row whose identifier fails validation. */
  public enum InvalidIdentifierAction {
    /** Keep the row without the identifier, flagged with a reason. */
    @JsonProperty("flag") FLAG,
    /** Move the row to quarantine with a reason. */
    @JsonProperty("quarantine") QUARANTINE
  }

  /** The column that dates each event, and its text format when the file is CSV. */
  public record EventDate(String column, String format) {
    @JsonCreator
    public EventDate(@JsonProperty(value = "column", required = true) String column,
        @JsonProperty("format") String format) {
      SpecViolation.require(column != null && !column.isBlank(), "column", "the event date column is missing",
          "name the column that dates each event");
      this.column = column;
      this.format = format == null ? "yyyy-MM-dd" : format;
    }
  }

  /** One declared column. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Column(String name, String type, IdentifierType identifier, boolean required, String format) {
    public Column {
      SpecViolation.require(name != null && !name.isBlank(), "name", "a column has no name", "give every column a name");
      SpecViolation.require(type != null && TYPE.matcher(type.toLowerCase()).matches(), "type",
          "'" + type + "' is not a supported type for column '" + name + "'",
          "use string, int, bigint, double, decimal(p,s), date, timestamp or boolean");
      type = type.toLowerCase();
    }

    @JsonCreator
    static Column fromJson(@JsonProperty(value = "name", required = true) String name,
        @JsonProperty(value = "type", required = true) String type,
        @JsonProperty("identifier") IdentifierType identifier,
        @JsonProperty("required") Boolean required,
        @JsonProperty("format") String format) {
      return new Column(name, type, identifier, required != null && required, format);
    }

    /** The Spark SQL type name. */
    public String sparkType() {
      return switch (type) {
        case "integer" -> "int";
        case "long" -> "bigint";
        default -> type;
      };
    }
  }
}
