package io.idw.governance;

/**
 * One thing wrong with an agreement: the field path (such as {@code validity.end} or {@code
 * datasets[1].columns[3]}), why it is wrong and how to fix it.
 */
public record Problem(String field, String reason, String fix) {
  @Override
  public String toString() {
    return field + ": " + reason + (fix == null || fix.isBlank() ? "" : " (fix: " + fix + ")");
  }
}
