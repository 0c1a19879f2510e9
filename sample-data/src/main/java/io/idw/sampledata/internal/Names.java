package io.idw.sampledata.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Names with realistic frequencies. Surnames: the most common surnames of England and Wales with
 * approximate shares per thousand people (Smith about 12.6 per thousand), then a long tail of
 * rarer, English-looking surnames each well under one per thousand. Given names by sex, weighted
 * by approximate popularity across the birth cohorts of today's adults and children.
 */
public final class Names {
  private Names() {}

  private static final String[] TOP_SURNAMES = {
      "Smith:12.6", "Jones:7.5", "Williams:6.0", "Taylor:5.5", "Brown:5.0", "Davies:4.8", "Evans:3.7",
      "Wilson:3.4", "Thomas:3.4", "Johnson:3.3", "Roberts:3.2", "Robinson:2.8", "Thompson:2.8", "Wright:2.7",
      "Walker:2.6", "White:2.5", "Edwards:2.4", "Hughes:2.4", "Green:2.4", "Hall:2.4", "Lewis:2.3", "Harris:2.3",
      "Clarke:2.3", "Patel:2.2", "Jackson:2.1", "Wood:2.1", "Turner:2.0", "Martin:2.0", "Cooper:2.0", "Hill:2.0",
      "Ward:1.9", "Morris:1.9", "Moore:1.9", "Clark:1.9", "Lee:1.9", "King:1.8", "Baker:1.8", "Harrison:1.8",
      "Morgan:1.7", "Allen:1.7", "James:1.7", "Scott:1.6", "Phillips:1.6", "Watson:1.6", "Davis:1.6",
      "Parker:1.6", "Price:1.5", "Bennett:1.5", "Young:1.5", "Griffiths:1.5", "Mitchell:1.5", "Kelly:1.5",
      "Cook:1.5", "Carter:1.5", "Richardson:1.5", "Bailey:1.4", "Collins:1.4", "Bell:1.4", "Shaw:1.4",
      "Murphy:1.4", "Miller:1.4", "Cox:1.4", "Richards:1.4", "Khan:1.3", "Marshall:1.3", "Anderson:1.3",
      "Simpson:1.3", "Ellis:1.3", "Adams:1.3", "Singh:1.2", "Begum:1.2", "Wilkinson:1.2", "Foster:1.2",
      "Chapman:1.2", "Powell:1.2", "Webb:1.2", "Rogers:1.2", "Gray:1.2", "Mason:1.2", "Ali:1.2", "Hunt:1.2",
      "Hussain:1.1", "Campbell:1.1", "Matthews:1.1", "Owen:1.1", "Palmer:1.1", "Holmes:1.1", "Mills:1.1",
      "Barnes:1.1", "Knight:1.1", "Lloyd:1.1", "Butler:1.1", "Russell:1.0", "Barker:1.0", "Fisher:1.0",
      "Stevens:1.0", "Jenkins:1.0", "Murray:1.0", "Dixon:1.0", "Harvey:1.0", "O'Brien:0.9", "Smith-Jones:0.3"};

  private static final String[] TAIL_FIRST = {"Ash", "Brad", "Brook", "Crab", "Dun", "Fair", "Gold", "Hart", "Holt",
      "Kings", "Lang", "Mar", "New", "Oak", "Pen", "Rad", "Ross", "Stan", "Thorn", "Wad", "Wins", "Black", "Brom",
      "Cars", "Craw", "Dal", "East", "Elm", "Farn", "Glad", "Ham", "Hay", "Hurst", "Kent", "Lind", "Mill", "Nor",
      "Pease", "Ridg", "Sand"};
  private static final String[] TAIL_SECOND = {"ley", "ton", "ford", "well", "wood", "by", "ham", "field", "worth",
      "ridge", "combe", "den", "hurst", "stead", "more", "bury", "wick", "gate", "brook", "cott", "dale", "hill",
      "land", "man", "ing"};
  /** Share per thousand of each tail surname. */
  private static final double TAIL_WEIGHT = 0.8;

  private static final String[] MALE = {
      "David:30", "John:30", "Michael:25", "Paul:20", "Andrew:20", "Peter:18", "James:22", "Robert:18",
      "Mark:16", "Richard:16", "Stephen:15", "Christopher:15", "Thomas:14", "William:14", "Daniel:13",
      "Matthew:13", "Anthony:10", "Ian:10", "Alan:10", "Gary:9", "Kevin:9", "Simon:9", "Brian:8", "Graham:8",
      "Colin:7", "Keith:7", "Edward:6", "George:10", "Harry:9", "Jack:10", "Oliver:10", "Samuel:7", "Joseph:8",
      "Benjamin:7", "Alexander:7", "Jamie:6", "Ryan:6", "Luke:6", "Adam:7", "Jacob:5", "Charlie:6", "Noah:4",
      "Leo:4", "Alfie:4", "Mohammed:5", "Dean:4", "Lee:5", "Craig:4", "Stuart:5", "Martin:7", "Roger:5",
      "Terence:4", "Derek:4", "Raymond:4", "Kenneth:5", "Frederick:2", "Arthur:4"};
  private static final String[] FEMALE = {
      "Susan:22", "Margaret:18", "Sarah:22", "Elizabeth:16", "Patricia:13", "Linda:12", "Julie:13",
      "Karen:13", "Jennifer:11", "Deborah:10", "Jacqueline:10", "Catherine:11", "Emma:15", "Claire:12",
      "Nicola:11", "Helen:14", "Rebecca:11", "Victoria:9", "Laura:11", "Jessica:9", "Hannah:10", "Sophie:11",
      "Charlotte:11", "Emily:11", "Olivia:10", "Amelia:8", "Isla:5", "Ava:6", "Grace:8", "Lucy:10",
      "Joanne:9", "Kathleen:6", "Dorothy:5", "Barbara:8", "Jean:8", "Sandra:9", "Christine:10", "Anne:10",
      "Gillian:7", "Alison:8", "Rachel:9", "Amy:9", "Chloe:8", "Megan:6", "Ellie:6", "Mia:5", "Poppy:5",
      "Freya:4", "Jane:10", "Mary:12", "Pauline:6", "Maureen:6", "Sharon:8", "Tracey:7", "Dawn:5", "Louise:8"};

  private static final Map<String, String> NICKNAMES = new HashMap<>();

  static {
    String[] pairs = {"William:Bill", "Robert:Bob", "Richard:Dick", "James:Jim", "John:Jack", "Thomas:Tom",
        "Michael:Mike", "David:Dave", "Christopher:Chris", "Anthony:Tony", "Edward:Ted", "Alexander:Alex",
        "Daniel:Dan", "Matthew:Matt", "Samuel:Sam", "Joseph:Joe", "Peter:Pete", "Stephen:Steve",
        "Benjamin:Ben", "Andrew:Andy", "Kenneth:Ken", "Raymond:Ray", "Terence:Terry", "Frederick:Fred",
        "Margaret:Maggie", "Elizabeth:Liz", "Catherine:Kate", "Susan:Sue", "Patricia:Pat",
        "Jennifer:Jenny", "Deborah:Debbie", "Jacqueline:Jackie", "Rebecca:Becky", "Victoria:Vicky",
        "Kathleen:Kath", "Dorothy:Dot", "Barbara:Babs", "Christine:Chris", "Gillian:Gill", "Nicola:Nicky",
        "Charlotte:Lottie", "Jessica:Jess", "Alison:Ali", "Pauline:Pauly", "Samantha:Sam"};
    for (String p : pairs) {
      String[] kv = p.split(":");
      NICKNAMES.put(kv[0], kv[1]);
    }
  }

  private static final String[] SURNAMES;
  private static final double[] SURNAME_CUM;
  private static final String[] MALE_NAMES;
  private static final double[] MALE_CUM;
  private static final String[] FEMALE_NAMES;
  private static final double[] FEMALE_CUM;

  static {
    int n = TOP_SURNAMES.length + TAIL_FIRST.length * TAIL_SECOND.length;
    SURNAMES = new String[n];
    double[] w = new double[n];
    int i = 0;
    for (String s : TOP_SURNAMES) {
      String[] kv = s.split(":");
      SURNAMES[i] = kv[0];
      w[i++] = Double.parseDouble(kv[1]);
    }
    for (String a : TAIL_FIRST) {
      for (String b : TAIL_SECOND) {
        SURNAMES[i] = a + b;
        w[i++] = TAIL_WEIGHT;
      }
    }
    SURNAME_CUM = Rand.cumulative(w);
    Object[] m = split(MALE);
    MALE_NAMES = (String[]) m[0];
    MALE_CUM = (double[]) m[1];
    Object[] f = split(FEMALE);
    FEMALE_NAMES = (String[]) f[0];
    FEMALE_CUM = (double[]) f[1];
  }

  private static Object[] split(String[] weighted) {
    String[] names = new String[weighted.length];
    double[] w = new double[weighted.length];
    for (int i = 0; i < weighted.length; i++) {
      String[] kv = weighted[i].split(":");
      names[i] = kv[0];
      w[i] = Double.parseDouble(kv[1]);
    }
    return new Object[] {names, Rand.cumulative(w)};
  }

  public static String surname(SplittableRandom r) {
    return SURNAMES[Rand.pick(r, SURNAME_CUM)];
  }

  public static String givenName(SplittableRandom r, boolean male) {
    return male ? MALE_NAMES[Rand.pick(r, MALE_CUM)] : FEMALE_NAMES[Rand.pick(r, FEMALE_CUM)];
  }

  /** The usual nickname of a given name, or null. */
  public static String nickname(String given) {
    return NICKNAMES.get(given);
  }

  /** A keying slip: a substitution, transposition, deletion or doubling of one letter. */
  public static String typo(SplittableRandom r, String s) {
    if (s.length() < 3) {
      return s + "e";
    }
    int i = 1 + r.nextInt(s.length() - 2);
    char[] c = s.toCharArray();
    switch (r.nextInt(4)) {
      case 0 -> {
        char sub = (char) ('a' + r.nextInt(26));
        if (sub == Character.toLowerCase(c[i])) {
          sub = sub == 'z' ? 'a' : (char) (sub + 1);
        }
        c[i] = sub;
        return new String(c);
      }
      case 1 -> {
        if (c[i] == c[i + 1]) {
          return s.substring(0, i) + s.substring(i + 1);
        }
        char t = c[i];
        c[i] = c[i + 1];
        c[i + 1] = t;
        return new String(c);
      }
      case 2 -> {
        return s.substring(0, i) + s.substring(i + 1);
      }
      default -> {
        return s.substring(0, i + 1) + s.charAt(i) + s.substring(i + 1);
      }
    }
  }
}
