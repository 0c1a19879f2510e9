package io.idw.cohort;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.idw.core.IdwMappers;
import io.idw.core.IdwVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Where an evaluation result came from: the tables (with the Delta versions) or files read, the
 * SHA-256 of the spec, the data-sharing agreement when the read was governed, the idw version and
 * when the result was made. Every cohort-analysis result carries one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(
    @JsonProperty("inputs") List<Input> inputs,
    @JsonProperty("spec_hash") String specHash,
    @JsonProperty("agreement") Agreement agreement,
    @JsonProperty("idw_version") String idwVersion,
    @JsonProperty("created_at") String createdAt) {

  public Provenance {
    inputs = List.copyOf(inputs);
    Objects.requireNonNull(specHash, "specHash");
    Objects.requireNonNull(idwVersion, "idwVersion");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /**
   * One input: a warehouse table at a Delta version ({@code version} set), or a file ({@code
   * version} null, {@code sha256} of its bytes when it is a single file).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Input(@JsonProperty("name") String name, @JsonProperty("version") Long version,
      @JsonProperty("sha256") String sha256) {
    public Input {
      Objects.requireNonNull(name, "name");
    }

    public static Input table(String qualifiedName, long version) {
      return new Input(qualifiedName, version, null);
    }

    public static Input file(String path, String sha256) {
      return new Input(path, null, sha256);
    }
  }

  /** The agreement a governed read ran under. */
  public record Agreement(@JsonProperty("id") String id, @JsonProperty("version") String version,
      @JsonProperty("hash") String hash, @JsonProperty("purpose") String purpose) {}

  /** A builder: add inputs as they are read, then {@link #build()}. */
  public static Builder builder(String specHash) {
    return new Builder(specHash);
  }

  public static final class Builder {
    private final String specHash;
    private final List<Input> inputs = new ArrayList<>();
    private Agreement agreement;

    private Builder(String specHash) {
      this.specHash = specHash;
    }

    public Builder input(Input input) {
      inputs.add(input);
      return this;
    }

    public Builder agreement(Agreement a) {
      this.agreement = a;
      return this;
    }

    public Provenance build() {
      return new Provenance(inputs, specHash, agreement, IdwVersion.get(), Instant.now().toString());
    }
  }

  /**
   * The SHA-256 (lowercase hex) of a bound spec value serialised as JSON (fields in declaration order,
   * map keys sorted), so the same spec
   * hashes the same whether it was written as YAML or JSON, in any key order or layout.
   */
  public static String specHash(Object spec) {
    try {
      return sha256(IdwMappers.json().writeValueAsString(spec).getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("spec is not serialisable", e);
    }
  }

  /** The SHA-256 of bytes, lowercase hex. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
