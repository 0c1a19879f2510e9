package io.idw.cohort.variation;

import static io.idw.cohort.variation.VariationColumns.*;

import io.idw.cohort.Provenance;
import io.idw.cohort.report.ReportErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Runs a practice-variation analysis on a population and its costs (see {@link PracticeVariation}
 * for the method) and returns the result object.
 *
 * <pre>{@code
 * VariationResult r = VariationAnalysis.builder()
 *     .population(pop)          // person_id, practice_code, imd_decile, age_band
 *     .costs(costs)             // person_id, setting, cost
 *     .months(24).provenance(p)
 *     .run();
 * }</pre>
 */
public final class VariationAnalysis {
  private final Builder b;
  private Dataset<Row> personCosts;

  private VariationAnalysis(Builder b) {
    this.b = b;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The per-practice table ({@link PracticeVariation#perCapita} columns), for writing to the analysis zone. */
  public Dataset<Row> table() {
    return PracticeVariation.perCapita(personCosts(), b.strata, b.months / 12.0);
  }

  /** Each person's cost per setting ({@link PracticeVariation#personCosts}), computed once and persisted. */
  private Dataset<Row> personCosts() {
    if (personCosts == null) {
      personCosts = PracticeVariation.personCosts(b.population, b.costs, b.strata)
          .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    }
    return personCosts;
  }

  /** Unpersists what this analysis cached. */
  public void release() {
    if (personCosts != null) {
      personCosts.unpersist();
      personCosts = null;
    }
  }

  /**
   * Each person's cost per setting where above zero, as {@code practice_code, setting, cost} rows
   * (the contributors of each cell, for the dominance rules of disclosure control).
   */
  public List<Row> personCostRows() {
    return personCosts()
        .filter(org.apache.spark.sql.functions.col(COST).gt(0)).select(PRACTICE, SETTING, COST).collectAsList();
  }

  /** Computes the spread of every setting. */
  public VariationResult run() {
    return result(table());
  }

  /** The result from an already computed per-practice table. */
  public VariationResult result(Dataset<Row> table) {
    List<PracticeCost> all = table.collectAsList().stream().map(PracticeCost::of).toList();
    return of(b.id, b.strata, b.months, b.minListSize, all, b.provenance);
  }

  /** A result from practice rows: the spread of every setting over practices with the minimum list. */
  public static VariationResult of(String id, List<String> strata, int months, int minListSize, List<PracticeCost> all,
      Provenance provenance) {
    List<PracticeCost> kept = all.stream().filter(p -> p.nPeople() >= minListSize).toList();
    List<SettingSpread> spreads = new ArrayList<>();
    List<String> settings = new ArrayList<>(SETTINGS);
    settings.add(ALL_SETTINGS);
    double years = months / 12.0;
    for (String s : settings) {
      double total = 0;
      long n = 0;
      for (PracticeCost p : all) {
        if (p.setting().equals(s)) {
          total += p.crudePerHead() * p.nPeople() * years;
          n += p.nPeople();
        }
      }
      long practicesWithSetting = kept.stream().filter(p -> p.setting().equals(s)).count();
      if (practicesWithSetting < 2 && !s.equals(ALL_SETTINGS)) {
        continue; // a setting seen at fewer than two practices has no spread (a small population); all settings still must
      }
      spreads.add(SettingSpread.of(s, kept, n == 0 ? Double.NaN : total / n / years));
    }
    return new VariationResult(id, strata, months, minListSize, spreads, all, provenance);
  }

  /** Builder; {@link #build()} validates. */
  public static final class Builder {
    private String id = "practice-variation";
    private Dataset<Row> population;
    private Dataset<Row> costs;
    private List<String> strata = PracticeVariation.DEFAULT_STRATA;
    private int months;
    private int minListSize = 100;
    private Provenance provenance;

    public Builder id(String v) { this.id = v; return this; }
    /** One row per registered person: {@code person_id, practice_code} and the strata columns. */
    public Builder population(Dataset<Row> v) { this.population = v; return this; }
    /** {@code person_id, setting, cost} rows, settings from {@link VariationColumns#SETTINGS}. */
    public Builder costs(Dataset<Row> v) { this.costs = v; return this; }
    public Builder strata(List<String> v) { this.strata = List.copyOf(v); return this; }
    /** The number of months the costs cover (cost per head is per year). */
    public Builder months(int v) { this.months = v; return this; }
    public Builder minListSize(int v) { this.minListSize = v; return this; }
    public Builder provenance(Provenance v) { this.provenance = v; return this; }

    public VariationAnalysis build() {
      Objects.requireNonNull(population, "population");
      Objects.requireNonNull(costs, "costs");
      Objects.requireNonNull(provenance, "provenance");
      if (months < 1) {
        throw ReportErrors.variationInput("cannot compute cost per head per year", "months is " + months,
            "give the number of months the costs cover");
      }
      if (minListSize < 1) {
        throw ReportErrors.variationInput("minimum list size " + minListSize + " is invalid",
            "it must be at least 1", "use a list size such as 100");
      }
      return new VariationAnalysis(this);
    }

    public VariationResult run() {
      return build().run();
    }
  }
}
