package io.idw.linkage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.idw.core.IdwMappers;
import java.util.List;

/**
 * What training produced: the trained model (settings with m, u and λ, in Splink's vocabulary) and a
 * report of how it was trained.
 *
 * <p>λ (probability_two_random_records_match) comes from the EM sessions: a session's expected
 * matches, divided by the probability that a match meets its blocking rule (the product of the
 * top-level m of the comparisons the rule deactivated), over all possible pairs; averaged over
 * sessions.
 *
 * @param model the trained settings
 * @param records records trained on
 * @param uPairs random pairs sampled for u
 * @param sessions one EM session per training blocking rule
 * @param totalPairs all possible pairs of the records trained on (a sample of {@link
 *     Linker#EM_MAX_RECORDS} records when the input is larger)
 */
public record Training(
    @JsonProperty("model") LinkageSettings model,
    @JsonProperty("records") long records,
    @JsonProperty("u_pairs_sampled") long uPairs,
    @JsonProperty("em_sessions") List<Session> sessions,
    @JsonProperty("total_pairs") double totalPairs) {

  /**
   * One EM session.
   *
   * @param blockingRule the training blocking rule
   * @param pairs pairs it generated
   * @param deactivated comparisons reading the rule's columns (not trained in this session)
   * @param lambdaWithinBlocks the estimated share of matches among the session's pairs
   * @param expectedMatches expected matches among them
   * @param pBlockGivenMatch probability a match meets the rule
   * @param lambdaEstimate the global λ this session implies
   */
  public record Session(
      @JsonProperty("blocking_rule") String blockingRule,
      @JsonProperty("pairs") long pairs,
      @JsonProperty("deactivated_comparisons") List<String> deactivated,
      @JsonProperty("iterations") int iterations,
      @JsonProperty("converged") boolean converged,
      @JsonProperty("lambda_within_blocks") double lambdaWithinBlocks,
      @JsonProperty("expected_matches") double expectedMatches,
      @JsonProperty("p_block_given_match") double pBlockGivenMatch,
      @JsonProperty("lambda_estimate") double lambdaEstimate) {

    Session withGlobal(double pBlock, double lambda) {
      return new Session(blockingRule, pairs, deactivated, iterations, converged, lambdaWithinBlocks, expectedMatches,
          pBlock, lambda);
    }
  }

  /** The report (without the model) as JSON. */
  public String reportJson() {
    try {
      return IdwMappers.json().writeValueAsString(new Report(records, uPairs, sessions, totalPairs, model.lambda()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  record Report(
      @JsonProperty("records") long records,
      @JsonProperty("u_pairs_sampled") long uPairs,
      @JsonProperty("em_sessions") List<Session> sessions,
      @JsonProperty("total_pairs") double totalPairs,
      @JsonProperty("probability_two_random_records_match") double lambda) {}
}
