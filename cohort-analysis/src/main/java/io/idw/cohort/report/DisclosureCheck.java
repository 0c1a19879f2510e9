package io.idw.cohort.report;

import java.util.List;
import java.util.Objects;

/**
 * The disclosure-control result for one table or figure of a released output.
 *
 * @param id the table or figure id (as named in the result, for example {@code balance})
 * @param status pass, review or fail
 * @param reasons why, for review and fail (for example "cell of 4 below the minimum of 10")
 * @param exceptionBy the named checker who recorded an exception for a review, or null
 * @param exceptionReason the exception's justification, or null
 */
public record DisclosureCheck(String id, DisclosureStatus status, List<String> reasons, String exceptionBy,
    String exceptionReason) {
  public DisclosureCheck {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
  }

  /** True when this part may be shown: a pass, or a review with a recorded exception. */
  public boolean releasable() {
    return status == DisclosureStatus.PASS
        || (status == DisclosureStatus.REVIEW && exceptionBy != null && !exceptionBy.isBlank());
  }
}
