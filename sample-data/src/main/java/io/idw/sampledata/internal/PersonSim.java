package io.idw.sampledata.internal;

import io.idw.sampledata.DirtRates;
import io.idw.sampledata.Sources;
import java.util.SplittableRandom;

/**
 * Simulates one person at a time over the months of the window and writes their records, truth
 * and dirt into a {@link BlockOut}. Every random draw comes from a stream keyed by (seed, person,
 * stream), so a person's output does not depend on the block, task or partition that made it.
 * Planted effects thin (or add to) events drawn from the counterfactual rates using a separate
 * stream, so the counterfactual events are the same whatever the effect sizes.
 */
public final class PersonSim {
  // source indices
  static final int REG = 0, GPE = 1, AE = 2, APC = 3, COM = 4, MH = 5, OOH = 6, SC = 7, FIRE = 8, FALLS = 9;
  private static final String[] SOURCE = Sources.ALL.toArray(new String[0]);
  private static final String[] ID_PREFIX = {"GR", "GE", "AE", "SP", "CC", "MH", "OH", "SC", "HV", "FR"};
  private static final int TAG_REGISTRATION = 20, TAG_SERVICE = 21;

  // streams
  private static final int S_PERSON = 1, S_DIRT = 100, S_EFFECT = 200, S_MOVE = 3, S_LIFE = 4, S_VISIT = 5,
      S_FALLSREF = 6, S_SC = 7, S_EVENTS = 50;

  /** Age bands 0-4 ... 85-89, 90+: share of the population (per cent) and share male. */
  public static final double[] BAND_SHARE = {5.6, 6.2, 6.1, 5.5, 5.3, 5.9, 6.0, 6.0, 5.9, 6.5, 7.1, 6.9, 6.0, 5.4,
      5.6, 4.0, 2.8, 1.8, 1.0};
  public static final double[] BAND_MALE = {0.512, 0.513, 0.513, 0.515, 0.51, 0.495, 0.49, 0.49, 0.49, 0.49,
      0.49, 0.49, 0.49, 0.485, 0.475, 0.46, 0.43, 0.38, 0.30};
  private static final double[] BAND_CUM = Rand.cumulative(BAND_SHARE);

  private static final String[] LTC_CODES = {"HYP", "DM", "CHD", "COPD", "AST", "CKD", "AF", "HF", "DEM", "DEP",
      "CAN", "STIA", "OST"};
  private static final double[] LTC_CUM = Rand.cumulative(new double[] {14, 7, 4, 2.5, 6, 3, 2.5, 1.2, 1, 8, 3, 2, 2});

  private final Plan plan;
  private final Geography geo;
  private final DirtRates dirt;
  private final BlockOut out;
  private final String[][] rawPath;
  private final int[] monthYear;
  private final int[] monthMonth;
  private final int[] monthDays;

  // the person
  private long idx;
  private String personId;
  private boolean male;
  private int birthYear, birthMonth, birthDay;
  private int lsoa, district, practice;
  private String postcode, address, uprn;
  private int moveMonth;
  private int oldLsoa;
  private String oldPostcode, oldAddress, oldUprn;
  private int ltc;
  private String ltcCodes;
  private double frailty;
  private int entryMonth, exitMonth;
  private String exitReason;
  private String nhs, given, family;
  private String socialCareId, mhId;
  private boolean optedOut;
  private boolean mhUser;
  private boolean scNhsMissing;
  private String regDate;
  private String visitDate = "", fallsReferralDate = "";
  private final boolean[] usesNickname = new boolean[SOURCE.length];
  private final int[] seq = new int[32];
  private SplittableRandom[] dirtRng = new SplittableRandom[SOURCE.length];
  private SplittableRandom effectRng;
  private final long seedSalt;

  public PersonSim(Plan plan, BlockOut out) {
    this.plan = plan;
    this.geo = plan.geo;
    this.dirt = plan.dirt;
    this.out = out;
    this.seedSalt = Rand.mix(plan.seed ^ 0x1d5a17L);
    rawPath = new String[SOURCE.length][plan.months];
    monthYear = new int[plan.months];
    monthMonth = new int[plan.months];
    monthDays = new int[plan.months];
    for (int m = 0; m < plan.months; m++) {
      String label = plan.monthLabel[m];
      for (int s = 0; s < SOURCE.length; s++) {
        rawPath[s][m] = rawPath(SOURCE[s], label);
      }
      int ym = plan.startYear * 12 + plan.startMonth - 1 + m;
      monthYear[m] = ym / 12;
      monthMonth[m] = ym % 12 + 1;
      monthDays[m] = java.time.YearMonth.of(monthYear[m], monthMonth[m]).lengthOfMonth();
    }
  }

  /** The path of a raw extract, relative to the output directory. */
  public static String rawPath(String source, String month) {
    return "raw/" + source + "/" + month + "/" + source + "_" + month + ".csv";
  }

  public static final String RECORD_PERSON = "truth/record_person.csv";
  public static final String PEOPLE = "truth/people.csv";
  public static final String DIRT = "truth/dirt.csv";
  public static final String EFFECT_LEDGER = "truth/effect_ledger.csv";
  public static final String OPT_OUT = "reference/national_opt_out.csv";

  public static final String PEOPLE_HEADER = "person_id,nhs_number,given_name,family_name,sex,date_of_birth,"
      + "address_line,postcode,uprn,lsoa,district,imd_decile,practice_code,practice_feeds_data,ltc_count,ltc_codes,"
      + "frailty,entry_month,exit_month,exit_reason,move_month,new_address_line,new_postcode,new_uprn,new_lsoa,"
      + "social_care_id,mh_local_id,opted_out,home_safety_visit_date,falls_referral_date";
  public static final String RECORD_PERSON_HEADER = "source,record_id,person_id";
  public static final String DIRT_HEADER = "source,record_id,kind,detail";
  public static final String EFFECT_LEDGER_HEADER = "effect,person_id,source,event_month,change,record_id";
  public static final String OPT_OUT_HEADER = "nhs_number";

  /** Simulates person {@code i} and writes everything about them. */
  public void run(long i) {
    this.idx = i;
    this.personId = String.format("P%09d", i);
    java.util.Arrays.fill(seq, 0);
    for (int s = 0; s < SOURCE.length; s++) {
      dirtRng[s] = Rand.stream(plan.seed, i, S_DIRT + s);
    }
    effectRng = Rand.stream(plan.seed, i, S_EFFECT);
    visitDate = "";
    fallsReferralDate = "";
    createPerson();
    simulate();
    writePerson();
  }

  // ---------------------------------------------------------------- the person

  private void createPerson() {
    SplittableRandom r = Rand.stream(plan.seed, idx, S_PERSON);
    boolean entrant = idx >= plan.people;
    boolean birth = false;
    entryMonth = 0;
    if (entrant) {
      entryMonth = 1 + r.nextInt(Math.max(1, plan.months - 1));
      birth = r.nextDouble() < 0.4;
    }
    int band = Rand.pick(r, BAND_CUM);
    male = r.nextDouble() < BAND_MALE[band];
    if (birth) {
      birthYear = monthYear[entryMonth];
      birthMonth = monthMonth[entryMonth];
      birthDay = 1 + r.nextInt(monthDays[entryMonth]);
    } else {
      int age = band == BAND_SHARE.length - 1 ? 90 + (int) Math.min(14, -Math.log(1 - r.nextDouble()) * 3.5)
          : band * 5 + r.nextInt(5);
      int em = Math.min(entryMonth, plan.months - 1);
      // birthday uniformly in the year before the age was reached at the entry month
      int daysBack = r.nextInt(365);
      java.time.LocalDate ref = java.time.LocalDate.of(monthYear[em], monthMonth[em], 1).minusYears(age)
          .minusDays(daysBack);
      birthYear = ref.getYear();
      birthMonth = ref.getMonthValue();
      birthDay = ref.getDayOfMonth();
    }
    lsoa = Rand.pick(r, geo.lsoaCum);
    district = geo.lsoaDistrict[lsoa];
    int[] ps = geo.districtPractices[district];
    practice = ps[Rand.pick(r, geo.districtPracticeCum[district])];
    postcode = geo.lsoaPostcodes[lsoa][r.nextInt(Geography.POSTCODES_PER_LSOA)];
    address = (1 + r.nextInt(180)) + " " + geo.street(r) + ", " + geo.town[district];
    uprn = uprn(idx, 0);
    given = Names.givenName(r, male);
    family = Names.surname(r);
    nhs = NhsNumbers.forPerson(plan.seed, idx);
    optedOut = r.nextDouble() < 0.05;
    double dep = dep();
    int age0 = ageAt(Math.min(entryMonth, plan.months - 1));
    double ltcMean = age0 < 18 ? 0.1 : age0 < 45 ? 0.3 : age0 < 65 ? 0.9 : age0 < 75 ? 1.8 : age0 < 85 ? 2.6 : 3.2;
    ltc = Math.min(8, Rand.poisson(r, ltcMean * (1 + 0.4 * dep)));
    StringBuilder codes = new StringBuilder();
    boolean[] has = new boolean[LTC_CODES.length];
    for (int k = 0; k < ltc; k++) {
      int c;
      int tries = 0;
      do {
        c = Rand.pick(r, LTC_CUM);
      } while (has[c] && ++tries < 50);
      if (has[c]) {
        continue;
      }
      has[c] = true;
    }
    for (int c = 0; c < has.length; c++) {
      if (has[c]) {
        codes.append(codes.length() == 0 ? "" : ";").append(LTC_CODES[c]);
      }
    }
    ltcCodes = codes.toString();
    frailty = Rand.gamma(r, 2.0, 0.5);
    mhUser = r.nextDouble() < 0.04 * (1 + dep);
    scNhsMissing = r.nextDouble() < dirt.socialCareNhsMissing();
    mhId = String.format("RXY%07d", Math.floorMod(7_919L * idx + Rand.mix(plan.seed) % 1_000_000, 10_000_000L));
    socialCareId = null;
    for (int s = 0; s < SOURCE.length; s++) {
      usesNickname[s] = Names.nickname(given) != null && dirtRng[s].nextDouble() < dirt.nickname();
    }
    // registration date: entrants register on arrival; others some time before the window
    if (entrant) {
      regDate = iso(monthYear[entryMonth], monthMonth[entryMonth], birth ? Math.min(monthDays[entryMonth], birthDay + r.nextInt(5)) : 1 + r.nextInt(monthDays[entryMonth]));
    } else {
      java.time.LocalDate start = java.time.LocalDate.of(monthYear[0], monthMonth[0], 1);
      java.time.LocalDate dob = java.time.LocalDate.of(birthYear, birthMonth, birthDay);
      long span = Math.max(1, Math.min(365L * 25, start.toEpochDay() - dob.toEpochDay()));
      java.time.LocalDate reg = start.minusDays(1 + (long) (r.nextDouble() * (span - 1)));
      regDate = reg.toString();
    }
    // moves, deaths and leaving
    SplittableRandom life = Rand.stream(plan.seed, idx, S_LIFE);
    exitMonth = plan.months;
    exitReason = "";
    moveMonth = -1;
    SplittableRandom mv = Rand.stream(plan.seed, idx, S_MOVE);
    for (int m = entryMonth; m < plan.months; m++) {
      int age = ageAt(m);
      double q = Math.min(0.5, Math.exp(-10.5 + 0.093 * age) * (1 + 0.15 * ltc) * (0.6 + 0.4 * frailty));
      if (age < 1) {
        q = 0.004;
      }
      if (life.nextDouble() < q / 12) {
        exitMonth = m + 1;
        exitReason = "death";
        break;
      }
      if (life.nextDouble() < 0.001) {
        exitMonth = m + 1;
        exitReason = "moved_away";
        break;
      }
      if (moveMonth < 0 && m > entryMonth && mv.nextDouble() < 0.007) {
        moveMonth = m;
      }
    }
    if (moveMonth >= exitMonth - 1) {
      moveMonth = -1;
    }
    if (moveMonth >= 0) {
      oldLsoa = lsoa;
      oldPostcode = postcode;
      oldAddress = address;
      oldUprn = uprn;
      int nl = mv.nextDouble() < 0.7 ? sameDistrictLsoa(mv, district) : Rand.pick(mv, geo.lsoaCum);
      if (nl == lsoa) {
        nl = (nl + 1) % geo.lsoaCount();
      }
      newLsoaIdx = nl;
      newPostcode = geo.lsoaPostcodes[nl][mv.nextInt(Geography.POSTCODES_PER_LSOA)];
      newAddress = (1 + mv.nextInt(180)) + " " + geo.street(mv) + ", " + geo.town[geo.lsoaDistrict[nl]];
      newUprn = uprn(idx, 1);
    }
  }

  private int newLsoaIdx;
  private String newPostcode, newAddress, newUprn;

  private int sameDistrictLsoa(SplittableRandom r, int d) {
    for (int tries = 0; tries < 200; tries++) {
      int l = Rand.pick(r, geo.lsoaCum);
      if (geo.lsoaDistrict[l] == d) {
        return l;
      }
    }
    return Rand.pick(r, geo.lsoaCum);
  }

  private String uprn(long i, int k) {
    long v = Math.floorMod(Math.floorMod(Rand.mix(plan.seed ^ 0x0a1L), 10_000_000_000L)
        + 3_741_592_653L * (2 * i + k), 10_000_000_000L);
    return String.format("10%010d", v);
  }

  private double dep() {
    return (10 - geo.lsoaImd[lsoa]) / 9.0;
  }

  private int ageAt(int m) {
    int months = (monthYear[m] * 12 + monthMonth[m]) - (birthYear * 12 + birthMonth);
    if (birthDay > 15) {
      months--;
    }
    return Math.max(0, months / 12);
  }

  // ---------------------------------------------------------------- the months

  private void simulate() {
    SplittableRandom[] ev = new SplittableRandom[SOURCE.length];
    for (int s = 0; s < SOURCE.length; s++) {
      ev[s] = Rand.stream(plan.seed, idx, S_EVENTS + s);
    }
    SplittableRandom visitRng = Rand.stream(plan.seed, idx, S_VISIT);
    SplittableRandom fallsRefRng = Rand.stream(plan.seed, idx, S_FALLSREF);
    SplittableRandom scRng = Rand.stream(plan.seed, idx, S_SC);
    boolean feeds = geo.practiceFeeds[practice];
    int[] aeByMonth = new int[plan.months];
    int[] nelByMonth = new int[plan.months];
    int lastFall = -100;
    int visitMonth = -1;
    boolean referred = false;
    String registrationId = id(TAG_REGISTRATION, 0);
    // social care state
    int scType = -1;
    String scServiceId = null, scStart = null;
    double scWeekly = 0;
    int serviceSeq = 0;

    if (feeds) {
      registration(entryMonth, registrationId, idx < plan.people ? "full_extract" : "new", "", "");
    }
    for (int m = entryMonth; m < exitMonth; m++) {
      if (moveMonth >= 0 && m == moveMonth) {
        lsoa = newLsoaIdx;
        district = geo.lsoaDistrict[lsoa];
        postcode = newPostcode;
        address = newAddress;
        uprn = newUprn;
      }
      int age = ageAt(m);
      double dep = dep();
      double season = season(monthMonth[m]);
      double acuteAge = age < 5 ? 1.4 : age < 16 ? 0.6 : age < 45 ? 0.8 : age < 65 ? 0.9 : age < 75 ? 1.3 : age < 85 ? 2.0 : 3.0;
      double ltcF = 1 + 0.3 * ltc;
      boolean pilot = practice == plan.pilotPractice && m >= plan.pilotMonth;
      double pilotRr = pilot ? 1 + plan.pilotChange : 1.0;

      // GP events
      if (feeds) {
        double gpAge = age < 5 ? 1.5 : age < 16 ? 0.6 : age < 45 ? 0.8 : age < 65 ? 1.1 : age < 75 ? 1.6 : 2.2;
        double rate = 1.6 / 12 * gpAge * (1 + 0.4 * ltc) * (1 + 0.3 * dep) * Math.sqrt(frailty)
            * plan.practiceMultiplier[practice];
        int n = Rand.poisson(ev[GPE], rate);
        for (int k = 0; k < n; k++) {
          gpEvent(ev[GPE], m);
        }
      }

      // A&E: counterfactual events, then the pilot and the home safety visit thin them
      int nAe = Rand.poisson(ev[AE], 0.25 / 12 * acuteAge * ltcF * (1 + 0.5 * dep) * frailty * season);
      int aeSeen = 0;
      for (int k = 0; k < nAe; k++) {
        String src = arrivalSource(ev[AE], age);
        int day = 1 + ev[AE].nextInt(monthDays[m]);
        double u1 = ev[AE].nextDouble();
        double u2 = ev[AE].nextDouble();
        if (pilot && !keep("pilot_practice", pilotRr, m, Sources.AE_ATTENDANCES)) {
          continue;
        }
        if (visitMonth >= 0 && m > visitMonth && src.equals("home")
            && !keep("home_safety_visits", 1 + plan.hsvEffect, m, Sources.AE_ATTENDANCES)) {
          continue;
        }
        aeAttendance(m, day, src, u1, u2, null);
        aeSeen++;
      }
      if (pilot && pilotRr > 1) {
        int extra = Rand.poisson(effectRng, 0.25 / 12 * acuteAge * ltcF * (1 + 0.5 * dep) * frailty * season * (pilotRr - 1));
        for (int k = 0; k < extra; k++) {
          aeSeen++;
          aeAttendance(m, 1 + effectRng.nextInt(monthDays[m]), arrivalSource(effectRng, age), effectRng.nextDouble(),
              effectRng.nextDouble(), "pilot_practice");
        }
      }
      if (visitMonth >= 0 && m > visitMonth && plan.hsvEffect > 0) {
        int extra = Rand.poisson(effectRng, 0.25 / 12 * acuteAge * ltcF * (1 + 0.5 * dep) * frailty * season
            * pilotRr * homeShare(age) * plan.hsvEffect);
        for (int k = 0; k < extra; k++) {
          aeSeen++;
          aeAttendance(m, 1 + effectRng.nextInt(monthDays[m]), "home", effectRng.nextDouble(), effectRng.nextDouble(),
              "home_safety_visits");
        }
      }
      aeByMonth[m] = aeSeen;

      // APC: elective, non-elective, and falls-related non-elective
      double elAge = age < 16 ? 0.3 : age < 45 ? 0.6 : age < 65 ? 1.2 : age < 85 ? 2.0 : 1.5;
      int nEl = Rand.poisson(ev[APC], 0.08 / 12 * elAge * (1 + 0.2 * ltc));
      for (int k = 0; k < nEl; k++) {
        admission(ev[APC], m, 0, null);
      }
      int nNe = Rand.poisson(ev[APC], 0.05 / 12 * acuteAge * ltcF * (1 + 0.4 * dep) * frailty * season);
      for (int k = 0; k < nNe; k++) {
        int day = 1 + ev[APC].nextInt(monthDays[m]);
        long draw = ev[APC].nextLong();
        if (pilot && !keep("pilot_practice", pilotRr, m, Sources.APC_ADMISSIONS)) {
          continue;
        }
        admission(new SplittableRandom(draw), m, 1, null, day);
        nelByMonth[m]++;
      }
      double fallAge = age < 65 ? 0.125 : age < 75 ? 1 : age < 85 ? 2.2 : 4.5;
      double fallRate = 0.012 / 12 * fallAge * (1 + 0.2 * ltc) * frailty * (season > 1.1 ? 1.05 : 1.0);
      double fallsRr = age >= 65 ? plan.fallsRatio(m, district) : 1.0;
      int nFall = Rand.poisson(ev[FALLS], fallRate);
      for (int k = 0; k < nFall; k++) {
        int day = 1 + ev[FALLS].nextInt(monthDays[m]);
        long draw = ev[FALLS].nextLong();
        if (pilot && !keep("pilot_practice", pilotRr, m, Sources.APC_ADMISSIONS)) {
          continue;
        }
        if (fallsRr != 1.0 && !keep("falls_service", fallsRr, m, Sources.APC_ADMISSIONS)) {
          continue;
        }
        admission(new SplittableRandom(draw), m, 2, null, day);
        nelByMonth[m]++;
        lastFall = m;
      }
      if (fallsRr > 1) {
        int extra = Rand.poisson(effectRng, fallRate * pilotRr * (fallsRr - 1));
        for (int k = 0; k < extra; k++) {
          admission(new SplittableRandom(effectRng.nextLong()), m, 2, "falls_service", 1 + effectRng.nextInt(monthDays[m]));
          nelByMonth[m]++;
          lastFall = m;
        }
      }
      if (pilot && pilotRr > 1) {
        int extra = Rand.poisson(effectRng, 0.05 / 12 * acuteAge * ltcF * (1 + 0.4 * dep) * frailty * season * (pilotRr - 1));
        for (int k = 0; k < extra; k++) {
          admission(new SplittableRandom(effectRng.nextLong()), m, 1, "pilot_practice", 1 + effectRng.nextInt(monthDays[m]));
          nelByMonth[m]++;
        }
      }

      // community, mental health, out of hours
      double comAge = age < 65 ? 0.4 : age < 75 ? 1.5 : age < 85 ? 3.5 : 7.0;
      int nCom = Rand.poisson(ev[COM], 0.3 / 12 * comAge * (1 + 0.3 * ltc) * frailty);
      for (int k = 0; k < nCom; k++) {
        community(ev[COM], m, age);
      }
      double mhRate = mhUser ? 0.25 * (age < 18 ? 0.6 : age < 65 ? 1.0 : 0.7) : 0.002;
      int nMh = Rand.poisson(ev[MH], mhRate);
      for (int k = 0; k < nMh; k++) {
        mentalHealth(ev[MH], m, age);
      }
      int nOoh = Rand.poisson(ev[OOH], 0.15 / 12 * acuteAge * Math.sqrt(ltcF) * season);
      for (int k = 0; k < nOoh; k++) {
        ooh(ev[OOH], m);
      }

      // social care
      if (age >= 18) {
        if (scType < 0) {
          double h = 0.004 * Math.exp(0.07 * (age - 80)) * (1 + 0.3 * ltc) * frailty + (age < 65 ? 0.0002 : 0);
          boolean prevalent = m == 0 && idx < plan.people;
          double p = prevalent ? Math.min(0.6, h * 14) : Math.min(0.5, h);
          if (scRng.nextDouble() < p) {
            scType = serviceType(scRng, age);
            scWeekly = weeklyCost(scRng, scType);
            serviceSeq++;
            scServiceId = id(TAG_SERVICE, serviceSeq);
            int day = 1 + scRng.nextInt(monthDays[m]);
            scStart = prevalent ? monthsBefore(m, 1 + scRng.nextInt(24), day) : iso(monthYear[m], monthMonth[m], day);
            if (socialCareId == null) {
              socialCareId = String.format("KCC%08d", Math.floorMod(Math.floorMod(Rand.mix(plan.seed ^ 0x5cL), 100_000_000L)
                  + 48_271L * idx, 100_000_000L));
            }
          }
        }
        if (scType >= 0) {
          boolean ends = scRng.nextDouble() < SC_END[scType] || m == exitMonth - 1 && exitMonth < plan.months;
          String end = ends ? iso(monthYear[m], monthMonth[m], 1 + scRng.nextInt(monthDays[m])) : "";
          String periodStart = scStart.compareTo(iso(monthYear[m], monthMonth[m], 1)) > 0 ? scStart
              : iso(monthYear[m], monthMonth[m], 1);
          if (!end.isEmpty() && end.compareTo(periodStart) < 0) {
            end = periodStart;
          }
          socialCare(m, scServiceId, SC_TYPES[scType], scStart, end, periodStart, scWeekly);
          if (ends) {
            scType = -1;
          }
        }
      }

      // fire and rescue home safety visit: targeted by risk, at most one per person. Only on what
      // the services can see (age, conditions, deprivation, recent A&E and emergency admissions):
      // frailty reaches it through those, never directly, so a matched cohort that records them
      // can remove the selection bias, while a naive comparison cannot.
      if (visitMonth < 0 && age >= 18) {
        int priorAe = 0;
        int priorNel = 0;
        for (int k = Math.max(entryMonth, m - 12); k < m; k++) {
          priorAe += aeByMonth[k];
          priorNel += nelByMonth[k];
        }
        double score = visitScore(age, ltc, dep, priorAe, priorNel);
        if (visitRng.nextDouble() < plan.visitScale * score) {
          visitMonth = m;
          fireVisit(visitRng, m, age, score);
        }
      }

      // falls prevention service: referrals in launch districts from the launch month
      if (!referred && age >= 65 && m >= plan.fallsLaunch && plan.fallsDistrict[district]) {
        double h = 0.004 * Math.exp(0.05 * (age - 75) + 0.3 * ltc + 0.5 * (frailty - 1))
            * (m - lastFall <= 3 ? 4 : 1);
        if (fallsRefRng.nextDouble() < h) {
          referred = true;
          fallsReferral(fallsRefRng, m, m - lastFall <= 3);
        }
      }
    }
    if (feeds && exitMonth < plan.months) {
      int m = exitMonth - 1;
      String date = iso(monthYear[m], monthMonth[m], 1 + Rand.stream(plan.seed, idx, 77).nextInt(monthDays[m]));
      registration(m, registrationId, "left", date, exitReason);
    }
  }

  /** Monthly hazard scale of home safety visits (about 10,000 a year per 1.5M people). */
  static final double VISIT_SCALE = 0.00023;

  /** The targeting of home safety visits, as {@link #VISIT_TARGETING} states it; times the scale = the monthly hazard. */
  static double visitScore(int age, int ltc, double dep, int priorAe, int priorNel) {
    return Math.exp(0.045 * (age - 70) + 0.25 * ltc + 1.0 * dep + 0.45 * Math.min(priorAe, 4)
        + 0.4 * Math.min(priorNel, 3));
  }

  /** {@link #visitScore} in words, for effects.json. */
  public static final String VISIT_TARGETING = "exp(0.045*(age-70) + 0.25*ltc_count + 1.0*(10-imd_decile)/9"
      + " + 0.45*min(ae_attendances_in_prior_12_months,4) + 0.4*min(non_elective_admissions_in_prior_12_months,3))";

  private static double season(int calendarMonth) {
    return switch (calendarMonth) {
      case 12, 1, 2 -> 1.15;
      case 3, 11 -> 1.05;
      case 6, 7, 8 -> 0.9;
      default -> 1.0;
    };
  }

  private static double homeShare(int age) {
    return age >= 65 ? 0.74 : 0.62;
  }

  private static String arrivalSource(SplittableRandom r, int age) {
    double u = r.nextDouble();
    if (u < homeShare(age)) {
      return "home";
    }
    u = r.nextDouble();
    if (age >= 80 && u < 0.35) {
      return "care_home";
    }
    if (age < 18 && u < 0.3) {
      return "education";
    }
    if (age >= 18 && age < 67 && u < 0.3) {
      return "work";
    }
    if (u < 0.75) {
      return "public_place";
    }
    return u < 0.93 ? "other" : "unknown";
  }

  /** Decides whether an event survives an effect with rate ratio rr (< 1 thins), ledgering those averted. */
  private boolean keep(String effect, double rr, int m, String source) {
    if (rr >= 1) {
      return true;
    }
    if (effectRng.nextDouble() < rr) {
      return true;
    }
    out.line(EFFECT_LEDGER, effect + "," + personId + "," + source + "," + plan.monthLabel[m] + ",averted,");
    return false;
  }

  private void ledgerAdded(String effect, String source, int m, String recordId) {
    out.line(EFFECT_LEDGER, effect + "," + personId + "," + source + "," + plan.monthLabel[m] + ",added," + recordId);
  }

  // ---------------------------------------------------------------- the sources

  private void registration(int m, String registrationId, String type, String deregDate, String reason) {
    String rid = id(REG, seq[REG]++);
    String[] f = fields(15);
    f[0] = rid;
    f[1] = registrationId;
    f[2] = type;
    f[3] = nhsOut(REG, rid);
    f[4] = givenOut(REG, rid);
    f[5] = familyOut(REG, rid);
    f[6] = dobOut(REG, rid, false);
    f[7] = male ? "M" : "F";
    f[8] = address;
    f[9] = postcodeOut(REG, rid, m);
    f[10] = geo.practiceCode[practice];
    f[11] = regDate;
    f[12] = deregDate;
    f[13] = reason;
    f[14] = type.equals("left") ? deregDate : type.equals("new") ? regDate : iso(monthYear[m], monthMonth[m], 1);
    emit(REG, m, rid, f, false);
  }

  private static final String[] GP_EVENT_TYPES = {"consultation", "nurse_consultation", "telephone", "home_visit",
      "repeat_prescription", "ltc_review", "vaccination"};
  private static final double[] GP_EVENT_CUM = Rand.cumulative(new double[] {38, 18, 22, 2, 12, 5, 3});
  private static final String[] GP_ROLE = {"GP", "practice_nurse", "GP", "GP", "pharmacist", "practice_nurse", "HCA"};
  private static final double[] GP_COST = {39, 16, 28, 95, 14, 32, 12};

  private void gpEvent(SplittableRandom r, int m) {
    String rid = id(GPE, seq[GPE]++);
    int t = Rand.pick(r, GP_EVENT_CUM);
    if (t == 5 && ltc == 0) {
      t = 0;
    }
    String[] f = fields(11);
    f[0] = rid;
    f[1] = nhsOut(GPE, rid);
    f[2] = dobOut(GPE, rid, false);
    f[3] = male ? "M" : "F";
    f[4] = geo.practiceCode[practice];
    f[5] = iso(monthYear[m], monthMonth[m], 1 + r.nextInt(monthDays[m]));
    f[6] = GP_EVENT_TYPES[t];
    f[7] = GP_ROLE[t];
    f[8] = Integer.toString(ltc);
    f[9] = ltcCodes;
    f[10] = money(GP_COST[t] * (0.9 + 0.2 * r.nextDouble()));
    emit(GPE, m, rid, f, true);
  }

  private static final String[] COMPLAINTS = {"chest pain", "abdominal pain", "breathing difficulty", "fall",
      "head injury", "limb injury", "fever", "collapse", "back pain", "wound", "allergic reaction", "mental health"};

  private void aeAttendance(int m, int day, String source, double u1, double u2, String addedBy) {
    String rid = id(AE, seq[AE]++);
    String[] f = fields(13);
    f[0] = rid;
    f[1] = nhsOut(AE, rid);
    f[2] = dobOut(AE, rid, false);
    f[3] = male ? "1" : "2";
    f[4] = postcodeOut(AE, rid, m);
    f[5] = geo.practiceCode[practice];
    f[6] = iso(monthYear[m], monthMonth[m], day);
    int minutes = (int) (u1 * 1440);
    f[7] = String.format("%02d:%02d", minutes / 60, minutes % 60);
    f[8] = source;
    f[9] = u2 < 0.3 ? "ambulance" : u2 < 0.95 ? "walk_in" : "other";
    f[10] = COMPLAINTS[(int) (u2 * 997) % COMPLAINTS.length];
    double d = (u1 * 7919) % 1;
    f[11] = d < 0.22 ? "admitted" : d < 0.85 ? "discharged" : d < 0.95 ? "referred" : "left_before_treatment";
    f[12] = money(d < 0.22 ? 310 + 140 * u2 : d < 0.85 ? 140 + 90 * u2 : 110 + 60 * u2);
    emit(AE, m, rid, f, true);
    if (addedBy != null) {
      ledgerAdded(addedBy, Sources.AE_ATTENDANCES, m, rid);
    }
  }

  /** ICD-10 code, HRG, base cost, mean length of stay. */
  private static final Object[][] ELECTIVE = {{"H25.9", "BZ34B", 1050.0, 0}, {"M17.1", "HN22B", 6200.0, 3},
      {"M16.1", "HN12B", 6400.0, 3}, {"K80.2", "GA10F", 3100.0, 1}, {"K40.9", "FF62B", 2300.0, 1},
      {"N40.X", "LB25E", 2900.0, 1}, {"C50.9", "JA07C", 3800.0, 2}, {"D12.6", "FE22Z", 900.0, 0},
      {"Z51.1", "SB15Z", 650.0, 0}};
  private static final Object[][] NON_ELECTIVE = {{"J18.9", "DZ11R", 2900.0, 6}, {"N39.0", "LA04R", 2200.0, 4},
      {"I50.0", "EB03C", 3600.0, 7}, {"J44.1", "DZ65J", 2700.0, 5}, {"R07.4", "EB12C", 650.0, 1},
      {"I21.9", "EB10C", 4100.0, 5}, {"K57.3", "FD10J", 2400.0, 4}, {"R10.4", "FD05B", 700.0, 1},
      {"I63.9", "AA35C", 5200.0, 10}, {"E87.1", "KC05H", 2300.0, 5}};
  private static final Object[][] FALL_INJURY = {{"S72.0", "HN14A", 7800.0, 14}, {"S72.1", "HN14A", 7600.0, 13},
      {"S52.5", "HT23C", 2600.0, 3}, {"S42.2", "HT24C", 2900.0, 4}, {"S32.5", "HT22C", 3300.0, 6},
      {"S06.0", "AA25C", 3400.0, 4}, {"S22.3", "WD22Z", 2100.0, 4}, {"T14.9", "WH50B", 1500.0, 2}};
  private static final String[] FALL_CAUSE = {"W01", "W01", "W01", "W10", "W06", "W18", "W19", "W19", "W05", "W00", "W11", "W13"};

  private void admission(SplittableRandom r, int m, int kind, String addedBy) {
    admission(r, m, kind, addedBy, 1 + r.nextInt(monthDays[m]));
  }

  /** kind: 0 elective, 1 non-elective, 2 falls-related non-elective. */
  private void admission(SplittableRandom r, int m, int kind, String addedBy, int day) {
    Object[] dx = (kind == 0 ? ELECTIVE : kind == 1 ? NON_ELECTIVE : FALL_INJURY)[r.nextInt(
        (kind == 0 ? ELECTIVE : kind == 1 ? NON_ELECTIVE : FALL_INJURY).length)];
    String rid = id(APC, seq[APC]++);
    int meanLos = (Integer) dx[3];
    int los = meanLos == 0 ? (r.nextDouble() < 0.85 ? 0 : 1) : Math.max(0, (int) Math.round(-Math.log(1 - r.nextDouble()) * meanLos));
    java.time.LocalDate adm = java.time.LocalDate.of(monthYear[m], monthMonth[m], day);
    String[] f = fields(16);
    f[0] = rid;
    f[1] = nhsOut(APC, rid);
    f[2] = dobOut(APC, rid, false);
    f[3] = male ? "1" : "2";
    f[4] = postcodeOut(APC, rid, m);
    f[5] = geo.practiceCode[practice];
    f[6] = adm.toString();
    f[7] = adm.plusDays(los).toString();
    if (kind == 0) {
      double u = r.nextDouble();
      f[8] = u < 0.6 ? "11" : u < 0.9 ? "12" : "13";
      f[9] = "elective";
    } else {
      double u = r.nextDouble();
      f[8] = u < 0.75 ? "21" : u < 0.85 ? "22" : u < 0.92 ? "23" : u < 0.97 ? "24" : "28";
      f[9] = "non_elective";
    }
    f[10] = (String) dx[0];
    f[11] = ltc > 0 && r.nextDouble() < 0.6 ? SECONDARY[r.nextInt(SECONDARY.length)] : "";
    f[12] = kind == 2 ? FALL_CAUSE[r.nextInt(FALL_CAUSE.length)] : "";
    f[13] = Integer.toString(los);
    f[14] = (String) dx[1];
    f[15] = money((Double) dx[2] * (0.85 + 0.3 * r.nextDouble()) + Math.max(0, los - meanLos) * 320);
    emit(APC, m, rid, f, true);
    if (addedBy != null) {
      ledgerAdded(addedBy, Sources.APC_ADMISSIONS, m, rid);
    }
  }

  private static final String[] SECONDARY = {"I10.X", "E11.9", "I25.9", "J44.9", "N18.3", "I48.9", "F03.X", "F32.9", "J45.9"};

  private static final String[] COMMUNITY_SERVICES = {"district_nursing", "physiotherapy", "podiatry",
      "occupational_therapy", "speech_and_language", "community_matron"};

  private void community(SplittableRandom r, int m, int age) {
    String rid = id(COM, seq[COM]++);
    int s = age >= 75 && r.nextDouble() < 0.5 ? 0 : r.nextInt(COMMUNITY_SERVICES.length);
    String[] f = fields(11);
    f[0] = rid;
    f[1] = nhsOut(COM, rid);
    f[2] = givenOut(COM, rid);
    f[3] = familyOut(COM, rid);
    f[4] = dobOut(COM, rid, true);
    f[5] = postcodeOut(COM, rid, m);
    f[6] = uk(monthYear[m], monthMonth[m], 1 + r.nextInt(monthDays[m]));
    f[7] = COMMUNITY_SERVICES[s];
    f[8] = "band_" + (5 + r.nextInt(3));
    f[9] = Integer.toString(15 + 5 * r.nextInt(10));
    f[10] = s == 0 || s == 5 ? "home" : r.nextDouble() < 0.8 ? "clinic" : "care_home";
    emit(COM, m, rid, f, true);
  }

  private void mentalHealth(SplittableRandom r, int m, int age) {
    String rid = id(MH, seq[MH]++);
    String[] f = fields(10);
    f[0] = rid;
    f[1] = mhId;
    f[2] = nhsOut(MH, rid);
    f[3] = dobOut(MH, rid, false);
    f[4] = male ? "M" : "F";
    f[5] = postcodeOut(MH, rid, m);
    f[6] = iso(monthYear[m], monthMonth[m], 1 + r.nextInt(monthDays[m]));
    f[7] = age >= 70 ? (r.nextDouble() < 0.5 ? "memory_clinic" : "older_adults")
        : r.nextDouble() < 0.45 ? "CMHT" : r.nextDouble() < 0.8 ? "IAPT" : "crisis";
    double u = r.nextDouble();
    f[8] = u < 0.6 ? "face_to_face" : u < 0.9 ? "telephone" : "video";
    f[9] = r.nextDouble() < 0.88 ? "Y" : "N";
    emit(MH, m, rid, f, true);
  }

  private void ooh(SplittableRandom r, int m) {
    String rid = id(OOH, seq[OOH]++);
    String[] f = fields(10);
    f[0] = rid;
    f[1] = nhsOut(OOH, rid);
    f[2] = givenOut(OOH, rid);
    f[3] = familyOut(OOH, rid);
    f[4] = dobOut(OOH, rid, false);
    f[5] = postcodeOut(OOH, rid, m);
    f[6] = iso(monthYear[m], monthMonth[m], 1 + r.nextInt(monthDays[m]));
    int minutes = r.nextDouble() < 0.7 ? 18 * 60 + r.nextInt(6 * 60) : r.nextInt(8 * 60);
    f[7] = String.format("%02d:%02d", minutes / 60, minutes % 60);
    double u = r.nextDouble();
    f[8] = u < 0.6 ? "telephone_advice" : u < 0.9 ? "base_visit" : "home_visit";
    double o = r.nextDouble();
    f[9] = o < 0.55 ? "advice_given" : o < 0.8 ? "prescription" : o < 0.92 ? "referred_to_own_gp" : o < 0.97 ? "sent_to_ae" : "admitted";
    emit(OOH, m, rid, f, true);
  }

  static final String[] SC_TYPES = {"home_care", "reablement", "residential_care", "nursing_care", "day_care",
      "direct_payment", "supported_living"};
  private static final double[] SC_END = {0.07, 0.6, 0.04, 0.06, 0.06, 0.04, 0.02};
  private static final double[][] SC_COST = {{180, 520}, {0, 0}, {650, 950}, {850, 1250}, {60, 180}, {150, 450},
      {700, 1400}};

  private static int serviceType(SplittableRandom r, int age) {
    double[] w = age < 65 ? new double[] {30, 3, 2, 1, 20, 35, 15} : new double[] {45, 15, 15, 8, 7, 10, 1};
    return Rand.pick(r, Rand.cumulative(w));
  }

  private static double weeklyCost(SplittableRandom r, int type) {
    double[] c = SC_COST[type];
    return c[0] + (c[1] - c[0]) * r.nextDouble();
  }

  private void socialCare(int m, String serviceId, String type, String start, String end, String periodStart,
      double weekly) {
    String rid = id(SC, seq[SC]++);
    String[] f = fields(14);
    f[0] = rid;
    f[1] = socialCareId;
    if (scNhsMissing) {
      dirt(SC, rid, "nhs_not_recorded", "");
    }
    f[2] = scNhsMissing ? "" : nhsOut(SC, rid);
    f[3] = givenOut(SC, rid);
    f[4] = familyOut(SC, rid);
    f[5] = dobOut(SC, rid, false);
    f[6] = postcodeOut(SC, rid, m);
    f[7] = uprnAt(m);
    f[8] = serviceId;
    f[9] = type;
    f[10] = start;
    f[11] = end;
    f[12] = periodStart;
    f[13] = money(weekly);
    emit(SC, m, rid, f, false);
  }

  private void fireVisit(SplittableRandom r, int m, int age, double score) {
    String rid = id(FIRE, seq[FIRE]++);
    String date = uk(monthYear[m], monthMonth[m], 1 + r.nextInt(monthDays[m]));
    visitDate = date.substring(6) + "-" + date.substring(3, 5) + "-" + date.substring(0, 2);
    String[] f = fields(11);
    f[0] = rid;
    f[1] = givenOut(FIRE, rid);
    f[2] = familyOut(FIRE, rid);
    f[3] = dobOut(FIRE, rid, true);
    f[4] = address;
    f[5] = postcodeOut(FIRE, rid, m);
    f[6] = uprnAt(m);
    f[7] = date;
    double u = r.nextDouble();
    f[8] = u < 0.35 ? "partner_agency" : u < 0.55 ? "nhs_referral" : u < 0.75 ? "self" : u < 0.9 ? "crew_identified" : "family";
    f[9] = score > 8 ? "high" : score > 2.5 ? "medium" : "low";
    f[10] = r.nextDouble() < 0.45 ? "Y" : "N";
    emit(FIRE, m, rid, f, true);
  }

  private void fallsReferral(SplittableRandom r, int m, boolean afterFall) {
    String rid = id(FALLS, seq[FALLS]++);
    int day = 1 + r.nextInt(monthDays[m]);
    java.time.LocalDate ref = java.time.LocalDate.of(monthYear[m], monthMonth[m], day);
    fallsReferralDate = ref.toString();
    double u = r.nextDouble();
    String outcome = u < 0.75 ? "started" : u < 0.9 ? "declined" : u < 0.95 ? "not_eligible" : "waiting";
    java.time.LocalDate start = outcome.equals("started") ? ref.plusDays(7 + r.nextInt(36)) : null;
    String[] f = fields(11);
    f[0] = rid;
    f[1] = nhsOut(FALLS, rid);
    f[2] = givenOut(FALLS, rid);
    f[3] = familyOut(FALLS, rid);
    f[4] = dobOut(FALLS, rid, false);
    f[5] = postcodeOut(FALLS, rid, m);
    f[6] = geo.districtName[district];
    f[7] = ref.toString();
    double s = r.nextDouble();
    f[8] = afterFall ? (s < 0.6 ? "ae" : "gp") : s < 0.45 ? "gp" : s < 0.7 ? "community" : s < 0.85 ? "social_care" : "self";
    f[9] = start == null ? "" : start.toString();
    f[10] = outcome;
    emit(FALLS, m, rid, f, true);
  }

  // ---------------------------------------------------------------- identifiers and dirt

  private String uprnAt(int m) {
    return uprn;
  }

  private String nhsOut(int s, String rid) {
    SplittableRandom r = dirtRng[s];
    double u = r.nextDouble();
    double t = dirt.nhsMissing();
    if (u < t) {
      dirt(s, rid, "nhs_missing", "");
      return "";
    }
    if (u < (t += dirt.nhsSpaces())) {
      dirt(s, rid, "nhs_spaces", "");
      return nhs.substring(0, 3) + " " + nhs.substring(3, 6) + " " + nhs.substring(6);
    }
    if (u < (t += dirt.nhsHyphens())) {
      dirt(s, rid, "nhs_hyphens", "");
      return nhs.substring(0, 3) + "-" + nhs.substring(3, 6) + "-" + nhs.substring(6);
    }
    if (u < (t += dirt.nhsBadCheckDigit())) {
      dirt(s, rid, "nhs_bad_check_digit", "");
      return NhsNumbers.withBadCheckDigit(nhs, r.nextInt(9));
    }
    if (u < t + dirt.nhsPlaceholder()) {
      dirt(s, rid, "nhs_placeholder", "");
      return (r.nextBoolean() ? "0" : "9").repeat(10);
    }
    return nhs;
  }

  private String givenOut(int s, String rid) {
    String g = given;
    if (usesNickname[s]) {
      g = Names.nickname(given);
      dirt(s, rid, "nickname", "");
    }
    if (dirtRng[s].nextDouble() < dirt.nameTypo()) {
      g = Names.typo(dirtRng[s], g);
      dirt(s, rid, "given_name_typo", "");
    }
    return g;
  }

  private String familyOut(int s, String rid) {
    if (dirtRng[s].nextDouble() < dirt.nameTypo()) {
      dirt(s, rid, "family_name_typo", "");
      return Names.typo(dirtRng[s], family);
    }
    return family;
  }

  private String dobOut(int s, String rid, boolean ukFormat) {
    int d = birthDay;
    int mo = birthMonth;
    if (dirtRng[s].nextDouble() < dirt.dobSwap() && d <= 12 && d != mo) {
      int t = d;
      d = mo;
      mo = t;
      dirt(s, rid, "dob_swap", "");
    }
    return ukFormat ? uk(birthYear, mo, d) : iso(birthYear, mo, d);
  }

  private String postcodeOut(int s, String rid, int m) {
    if (moveMonth >= 0 && m >= moveMonth && dirtRng[s].nextDouble() < dirt.oldPostcode()) {
      dirt(s, rid, "old_postcode", "");
      return oldPostcode;
    }
    return postcode;
  }

  private void dirt(int s, String rid, String kind, String detail) {
    out.line(DIRT, SOURCE[s] + "," + rid + "," + kind + "," + detail);
  }

  /** Writes a record: late arrival, malformed line and duplicate dirt happen here. */
  private void emit(int s, int m, String rid, String[] f, boolean eventDirt) {
    SplittableRandom r = dirtRng[s];
    int extract = m;
    if (eventDirt && r.nextDouble() < dirt.late() && m < plan.months - 1) {
      extract = Math.min(plan.months - 1, m + 1 + r.nextInt(3));
      dirt(s, rid, "late", plan.monthLabel[extract]);
    }
    String line = csv(f);
    if (eventDirt && r.nextDouble() < dirt.malformed()) {
      line = malformed(r, f);
      dirt(s, rid, "malformed", "");
    }
    out.line(rawPath[s][extract], line);
    out.line(RECORD_PERSON, SOURCE[s] + "," + rid + "," + personId);
    if (eventDirt && r.nextDouble() < dirt.duplicate()) {
      String dup = id(s, (1 << 19) + seq[s]);
      f[0] = dup;
      out.line(rawPath[s][extract], csv(f));
      out.line(RECORD_PERSON, SOURCE[s] + "," + dup + "," + personId);
      dirt(s, dup, "duplicate", rid);
    }
  }

  private static String malformed(SplittableRandom r, String[] f) {
    if (r.nextBoolean()) {
      // a field lost: one comma short
      String[] shorter = java.util.Arrays.copyOf(f, f.length - 1);
      return csv(shorter);
    }
    // an unclosed quote in the middle of the line
    String[] g = f.clone();
    int k = 1 + r.nextInt(f.length - 1);
    g[k] = "\"" + (g[k] == null ? "" : g[k].replace("\"", ""));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < g.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(i == k ? g[i] : quote(g[i]));
    }
    return sb.toString();
  }

  private void writePerson() {
    StringBuilder sb = new StringBuilder(256);
    sb.append(personId).append(',').append(nhs).append(',').append(quote(given)).append(',').append(quote(family))
        .append(',').append(male ? "M" : "F").append(',').append(iso(birthYear, birthMonth, birthDay)).append(',');
    boolean moved = moveMonth >= 0;
    int firstLsoa = moved ? oldLsoa : lsoa;
    sb.append(quote(moved ? oldAddress : address)).append(',').append(moved ? oldPostcode : postcode).append(',')
        .append(moved ? oldUprn : uprn).append(',').append(geo.lsoaCode[firstLsoa]).append(',')
        .append(quote(geo.districtName[geo.lsoaDistrict[firstLsoa]])).append(',').append(geo.lsoaImd[firstLsoa]).append(',')
        .append(geo.practiceCode[practice]).append(',').append(geo.practiceFeeds[practice]).append(',')
        .append(ltc).append(',').append(ltcCodes).append(',').append(String.format("%.3f", frailty)).append(',')
        .append(plan.monthLabel[Math.min(entryMonth, plan.months - 1)]).append(',')
        .append(exitMonth < plan.months ? plan.monthLabel[exitMonth - 1] : "").append(',').append(exitReason).append(',')
        .append(moved ? plan.monthLabel[moveMonth] : "").append(',')
        .append(moved ? quote(newAddress) : "").append(',').append(moved ? newPostcode : "").append(',')
        .append(moved ? newUprn : "").append(',').append(moved ? geo.lsoaCode[newLsoaIdx] : "").append(',')
        .append(socialCareId == null ? "" : socialCareId).append(',').append(mhUser ? mhId : "").append(',')
        .append(optedOut).append(',').append(visitDate).append(',').append(fallsReferralDate);
    out.line(PEOPLE, sb);
    if (optedOut) {
      out.line(OPT_OUT, nhs);
    }
  }

  // ---------------------------------------------------------------- formatting

  private String id(int tag, int sequence) {
    // a bijection of (tag, person, sequence) xor a per-seed constant: unique, and not guessable from the person
    long v = Rand.mix(((long) tag << 56) ^ (idx << 20) ^ sequence ^ seedSalt);
    String prefix = tag < ID_PREFIX.length ? ID_PREFIX[tag] : tag == TAG_REGISTRATION ? "RG" : "SV";
    return prefix + hex16(v);
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static String hex16(long v) {
    char[] c = new char[16];
    for (int i = 15; i >= 0; i--) {
      c[i] = HEX[(int) (v & 15)];
      v >>>= 4;
    }
    return new String(c);
  }

  private String[] fields(int n) {
    return new String[n];
  }

  static String iso(int y, int m, int d) {
    char[] c = {(char) ('0' + y / 1000), (char) ('0' + y / 100 % 10), (char) ('0' + y / 10 % 10), (char) ('0' + y % 10),
        '-', (char) ('0' + m / 10), (char) ('0' + m % 10), '-', (char) ('0' + d / 10), (char) ('0' + d % 10)};
    return new String(c);
  }

  static String uk(int y, int m, int d) {
    char[] c = {(char) ('0' + d / 10), (char) ('0' + d % 10), '/', (char) ('0' + m / 10), (char) ('0' + m % 10), '/',
        (char) ('0' + y / 1000), (char) ('0' + y / 100 % 10), (char) ('0' + y / 10 % 10), (char) ('0' + y % 10)};
    return new String(c);
  }

  private String monthsBefore(int m, int back, int day) {
    int ym = monthYear[m] * 12 + monthMonth[m] - 1 - back;
    int y = ym / 12;
    int mo = ym % 12 + 1;
    return iso(y, mo, Math.min(day, java.time.YearMonth.of(y, mo).lengthOfMonth()));
  }

  private static String money(double v) {
    long pence = Math.round(v * 100);
    return (pence / 100) + "." + (pence % 100 < 10 ? "0" : "") + (pence % 100);
  }

  static String quote(String v) {
    if (v == null) {
      return "";
    }
    boolean plain = true;
    for (int i = 0, n = v.length(); i < n && plain; i++) {
      char c = v.charAt(i);
      plain = c != ',' && c != '"' && c != '\n' && c != '\r';
    }
    if (plain) {
      return v;
    }
    return "\"" + v.replace("\"", "\"\"") + "\"";
  }

  static String csv(String[] f) {
    StringBuilder sb = new StringBuilder(160);
    for (int i = 0; i < f.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(quote(f[i]));
    }
    return sb.toString();
  }
}
