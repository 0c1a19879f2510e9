package io.idw.cohort.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordingTest {
  private static final Effect BENEFIT = Effect.ratio("rate ratio", 0.80, 0.70, 0.90);
  private static final Effect NULL = Effect.ratio("rate ratio", 0.98, 0.85, 1.12);
  private static final Effect HARM = Effect.ratio("rate ratio", 1.20, 1.05, 1.37);

  @Test
  void directionIsJudgedByTheInterval() {
    assertThat(BENEFIT.direction()).isEqualTo(Effect.Direction.DECREASE);
    assertThat(NULL.direction()).isEqualTo(Effect.Direction.NO_EVIDENCE);
    assertThat(HARM.direction()).isEqualTo(Effect.Direction.INCREASE);
    assertThat(Effect.difference("d", -0.1, -0.2, 0.0).direction()).isEqualTo(Effect.Direction.NO_EVIDENCE);
    assertThat(Effect.difference("d", -0.1, -0.2, -0.01).direction()).isEqualTo(Effect.Direction.DECREASE);
  }

  @Test
  void decisionRule() {
    assertThat(Wording.recommendation(ReportFixtures.matched(BENEFIT).build())).isEqualTo(Recommendation.CONTINUE);
    assertThat(Wording.recommendation(ReportFixtures.matched(NULL).build())).isEqualTo(Recommendation.DECOMMISSION);
    assertThat(Wording.recommendation(ReportFixtures.matched(HARM).build())).isEqualTo(Recommendation.DECOMMISSION);
    EvaluationSummary expand = ReportFixtures.matched(BENEFIT).subgroup("aged 65-79", BENEFIT).subgroup("aged 80+", BENEFIT).build();
    assertThat(Wording.recommendation(expand)).isEqualTo(Recommendation.EXPAND);
    EvaluationSummary target = ReportFixtures.matched(NULL).subgroup("aged 65-79", NULL).subgroup("aged 80+", BENEFIT).build();
    assertThat(Wording.recommendation(target)).isEqualTo(Recommendation.SCALE_DOWN_TO_THOSE_WHO_BENEFIT);
    assertThat(Wording.commissioning(target)).contains("worked (aged 80+)", "no evidence of benefit for aged 65-79");
    EvaluationSummary higherIsBetter = ReportFixtures.matched(HARM).lowerIsBetter(false).build();
    assertThat(Wording.recommendation(higherIsBetter)).isEqualTo(Recommendation.CONTINUE);
  }

  @Test
  void harmIsCalledAHarm() {
    EvaluationSummary s = ReportFixtures.matched(HARM).build();
    assertThat(Wording.headline(s)).startsWith("Home safety visits increased A&E attendances from home").contains("by 20%");
    assertThat(Wording.interpretation(s)).contains("a harm");
    assertThat(Wording.commissioning(s)).contains("got worse");
  }

  @Test
  void numbersUseAMinusSignAndSensibleDigits() {
    assertThat(Wording.number(-0.1234)).isEqualTo("\u22120.12");
    assertThat(Wording.number(0.0456)).isEqualTo("0.046");
    assertThat(Wording.number(1234.5)).isEqualTo("1,235");
    assertThat(Wording.pounds(1234.4)).isEqualTo("\u00a31,234");
  }
}
