package io.idw.sampledata.internal;

import io.idw.sampledata.DirtRates;
import java.io.Serializable;
import java.time.YearMonth;
import java.util.SplittableRandom;

/**
 * Everything a task needs to generate its people: the settings with every default resolved, and
 * the county. Immutable once built; shipped to tasks as a broadcast.
 */
public final class Plan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** People per block: the unit of work and of output order, independent of Spark partitions. */
  public static final int MIN_BLOCK = 5000;
  /** Entrants (births and people moving in) per person-year at the start. */
  public static final double ENTRY_RATE = 0.025;

  public final long seed;
  public final int people;
  public final int entrants;
  public final int months;
  public final int startYear;
  public final int startMonth;
  public final String[] monthLabel;
  public final DirtRates dirt;
  public final Geography geo;
  public final int blockSize;

  public final double hsvEffect;
  /** The monthly home safety visit hazard scale: PersonSim.VISIT_SCALE × the uptake multiplier. */
  public final double visitScale;
  public final double visitUptake;
  public final double fallsLevel;
  public final double fallsSlope;
  public final int fallsLaunch;
  public final boolean[] fallsDistrict;
  public final double[] practiceMultiplier;
  public final double gpCostSpread;
  public final int pilotPractice;
  public final int pilotMonth;
  public final double pilotChange;

  public Plan(long seed, int people, int months, YearMonth start, DirtRates dirt, Geography geo,
      double hsvEffect, double fallsLevel, double fallsSlope, int fallsLaunch, boolean[] fallsDistrict,
      double gpCostSpread, int pilotPractice, int pilotMonth, double pilotChange, int blockSize, double visitUptake) {
    this.seed = seed;
    this.people = people;
    this.entrants = months < 2 ? 0 : (int) Math.round(people * ENTRY_RATE * months / 12.0);
    this.months = months;
    this.startYear = start.getYear();
    this.startMonth = start.getMonthValue();
    this.monthLabel = new String[months];
    for (int m = 0; m < months; m++) {
      monthLabel[m] = start.plusMonths(m).toString();
    }
    this.dirt = dirt;
    this.geo = geo;
    long total = (long) people + entrants;
    this.blockSize = blockSize > 0 ? blockSize : (int) Math.max(MIN_BLOCK, (total + 255) / 256);
    this.hsvEffect = hsvEffect;
    this.visitUptake = visitUptake;
    this.visitScale = PersonSim.VISIT_SCALE * visitUptake;
    this.fallsLevel = fallsLevel;
    this.fallsSlope = fallsSlope;
    this.fallsLaunch = fallsLaunch;
    this.fallsDistrict = fallsDistrict.clone();
    this.gpCostSpread = gpCostSpread;
    this.pilotPractice = pilotPractice;
    this.pilotMonth = pilotMonth;
    this.pilotChange = pilotChange;
    // practice multipliers: evenly spaced on the log scale from 1/sqrt(spread) to sqrt(spread),
    // assigned in a random order so they do not follow district or deprivation
    int p = geo.practiceCount();
    practiceMultiplier = new double[p];
    int[] order = Geography.permutation(new SplittableRandom(Rand.hash(seed, -2, 0xc057)), p);
    double half = Math.log(gpCostSpread) / 2;
    for (int i = 0; i < p; i++) {
      double rank = p == 1 ? 0.5 : order[i] / (double) (p - 1);
      practiceMultiplier[i] = Math.exp(-half + 2 * half * rank);
    }
  }

  public int totalPeople() {
    return people + entrants;
  }

  public int blocks() {
    return (int) ((totalPeople() + (long) blockSize - 1) / blockSize);
  }

  /** The falls rate ratio in month m for a person living in district d aged 65+. */
  public double fallsRatio(int m, int d) {
    if (m < fallsLaunch || !fallsDistrict[d]) {
      return 1.0;
    }
    return (1 + fallsLevel) * Math.exp(fallsSlope * (m - fallsLaunch));
  }
}
