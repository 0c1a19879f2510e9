package io.idw.sampledata.internal;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The synthetic county: Kent's 12 districts in 7 clinical commissioning groups, lower-layer areas
 * (LSOAs) with IMD deciles, postcodes and GP practices. Built on the driver from the seed and the
 * population size, then shipped to every task.
 */
public final class Geography implements Serializable {
  private static final long serialVersionUID = 1L;

  /** name, ONS code, CCG code, CCG name, main town, relative population, mean IMD decile, outward codes. */
  private static final Object[][] DISTRICTS = {
      {"Ashford", "E07000105", "09C", "NHS Ashford CCG", "Ashford", 130, 6.0, "TN23 TN24 TN25 TN26 TN27"},
      {"Canterbury", "E07000106", "09E", "NHS Canterbury and Coastal CCG", "Canterbury", 165, 6.0, "CT1 CT2 CT3 CT4 CT5 CT6"},
      {"Dartford", "E07000107", "09J", "NHS Dartford, Gravesham and Swanley CCG", "Dartford", 115, 5.5, "DA1 DA2 DA4 DA10"},
      {"Dover", "E07000108", "10A", "NHS South Kent Coast CCG", "Dover", 118, 4.5, "CT14 CT15 CT16 CT17"},
      {"Folkestone and Hythe", "E07000112", "10A", "NHS South Kent Coast CCG", "Folkestone", 113, 4.5, "CT18 CT19 CT20 CT21 TN28 TN29"},
      {"Gravesham", "E07000109", "09J", "NHS Dartford, Gravesham and Swanley CCG", "Gravesend", 107, 5.0, "DA11 DA12 DA13"},
      {"Maidstone", "E07000110", "99J", "NHS West Kent CCG", "Maidstone", 175, 6.5, "ME14 ME15 ME16 ME17"},
      {"Sevenoaks", "E07000111", "99J", "NHS West Kent CCG", "Sevenoaks", 121, 8.0, "TN13 TN14 TN15 BR8"},
      {"Swale", "E07000113", "10D", "NHS Swale CCG", "Sittingbourne", 151, 4.0, "ME10 ME11 ME12 ME13"},
      {"Thanet", "E07000114", "10E", "NHS Thanet CCG", "Margate", 142, 3.5, "CT7 CT8 CT9 CT10 CT11 CT12"},
      {"Tonbridge and Malling", "E07000115", "99J", "NHS West Kent CCG", "Tonbridge", 133, 7.5, "ME19 ME20 TN9 TN10 TN11"},
      {"Tunbridge Wells", "E07000116", "99J", "NHS West Kent CCG", "Tunbridge Wells", 118, 7.5, "TN1 TN2 TN3 TN4 TN12"}};

  private static final String[] STREETS = {"Church Road", "High Street", "Station Road", "London Road", "Park Road",
      "Victoria Road", "Green Lane", "Manor Road", "Church Lane", "Park Avenue", "The Avenue", "Queens Road",
      "New Road", "Grange Road", "Kings Road", "Mill Lane", "School Lane", "North Street", "Albert Road",
      "Orchard Way", "Hop Garden Close", "Oast Court", "Marine Parade", "Canterbury Road", "Dover Road",
      "Ashford Road", "Maidstone Road", "Cherry Tree Close", "The Street", "Hythe Road"};
  private static final String UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";
  public static final int POSTCODES_PER_LSOA = 24;

  public final int districtCount = DISTRICTS.length;
  public final String[] districtName = new String[DISTRICTS.length];
  public final String[] districtCode = new String[DISTRICTS.length];
  public final String[] ccgCode = new String[DISTRICTS.length];
  public final String[] ccgName = new String[DISTRICTS.length];
  public final String[] town = new String[DISTRICTS.length];

  public final String[] lsoaCode;
  public final int[] lsoaDistrict;
  public final int[] lsoaImd;
  /** Cumulative LSOA weights for choosing where a person lives. */
  public final double[] lsoaCum;
  /** Postcodes of each LSOA. */
  public final String[][] lsoaPostcodes;

  public final String[] practiceCode;
  public final int[] practiceDistrict;
  public final int[] practiceLsoa;
  public final boolean[] practiceFeeds;
  /** Per district: the district's practices and cumulative list-size weights. */
  public final int[][] districtPractices;
  public final double[][] districtPracticeCum;

  public Geography(long seed, long people) {
    SplittableRandom r = Rand.stream(seed, -1, 0x6e0);
    double[] districtWeight = new double[DISTRICTS.length];
    for (int d = 0; d < DISTRICTS.length; d++) {
      districtName[d] = (String) DISTRICTS[d][0];
      districtCode[d] = (String) DISTRICTS[d][1];
      ccgCode[d] = (String) DISTRICTS[d][2];
      ccgName[d] = (String) DISTRICTS[d][3];
      town[d] = (String) DISTRICTS[d][4];
      districtWeight[d] = ((Integer) DISTRICTS[d][5]).doubleValue();
    }
    double totalWeight = 0;
    for (double w : districtWeight) {
      totalWeight += w;
    }

    int lsoas = (int) Math.max(48, Math.min(1000, Math.round(people / 1500.0)));
    List<Integer> lsoaDistrictList = new ArrayList<>();
    for (int d = 0; d < DISTRICTS.length; d++) {
      int n = (int) Math.max(4, Math.round(lsoas * districtWeight[d] / totalWeight));
      for (int i = 0; i < n; i++) {
        lsoaDistrictList.add(d);
      }
    }
    int nl = lsoaDistrictList.size();
    lsoaCode = new String[nl];
    lsoaDistrict = new int[nl];
    lsoaImd = new int[nl];
    lsoaPostcodes = new String[nl][];
    double[] lsoaWeight = new double[nl];
    Set<String> usedPostcodes = new HashSet<>();
    int[] sectorCounter = new int[DISTRICTS.length];
    for (int i = 0; i < nl; i++) {
      int d = lsoaDistrictList.get(i);
      lsoaDistrict[i] = d;
      lsoaCode[i] = String.format("E0102%04d", 4000 + i);
      double mean = (Double) DISTRICTS[d][6];
      lsoaImd[i] = (int) Math.max(1, Math.min(10, Math.round(mean + 2.4 * Rand.gaussian(r))));
      lsoaWeight[i] = 0.7 + 0.6 * r.nextDouble();
      String[] outward = ((String) DISTRICTS[d][7]).split(" ");
      String out = outward[sectorCounter[d] % outward.length];
      int sector = (sectorCounter[d] / outward.length) % 10;
      sectorCounter[d]++;
      String[] pcs = new String[POSTCODES_PER_LSOA];
      for (int k = 0; k < POSTCODES_PER_LSOA; k++) {
        String pc;
        do {
          pc = out + " " + sector + UNIT_LETTERS.charAt(r.nextInt(UNIT_LETTERS.length()))
              + UNIT_LETTERS.charAt(r.nextInt(UNIT_LETTERS.length()));
        } while (!usedPostcodes.add(pc));
        pcs[k] = pc;
      }
      lsoaPostcodes[i] = pcs;
    }
    lsoaCum = Rand.cumulative(lsoaWeight);

    int practices = (int) Math.max(14, Math.min(240, Math.round(people / 250.0)));
    practiceCode = new String[practices];
    practiceDistrict = new int[practices];
    practiceLsoa = new int[practices];
    practiceFeeds = new boolean[practices];
    double[] listWeight = new double[practices];
    // at least one practice per district, the rest by population
    for (int p = 0; p < practices; p++) {
      int d = p < DISTRICTS.length ? p : Rand.pick(r, Rand.cumulative(districtWeight));
      practiceDistrict[p] = d;
      List<Integer> inDistrict = new ArrayList<>();
      for (int i = 0; i < nl; i++) {
        if (lsoaDistrict[i] == d) {
          inDistrict.add(i);
        }
      }
      practiceLsoa[p] = inDistrict.get(r.nextInt(inDistrict.size()));
      listWeight[p] = Math.exp(0.45 * Rand.gaussian(r));
    }
    // Kent practice codes are G82nnn; give them in a shuffled order so codes do not reveal district
    int[] order = permutation(r, practices);
    for (int p = 0; p < practices; p++) {
      practiceCode[p] = String.format("G82%03d", 1 + order[p] * 3);
    }
    int feeding = (int) Math.round(practices * 0.8);
    int[] feedOrder = permutation(r, practices);
    for (int k = 0; k < feeding; k++) {
      practiceFeeds[feedOrder[k]] = true;
    }
    districtPractices = new int[DISTRICTS.length][];
    districtPracticeCum = new double[DISTRICTS.length][];
    for (int d = 0; d < DISTRICTS.length; d++) {
      List<Integer> ps = new ArrayList<>();
      for (int p = 0; p < practices; p++) {
        if (practiceDistrict[p] == d) {
          ps.add(p);
        }
      }
      districtPractices[d] = ps.stream().mapToInt(Integer::intValue).toArray();
      double[] w = new double[ps.size()];
      for (int k = 0; k < w.length; k++) {
        w[k] = listWeight[ps.get(k)];
      }
      districtPracticeCum[d] = Rand.cumulative(w);
    }
  }

  public static int[] permutation(SplittableRandom r, int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  public int practiceCount() {
    return practiceCode.length;
  }

  public int lsoaCount() {
    return lsoaCode.length;
  }

  public int districtIndex(String name) {
    for (int d = 0; d < districtName.length; d++) {
      if (districtName[d].equalsIgnoreCase(name.trim())) {
        return d;
      }
    }
    return -1;
  }

  public int practiceIndex(String code) {
    for (int p = 0; p < practiceCode.length; p++) {
      if (practiceCode[p].equalsIgnoreCase(code.trim())) {
        return p;
      }
    }
    return -1;
  }

  /** The names of all districts, in order. */
  public static List<String> districtNames() {
    List<String> out = new ArrayList<>();
    for (Object[] d : DISTRICTS) {
      out.add((String) d[0]);
    }
    return out;
  }

  public String street(SplittableRandom r) {
    return Rand.pick(r, STREETS);
  }
}
