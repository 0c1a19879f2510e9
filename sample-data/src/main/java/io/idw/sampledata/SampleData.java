package io.idw.sampledata;

import io.idw.sampledata.internal.Generation;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;

/**
 * The seeded synthetic Kent Integrated Dataset generator. Entry point:
 *
 * <pre>
 * GenerateResult r = SampleData.generator()
 *     .people(20_000).months(36).start(YearMonth.of(2021, 4)).seed(42)
 *     .out(Path.of("sample"))
 *     .homeSafetyVisitEffect(-0.15)        // optional planted effects
 *     .build()
 *     .run(spark);
 * </pre>
 *
 * The same settings give byte-identical files whatever Spark's parallelism. See the module README
 * for every file and column written.
 */
public final class SampleData {
  private final int people;
  private final int months;
  private final YearMonth start;
  private final long seed;
  private final Path out;
  private final DirtRates dirt;
  private final Effects effects;
  private final int blockSize;
  private final int partitions;
  private final double hsvUptake;

  private SampleData(Builder b) {
    this.hsvUptake = b.hsvUptake;
    this.blockSize = b.blockSize;
    this.partitions = b.partitions;
    this.people = b.people;
    this.months = b.months;
    this.start = b.start;
    this.seed = b.seed;
    this.out = b.out;
    this.dirt = b.dirt;
    this.effects = new Effects(b.hsvEffect, b.fallsLevel, b.fallsSlope, b.fallsLaunch, b.fallsDistricts,
        b.gpCostSpread, b.pilotPractice, b.pilotMonth, b.pilotChange);
  }

  /** A builder with the defaults: 20,000 people, 36 months from 2021-04, seed 42, default dirt and effects. */
  public static Builder generator() {
    return new Builder();
  }

  /** Generates the data with Spark and returns where it went and how many rows. */
  public GenerateResult run(SparkSession spark) {
    return Generation.run(this, spark);
  }

  public int people() {
    return people;
  }

  public int months() {
    return months;
  }

  public YearMonth start() {
    return start;
  }

  public long seed() {
    return seed;
  }

  public Path out() {
    return out;
  }

  public DirtRates dirt() {
    return dirt;
  }

  public Effects effects() {
    return effects;
  }

  /**
   * The multiplier of the home safety visit hazard (1 = about 10,000 visits a year per 1.5M
   * people, as Kent). Recorded in {@code truth/effects.json}.
   */
  public double homeSafetyVisitUptake() {
    return hsvUptake;
  }

  /** People per block, or 0 for automatic. Does not change the output. */
  public int blockSize() {
    return blockSize;
  }

  /** Spark tasks, or 0 for automatic. Does not change the output. */
  public int partitions() {
    return partitions;
  }

  /** Builds a validated {@link SampleData}. */
  public static final class Builder {
    private int people = 20_000;
    private int months = 36;
    private YearMonth start = YearMonth.of(2021, 4);
    private long seed = 42;
    private Path out;
    private DirtRates dirt = DirtRates.defaults();
    private double hsvEffect;
    private double fallsLevel;
    private double fallsSlope;
    private YearMonth fallsLaunch;
    private List<String> fallsDistricts;
    private double gpCostSpread;
    private String pilotPractice;
    private YearMonth pilotMonth;
    private double pilotChange;
    private int blockSize;
    private int partitions;
    private double hsvUptake = 1.0;

    private Builder() {
      effects(Effects.defaults());
    }

    /** The population at the start of the window (1 to 10,000,000). */
    public Builder people(int n) {
      this.people = n;
      return this;
    }

    /** Monthly extracts to write (1 to 240). */
    public Builder months(int n) {
      this.months = n;
      return this;
    }

    public Builder start(YearMonth first) {
      this.start = Objects.requireNonNull(first, "start");
      return this;
    }

    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** The output directory: new, empty, or an earlier sample (which is replaced). */
    public Builder out(Path dir) {
      this.out = dir;
      return this;
    }

    public Builder dirt(DirtRates rates) {
      this.dirt = Objects.requireNonNull(rates, "dirt");
      return this;
    }

    /** All planted effects at once. */
    public Builder effects(Effects e) {
      hsvEffect = e.homeSafetyVisitEffect();
      fallsLevel = e.fallsLevelChange();
      fallsSlope = e.fallsSlopeChange();
      fallsLaunch = e.fallsLaunchMonth();
      fallsDistricts = e.fallsLaunchDistricts();
      gpCostSpread = e.gpCostSpread();
      pilotPractice = e.pilotPractice();
      pilotMonth = e.pilotMonth();
      pilotChange = e.pilotAcuteChange();
      return this;
    }

    /** Proportional change in visited people's A&E attendances from home after the visit (default 0). */
    public Builder homeSafetyVisitEffect(double change) {
      this.hsvEffect = change;
      return this;
    }

    /**
     * Multiplies the monthly home safety visit hazard (default 1: about 10,000 visits a year per
     * 1.5M people). Targeting by risk is unchanged. Use it to get enough visited people for a
     * matched-cohort study from a small population (e.g. 4 at 30,000 people); recorded in
     * {@code truth/effects.json} as {@code uptake}.
     */
    public Builder homeSafetyVisitUptake(double multiplier) {
      this.hsvUptake = multiplier;
      return this;
    }

    /** Falls service level change (default -0.20). */
    public Builder fallsLevelChange(double change) {
      this.fallsLevel = change;
      return this;
    }

    /** Falls service slope change in log rate per month (default -0.01). */
    public Builder fallsSlopeChange(double perMonth) {
      this.fallsSlope = perMonth;
      return this;
    }

    /** The falls service launch month (default: the middle month). */
    public Builder fallsLaunch(YearMonth month) {
      this.fallsLaunch = month;
      return this;
    }

    public Builder fallsLaunchDistricts(List<String> districts) {
      this.fallsDistricts = districts;
      return this;
    }

    /** Highest over lowest practice multiplier of GP activity and cost (default 10). */
    public Builder gpCostSpread(double ratio) {
      this.gpCostSpread = ratio;
      return this;
    }

    public Builder pilotPractice(String practiceCode) {
      this.pilotPractice = practiceCode;
      return this;
    }

    public Builder pilotMonth(YearMonth month) {
      this.pilotMonth = month;
      return this;
    }

    /** Proportional change in the pilot practice's acute use from the pilot month (default -0.20). */
    public Builder pilotAcuteChange(double change) {
      this.pilotChange = change;
      return this;
    }

    /**
     * People generated together as one unit of work (default: at least 5,000, and at most 256
     * blocks). The output is the same for every block size; smaller blocks spread small runs over
     * more cores.
     */
    public Builder blockSize(int people) {
      this.blockSize = people;
      return this;
    }

    /** Spark tasks to spread the blocks over (default: four per core). The output is the same for every value. */
    public Builder partitions(int tasks) {
      this.partitions = tasks;
      return this;
    }

    public SampleData build() {
      if (blockSize < 0 || partitions < 0) {
        throw SampleDataErrors.invalidSetting("block size / partitions", blockSize + " / " + partitions,
            "they cannot be negative", "leave them unset (0) for automatic values");
      }
      if (!(hsvUptake >= 0 && hsvUptake <= 50)) {
        throw SampleDataErrors.invalidSetting("home safety visit uptake", hsvUptake,
            "it multiplies the monthly visit hazard", "use a value from 0 (no visits) to 50, such as 4");
      }
      if (people < 1 || people > 10_000_000) {
        throw SampleDataErrors.invalidSetting("people", people, "the generator makes 1 to 10,000,000 people",
            "choose a population in that range, such as 20000");
      }
      if (months < 1 || months > 240) {
        throw SampleDataErrors.invalidSetting("months", months, "the window is 1 to 240 months",
            "choose a number of monthly extracts in that range, such as 36");
      }
      if (out == null) {
        throw SampleDataErrors.invalidSetting("out", null, "no output directory was given",
            "set the directory to write into (--out DIR)");
      }
      YearMonth last = start.plusMonths(months - 1L);
      if (fallsLaunch != null && (fallsLaunch.isBefore(start.plusMonths(1)) || fallsLaunch.isAfter(last))) {
        throw SampleDataErrors.invalidSetting("falls launch month", fallsLaunch,
            "it must fall after the first month and within the window " + start + " to " + last,
            "choose a month inside the window so there are months before and after it");
      }
      if (pilotMonth != null && (pilotMonth.isBefore(start.plusMonths(1)) || pilotMonth.isAfter(last))) {
        throw SampleDataErrors.invalidSetting("pilot month", pilotMonth,
            "it must fall after the first month and within the window " + start + " to " + last,
            "choose a month inside the window");
      }
      if (fallsDistricts != null) {
        List<String> known = io.idw.sampledata.internal.Geography.districtNames();
        for (String d : fallsDistricts) {
          if (known.stream().noneMatch(k -> k.equalsIgnoreCase(d == null ? "" : d.trim()))) {
            throw SampleDataErrors.invalidSetting("falls launch district", d, "there is no such district",
                "use district names from " + known);
          }
        }
      }
      // validates the effect values
      new Effects(hsvEffect, fallsLevel, fallsSlope, fallsLaunch, fallsDistricts, gpCostSpread, pilotPractice,
          pilotMonth, pilotChange);
      return new SampleData(this);
    }
  }
}
