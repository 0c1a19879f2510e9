package io.idw.sampledata;

import java.io.Serializable;
import java.time.YearMonth;
import java.util.List;

/**
 * The effects planted in the data, as configured. Null months and practice mean "choose": the
 * falls launch defaults to the middle month of the window, the pilot month to two thirds of the
 * way through, and the pilot practice to one practice that feeds data, picked from the seed.
 * The resolved values are written to {@code truth/effects.json}.
 *
 * @param homeSafetyVisitEffect proportional change in A&E attendances arriving from home, for a
 *     visited person, in the months after the visit month (0 = none, as Kent found; -0.15 = 15% fewer)
 * @param fallsLevelChange proportional level change in falls-related non-elective admissions of
 *     people aged 65+ living in launch districts, from the launch month (-0.2 = 20% fewer)
 * @param fallsSlopeChange change in the log monthly rate per month since launch (-0.01 = a further
 *     1% fewer each month); the rate ratio k months after launch is
 *     {@code (1 + fallsLevelChange) * exp(fallsSlopeChange * k)}
 * @param fallsLaunchMonth the month the falls service starts, or null
 * @param fallsLaunchDistricts the districts where it starts; the others are comparisons
 * @param gpCostSpread ratio of the highest to the lowest practice multiplier of GP activity, which
 *     does not depend on deprivation or case mix (10 = ten-fold, as Kent found)
 * @param pilotPractice the pilot practice's code, or null
 * @param pilotMonth the month the pilot starts, or null
 * @param pilotAcuteChange proportional change in the pilot practice's patients' A&E attendances and
 *     non-elective admissions from the pilot month
 */
public record Effects(
    double homeSafetyVisitEffect,
    double fallsLevelChange,
    double fallsSlopeChange,
    YearMonth fallsLaunchMonth,
    List<String> fallsLaunchDistricts,
    double gpCostSpread,
    String pilotPractice,
    YearMonth pilotMonth,
    double pilotAcuteChange) implements Serializable {

  public static final List<String> DEFAULT_LAUNCH_DISTRICTS = List.of("Thanet", "Swale", "Dover", "Maidstone");

  public Effects {
    requireChange("home safety visit effect", homeSafetyVisitEffect);
    requireChange("falls level change", fallsLevelChange);
    requireChange("pilot acute change", pilotAcuteChange);
    if (!(Math.abs(fallsSlopeChange) <= 0.2)) {
      throw SampleDataErrors.invalidSetting("falls slope change", fallsSlopeChange,
          "it is a change in the log rate per month", "use a small value such as -0.01");
    }
    if (!(gpCostSpread >= 1 && gpCostSpread <= 100)) {
      throw SampleDataErrors.invalidSetting("GP cost spread", gpCostSpread,
          "it is the ratio of the highest to the lowest practice multiplier", "use a value from 1 to 100, such as 10");
    }
    fallsLaunchDistricts = fallsLaunchDistricts == null ? DEFAULT_LAUNCH_DISTRICTS : List.copyOf(fallsLaunchDistricts);
    if (fallsLaunchDistricts.isEmpty()) {
      throw SampleDataErrors.invalidSetting("falls launch districts", fallsLaunchDistricts,
          "the service must launch somewhere", "name one or more districts, such as Thanet");
    }
  }

  private static void requireChange(String what, double v) {
    if (!(v >= -1 && v <= 5)) {
      throw SampleDataErrors.invalidSetting(what, v, "it is a proportional change",
          "use a value from -1 (none left) upwards, such as -0.15 for 15% fewer");
    }
  }

  /** The defaults: no visit effect, falls -20% level and -1%/month slope, ten-fold GP spread, pilot -20%. */
  public static Effects defaults() {
    return new Effects(0.0, -0.20, -0.01, null, DEFAULT_LAUNCH_DISTRICTS, 10.0, null, null, -0.20);
  }
}
