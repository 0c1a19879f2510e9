package io.idw.governance.sdc;

import java.time.Instant;
import java.util.Objects;

/**
 * A recorded exception that lets a "review" output be released: who checked it (a named person,
 * not the one releasing), why it is safe, and when.
 */
public record ReviewException(String checker, String justification, Instant at) {
  public ReviewException {
    Objects.requireNonNull(at, "at");
  }

  public static ReviewException of(String checker, String justification) {
    return new ReviewException(checker, justification, Instant.now());
  }
}
