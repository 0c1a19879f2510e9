package io.idw.pseudonymise;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The life-cycle status of a key in a {@link KeySet}. */
public enum KeyStatus {
  /** Usable; the primary key must be enabled. */
  @JsonProperty("enabled") ENABLED,
  /** Kept but refused for use, for example after a suspected compromise. */
  @JsonProperty("disabled") DISABLED,
  /** The material has been erased; only its id and dates remain. */
  @JsonProperty("destroyed") DESTROYED
}
