package io.idw.sampledata;

import io.idw.core.testing.TestSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Samples shared by the tests of one JVM: each distinct setting is generated once. */
final class Samples {
  private static final Map<String, GenerateResult> CACHE = new ConcurrentHashMap<>();
  private static Path root;

  private Samples() {}

  static synchronized Path root() {
    if (root == null) {
      try {
        root = Files.createTempDirectory("idw-sample-test");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  /**
   * The main test sample: 4,000 people, 36 months, default dirt, planted effects set large enough
   * to see in so few people (the falls service launches early, in 10 of the 12 districts).
   */
  static GenerateResult main() {
    return get("main", b -> b.people(4000).months(36).seed(7)
        .homeSafetyVisitEffect(-0.3).fallsLevelChange(-0.5).fallsSlopeChange(-0.02).pilotAcuteChange(-0.4)
        .fallsLaunch(java.time.YearMonth.of(2021, 10))
        .fallsLaunchDistricts(List.of("Ashford", "Canterbury", "Dartford", "Dover", "Folkestone and Hythe", "Gravesham",
            "Maidstone", "Swale", "Thanet", "Tonbridge and Malling")));
  }

  static synchronized GenerateResult get(String name, Consumer<SampleData.Builder> settings) {
    return CACHE.computeIfAbsent(name, k -> {
      SampleData.Builder b = SampleData.generator().out(root().resolve(name));
      settings.accept(b);
      return b.build().run(TestSpark.session());
    });
  }

  private static final Map<Path, List<Map<String, String>>> READ = new ConcurrentHashMap<>();

  /** A CSV file's rows as maps by header name (a small RFC 4180 reader; malformed lines are skipped). */
  static List<Map<String, String>> read(Path file) {
    return READ.computeIfAbsent(file, Samples::parse);
  }

  private static List<Map<String, String>> parse(Path file) {
    List<Map<String, String>> rows = new ArrayList<>();
    try (Stream<String> lines = Files.lines(file)) {
      var it = lines.iterator();
      List<String> header = split(it.next());
      while (it.hasNext()) {
        List<String> f = split(it.next());
        if (f == null || f.size() != header.size()) {
          continue;
        }
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < f.size(); i++) {
          row.put(header.get(i), f.get(i));
        }
        rows.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** All rows of a source over every month. */
  static List<Map<String, String>> readSource(GenerateResult r, String source) {
    List<Map<String, String>> all = new ArrayList<>();
    for (String m : r.months()) {
      all.addAll(read(r.rawFile(source, m)));
    }
    return all;
  }

  /** Splits one CSV line; null when a quote is left open. */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (quoted) {
      return null;
    }
    out.add(cur.toString());
    return out;
  }
}
