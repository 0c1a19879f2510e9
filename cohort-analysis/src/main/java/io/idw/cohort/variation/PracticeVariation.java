package io.idw.cohort.variation;

import static io.idw.cohort.variation.VariationColumns.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.idw.cohort.report.ReportErrors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * Per-capita cost by GP practice and care setting, before and after adjustment for deprivation
 * and age.
 *
 * <p>Adjustment is a log-linear (Poisson) regression of each person's cost on practice, IMD decile
 * and age band (the {@code strata}), all as categorical main effects, fitted by iterative
 * proportional fitting on the practice × strata cell table (for a main-effects log-linear model
 * IPF converges to the Poisson maximum-likelihood fit, the same fit a GLM gives). Because practice
 * is in the model, the deprivation and age effects are estimated within practices, so a practice's
 * own effect is not absorbed by its area's deprivation (simple stratum rates would absorb it where
 * practices and deprivation go together). A practice's expected cost is what its own list would
 * cost with the deprivation and age effects only, scaled so that all practices together cost what
 * they did; its ratio to expected is observed over expected, and its adjusted cost per head that
 * ratio times the overall cost per head. The 95% CIs are normal intervals on the mean cost per
 * person (person-level SD / sqrt(n)), with the expected cost treated as fixed for the adjusted figure.
 */
public final class PracticeVariation {
  private PracticeVariation() {}

  /** The default standardisation strata: deprivation (IMD decile) and age band. */
  public static final List<String> DEFAULT_STRATA = List.of(IMD_DECILE, AGE_BAND);

  /**
   * The per-person cost of every registered person in every setting (zero where they had none),
   * plus the {@code all_settings} sum.
   *
   * @param population one row per registered person: {@code person_id, practice_code} and the
   *     strata columns
   * @param costs {@code person_id, setting, cost} (any number of rows per person and setting);
   *     costs of people not in the population are dropped (they have no practice to count against)
   * @return {@code person_id, practice_code, <strata>, setting, cost}
   */
  public static Dataset<Row> personCosts(Dataset<Row> population, Dataset<Row> costs, List<String> strata) {
    require(population, "population", cols(List.of(PERSON_ID, PRACTICE), strata));
    require(costs, "costs", List.of(PERSON_ID, SETTING, COST));
    Dataset<Row> perPerson = costs.groupBy(PERSON_ID, SETTING).agg(sum(col(COST).cast("double")).as(COST));
    Dataset<Row> all = perPerson.groupBy(PERSON_ID).agg(sum(COST).as(COST)).withColumn(SETTING, lit(ALL_SETTINGS))
        .select(PERSON_ID, SETTING, COST);
    Dataset<Row> settings = population.sparkSession()
        .createDataset(cols(SETTINGS, List.of(ALL_SETTINGS)), org.apache.spark.sql.Encoders.STRING()).toDF(SETTING);
    List<String> popCols = cols(List.of(PERSON_ID, PRACTICE), strata);
    return population.select(popCols.stream().map(functions::col).toArray(Column[]::new))
        .crossJoin(settings)
        .join(perPerson.unionByName(all), List.of(PERSON_ID, SETTING).stream().collect(scalaSeq()), "left")
        .withColumn(COST, functions.coalesce(col(COST), lit(0.0)));
  }

  /**
   * Observed, expected and adjusted cost per head per practice and setting.
   *
   * @param personCosts the output of {@link #personCosts}
   * @param strata the standardisation strata
   * @param years the length of the period the costs cover, in years (cost per head is per year)
   * @return {@code setting, practice_code, n_people, n_users, total_cost, expected_cost,
   *     crude_per_head, crude_lower, crude_upper, ratio_to_expected, adjusted_per_head,
   *     adjusted_lower, adjusted_upper, top1_cost, top2_cost} (top1/top2: the two largest
   *     individual costs, for the dominance rules of disclosure control; never released)
   */
  public static Dataset<Row> perCapita(Dataset<Row> personCosts, List<String> strata, double years) {
    if (!(years > 0)) {
      throw ReportErrors.variationInput("cannot compute cost per head", "the period is " + years + " years",
          "give the number of months the costs cover, at least one");
    }
    Dataset<Row> expected = expectedCosts(personCosts, strata);
    Dataset<Row> overall = personCosts.groupBy(SETTING).agg(functions.avg(COST).as("overall_rate"));
    Dataset<Row> ranked = personCosts.withColumn("rk", row_number().over(
        Window.partitionBy(SETTING, PRACTICE).orderBy(col(COST).desc())));
    Dataset<Row> byPractice = ranked.groupBy(SETTING, PRACTICE).agg(
        count(lit(1)).as(N_PEOPLE),
        sum(when(col(COST).gt(0), 1).otherwise(0)).as(N_USERS),
        sum(COST).as(TOTAL_COST),
        functions.coalesce(stddev_samp(COST), lit(0.0)).as("sd"),
        functions.max(when(col("rk").equalTo(1), col(COST))).as(TOP1_COST),
        functions.coalesce(functions.max(when(col("rk").equalTo(2), col(COST))), lit(0.0)).as(TOP2_COST))
        .join(expected, cols(List.of(SETTING), List.of(PRACTICE)).stream().collect(scalaSeq()));
    Column n = col(N_PEOPLE);
    Column mean = col(TOTAL_COST).divide(n);
    Column half = lit(1.959964).multiply(col("sd")).divide(sqrt(n));
    Column ratio = when(col(EXPECTED_COST).gt(0), col(TOTAL_COST).divide(col(EXPECTED_COST)));
    Column scale = when(col(EXPECTED_COST).gt(0), col("overall_rate").divide(col(EXPECTED_COST).divide(n)));
    return byPractice.join(overall, SETTING)
        .withColumn(CRUDE_PER_HEAD, mean.divide(years))
        .withColumn(CRUDE_LOWER, functions.greatest(lit(0.0), mean.minus(half)).divide(years))
        .withColumn(CRUDE_UPPER, mean.plus(half).divide(years))
        .withColumn(RATIO_TO_EXPECTED, ratio)
        .withColumn(ADJUSTED_PER_HEAD, ratio.multiply(col("overall_rate")).divide(years))
        .withColumn(ADJUSTED_LOWER, functions.greatest(lit(0.0), mean.minus(half)).multiply(scale).divide(years))
        .withColumn(ADJUSTED_UPPER, mean.plus(half).multiply(scale).divide(years))
        .select(SETTING, PRACTICE, N_PEOPLE, N_USERS, TOTAL_COST, EXPECTED_COST, CRUDE_PER_HEAD, CRUDE_LOWER,
            CRUDE_UPPER, RATIO_TO_EXPECTED, ADJUSTED_PER_HEAD, ADJUSTED_LOWER, ADJUSTED_UPPER, TOP1_COST, TOP2_COST)
        .orderBy(SETTING, PRACTICE);
  }

  /**
   * The expected cost of each practice's list from the deprivation and age effects of the
   * log-linear model (see the class comment), fitted per setting on the driver over the cell table.
   *
   * @return {@code setting, practice_code, expected_cost}
   */
  static Dataset<Row> expectedCosts(Dataset<Row> personCosts, List<String> strata) {
    List<String> key = cols(List.of(SETTING, PRACTICE), strata);
    List<Row> cells = personCosts.groupBy(key.stream().map(functions::col).toArray(Column[]::new))
        .agg(count(lit(1)).as("n"), sum(COST).as("obs")).collectAsList();
    java.util.Map<String, List<Row>> bySetting = new java.util.TreeMap<>();
    cells.forEach(r -> bySetting.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r));
    List<Row> out = new ArrayList<>();
    bySetting.forEach((setting, rows) -> {
      int nf = key.size() - 1;
      String[][] level = new String[rows.size()][nf];
      double[] n = new double[rows.size()];
      double[] obs = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        for (int f = 0; f < nf; f++) {
          level[i][f] = String.valueOf((Object) r.get(f + 1));
        }
        n[i] = r.getLong(nf + 1);
        obs[i] = r.getDouble(nf + 2);
      }
      double[][] param = LogLinear.fit(level, n, obs, nf);
      // expected without the practice factor (factor 0), scaled to the observed total
      double totalObs = 0;
      double totalExp = 0;
      double[] e = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        e[i] = n[i];
        for (int f = 1; f < nf; f++) {
          e[i] *= param[i][f];
        }
        totalObs += obs[i];
        totalExp += e[i];
      }
      double k = totalExp > 0 ? totalObs / totalExp : 0;
      java.util.Map<String, Double> byPractice = new java.util.TreeMap<>();
      for (int i = 0; i < rows.size(); i++) {
        byPractice.merge(level[i][0], e[i] * k, Double::sum);
      }
      byPractice.forEach((p, v) -> out.add(org.apache.spark.sql.RowFactory.create(setting, p, v)));
    });
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add(SETTING, org.apache.spark.sql.types.DataTypes.StringType)
        .add(PRACTICE, org.apache.spark.sql.types.DataTypes.StringType)
        .add(EXPECTED_COST, org.apache.spark.sql.types.DataTypes.DoubleType);
    return personCosts.sparkSession().createDataFrame(out, schema);
  }

  static List<String> cols(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    for (String s : b) {
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  static void require(Dataset<Row> ds, String what, List<String> needed) {
    Set<String> have = new HashSet<>(Arrays.asList(ds.columns()));
    List<String> missing = needed.stream().filter(c -> !have.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw io.idw.core.CoreErrors.columnsMissing("practice variation " + what, missing, have);
    }
  }

  static java.util.stream.Collector<String, ?, scala.collection.immutable.Seq<String>> scalaSeq() {
    return java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(),
        l -> scala.jdk.javaapi.CollectionConverters.asScala(l).toList());
  }
}
