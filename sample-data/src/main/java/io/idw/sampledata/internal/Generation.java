package io.idw.sampledata.internal;

import io.idw.core.IdwMappers;
import io.idw.core.IdwVersion;
import io.idw.sampledata.DirtRates;
import io.idw.sampledata.Effects;
import io.idw.sampledata.GenerateResult;
import io.idw.sampledata.SampleData;
import io.idw.sampledata.SampleDataErrors;
import io.idw.sampledata.Sources;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The generator's job: resolves the settings into a {@link Plan}, generates blocks of people in
 * Spark tasks (each task writes its blocks' lines to a temporary file per block), then
 * concatenates the blocks in block order into the final files, and writes the reference tables,
 * specs and truth. Output bytes depend only on the settings: blocks are fixed runs of person
 * indices, and every random draw is keyed by person.
 */
public final class Generation {
  private Generation() {}

  public static GenerateResult run(SampleData settings, SparkSession spark) {
    long t0 = System.nanoTime();
    Path out = settings.out().toAbsolutePath().normalize();
    prepare(out);
    Plan plan = plan(settings);
    Path tmp = out.resolve(".blocks");

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<Plan> bp = jsc.broadcast(plan);
    List<Integer> blocks = IntStream.range(0, plan.blocks()).boxed().toList();
    String tmpDir = tmp.toString();
    int slices = Math.max(1, Math.min(blocks.size(),
        settings.partitions() > 0 ? settings.partitions() : jsc.defaultParallelism() * 4));
    jsc.setJobDescription("idw generate: " + settings.people() + " people, " + settings.months() + " months");
    List<BlockOut.BlockResult> results;
    try {
      results = new ArrayList<>(jsc.parallelize(blocks, slices).map(b -> generateBlock(bp.value(), b, tmpDir)).collect());
    } finally {
      jsc.setJobDescription(null);
      bp.destroy();
    }
    results.sort(Comparator.comparingInt(BlockOut.BlockResult::block));

    Map<String, String> headers = headers(plan);
    Map<String, Long> rows = assemble(out, headers, results);
    writeReference(out, plan);
    writeSpecs(out);
    writeEffects(out, plan, settings);
    deleteTree(tmp);

    Map<String, Long> sourceRows = new LinkedHashMap<>();
    Map<String, Map<String, Long>> monthly = new LinkedHashMap<>();
    for (String s : Sources.ALL) {
      Map<String, Long> byMonth = new LinkedHashMap<>();
      long total = 0;
      for (String m : plan.monthLabel) {
        long n = rows.getOrDefault(PersonSim.rawPath(s, m), 0L);
        byMonth.put(m, n);
        total += n;
      }
      sourceRows.put(s, total);
      monthly.put(s, byMonth);
    }
    Map<String, Long> truthRows = new TreeMap<>();
    rows.forEach((k, v) -> {
      if (!k.startsWith("raw/")) {
        truthRows.put(k, v);
      }
    });
    truthRows.put("reference/practices.csv", (long) plan.geo.practiceCount());
    truthRows.put("reference/lsoa_imd.csv", (long) plan.geo.lsoaCount());
    truthRows.put("reference/postcode_lsoa.csv", (long) plan.geo.lsoaCount() * Geography.POSTCODES_PER_LSOA);
    writeManifest(out, plan, settings, sourceRows, monthly, truthRows);
    return new GenerateResult(out, List.of(plan.monthLabel), plan.seed, plan.people, plan.entrants, sourceRows, monthly,
        truthRows, (System.nanoTime() - t0) / 1_000_000);
  }

  /** Resolves defaults and names into indices. */
  static Plan plan(SampleData s) {
    Effects e = s.effects();
    Geography geo = new Geography(s.seed(), s.people());
    int launch = e.fallsLaunchMonth() == null ? s.months() / 2 : monthIndex(s.start(), e.fallsLaunchMonth());
    boolean[] districts = new boolean[geo.districtCount];
    for (String d : e.fallsLaunchDistricts()) {
      int i = geo.districtIndex(d);
      if (i < 0) {
        throw SampleDataErrors.invalidSetting("falls launch district", d, "there is no such district",
            "use district names from " + Geography.districtNames());
      }
      districts[i] = true;
    }
    int pilot;
    if (e.pilotPractice() == null) {
      int[] order = Geography.permutation(new SplittableRandom(Rand.hash(s.seed(), -3, 0x9117)), geo.practiceCount());
      pilot = -1;
      for (int p : order) {
        if (geo.practiceFeeds[p]) {
          pilot = p;
          break;
        }
      }
    } else {
      pilot = geo.practiceIndex(e.pilotPractice());
      if (pilot < 0) {
        throw SampleDataErrors.invalidSetting("pilot practice", e.pilotPractice(), "there is no such practice code",
            "leave it unset to let the generator choose, or use a code from reference/practices.csv of an earlier run with the same people and seed");
      }
    }
    int pilotMonth = e.pilotMonth() == null ? (2 * s.months()) / 3 : monthIndex(s.start(), e.pilotMonth());
    return new Plan(s.seed(), s.people(), s.months(), s.start(), s.dirt(), geo, e.homeSafetyVisitEffect(),
        e.fallsLevelChange(), e.fallsSlopeChange(), launch, districts, e.gpCostSpread(), pilot, pilotMonth,
        e.pilotAcuteChange(), s.blockSize(), s.homeSafetyVisitUptake());
  }

  private static int monthIndex(YearMonth start, YearMonth m) {
    return (m.getYear() - start.getYear()) * 12 + m.getMonthValue() - start.getMonthValue();
  }

  /** Runs in a Spark task: generates one block of people into a temporary file. */
  static BlockOut.BlockResult generateBlock(Plan plan, int block, String tmpDir) {
    BlockOut out = new BlockOut();
    PersonSim sim = new PersonSim(plan, out);
    long from = (long) block * plan.blockSize;
    long to = Math.min(plan.totalPeople(), from + plan.blockSize);
    for (long i = from; i < to; i++) {
      sim.run(i);
    }
    Path file = Path.of(tmpDir, String.format("block-%05d.bin", block));
    try {
      return new BlockOut.BlockResult(block, file.toString(), out.save(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> headers(Plan plan) {
    Map<String, String> h = new TreeMap<>();
    for (String s : Sources.ALL) {
      for (String m : plan.monthLabel) {
        h.put(PersonSim.rawPath(s, m), Sources.header(s));
      }
    }
    h.put(PersonSim.RECORD_PERSON, PersonSim.RECORD_PERSON_HEADER);
    h.put(PersonSim.PEOPLE, PersonSim.PEOPLE_HEADER);
    h.put(PersonSim.DIRT, PersonSim.DIRT_HEADER);
    h.put(PersonSim.EFFECT_LEDGER, PersonSim.EFFECT_LEDGER_HEADER);
    h.put(PersonSim.OPT_OUT, PersonSim.OPT_OUT_HEADER);
    return h;
  }

  /** Concatenates each file's sections in block order after its header; returns data rows per file. */
  private static Map<String, Long> assemble(Path out, Map<String, String> headers, List<BlockOut.BlockResult> results) {
    Map<String, List<long[]>> slices = new TreeMap<>();
    Map<String, Long> rows = new TreeMap<>();
    headers.keySet().forEach(k -> {
      slices.put(k, new ArrayList<>());
      rows.put(k, 0L);
    });
    for (BlockOut.BlockResult r : results) {
      for (BlockOut.SectionInfo s : r.sections()) {
        slices.get(s.relPath()).add(new long[] {r.block(), s.offset(), s.length()});
        rows.merge(s.relPath(), s.rows(), Long::sum);
      }
    }
    Map<Integer, Path> blockFiles = new TreeMap<>();
    results.forEach(r -> blockFiles.put(r.block(), Path.of(r.file())));
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (var e : slices.entrySet()) {
        futures.add(pool.submit(() -> {
          writeFile(out.resolve(e.getKey()), headers.get(e.getKey()), e.getValue(), blockFiles);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (Exception e) {
      throw SampleDataErrors.io(out, e);
    } finally {
      pool.shutdownNow();
    }
    return rows;
  }

  private static void writeFile(Path target, String header, List<long[]> slices, Map<Integer, Path> blockFiles)
      throws IOException {
    Files.createDirectories(target.getParent());
    try (FileChannel dst = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      dst.write(java.nio.ByteBuffer.wrap((header + "\n").getBytes(StandardCharsets.UTF_8)));
      for (long[] s : slices) {
        try (FileChannel src = FileChannel.open(blockFiles.get((int) s[0]), StandardOpenOption.READ)) {
          long pos = s[1];
          long left = s[2];
          while (left > 0) {
            long n = src.transferTo(pos, left, dst);
            pos += n;
            left -= n;
          }
        }
      }
    }
  }

  private static void writeReference(Path out, Plan plan) {
    Geography g = plan.geo;
    Path ref = out.resolve("reference");
    write(ref.resolve("practices.csv"), w -> {
      w.write("practice_code,ccg_code,district,lsoa,imd_decile,feeds_data\n");
      Integer[] order = new Integer[g.practiceCount()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, Comparator.comparing(i -> g.practiceCode[i]));
      for (int p : order) {
        int l = g.practiceLsoa[p];
        w.write(g.practiceCode[p] + "," + g.ccgCode[g.practiceDistrict[p]] + "," + PersonSim.quote(g.districtName[g.practiceDistrict[p]])
            + "," + g.lsoaCode[l] + "," + g.lsoaImd[l] + "," + g.practiceFeeds[p] + "\n");
      }
    });
    write(ref.resolve("lsoa_imd.csv"), w -> {
      w.write("lsoa,imd_decile,district\n");
      for (int l = 0; l < g.lsoaCount(); l++) {
        w.write(g.lsoaCode[l] + "," + g.lsoaImd[l] + "," + g.districtName[g.lsoaDistrict[l]] + "\n");
      }
    });
    write(ref.resolve("postcode_lsoa.csv"), w -> {
      w.write("postcode,lsoa\n");
      TreeMap<String, String> pcs = new TreeMap<>();
      for (int l = 0; l < g.lsoaCount(); l++) {
        for (String pc : g.lsoaPostcodes[l]) {
          pcs.put(pc, g.lsoaCode[l]);
        }
      }
      for (var e : pcs.entrySet()) {
        w.write(e.getKey() + "," + e.getValue() + "\n");
      }
    });
    write(ref.resolve("districts.csv"), w -> {
      w.write("district,district_code,ccg_code,ccg_name,falls_service_launch\n");
      for (int d = 0; d < g.districtCount; d++) {
        w.write(g.districtName[d] + "," + g.districtCode[d] + "," + g.ccgCode[d] + "," + PersonSim.quote(g.ccgName[d]) + ","
            + (plan.fallsDistrict[d] ? plan.monthLabel[plan.fallsLaunch] : "") + "\n");
      }
    });
  }

  private static void writeSpecs(Path out) {
    for (String s : Sources.ALL) {
      Path f = out.resolve("specs").resolve(s + ".yaml");
      try {
        Files.createDirectories(f.getParent());
        Files.writeString(f, IdwMappers.yaml().writeValueAsString(Sources.spec(s)));
      } catch (IOException e) {
        throw SampleDataErrors.io(f, e);
      }
    }
  }

  private static void writeEffects(Path out, Plan plan, SampleData s) {
    Geography g = plan.geo;
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("seed", plan.seed);
    root.put("people", plan.people);
    root.put("start", plan.monthLabel[0]);
    root.put("months", plan.months);

    Map<String, Object> hsv = new LinkedHashMap<>();
    hsv.put("effect", plan.hsvEffect);
    hsv.put("rate_ratio", 1 + plan.hsvEffect);
    hsv.put("outcome", "ae_attendances with arrival_source = home");
    hsv.put("applies", "to a visited person's attendances in the calendar months after the visit month");
    hsv.put("uptake", plan.visitUptake);
    hsv.put("targeting", "monthly visit hazard " + plan.visitScale + " * " + PersonSim.VISIT_TARGETING
        + ", adults, at most one visit per person; prior months are the 12 calendar months before the visit month,"
        + " age is at the visit month and imd_decile is of the current address (frailty is not used directly)");
    root.put("home_safety_visits", hsv);

    Map<String, Object> falls = new LinkedHashMap<>();
    falls.put("level_change", plan.fallsLevel);
    falls.put("slope_change_per_month", plan.fallsSlope);
    falls.put("launch_month", plan.monthLabel[plan.fallsLaunch]);
    List<String> launch = new ArrayList<>();
    List<String> comparison = new ArrayList<>();
    for (int d = 0; d < g.districtCount; d++) {
      (plan.fallsDistrict[d] ? launch : comparison).add(g.districtName[d]);
    }
    falls.put("launch_districts", launch);
    falls.put("comparison_districts", comparison);
    falls.put("population", "people aged 65+ living (at the time) in a launch district");
    falls.put("outcome", "apc_admissions with admission_type = non_elective and cause_code W00-W19");
    falls.put("rate_ratio_formula", "(1 + level_change) * exp(slope_change_per_month * months_since_launch), from the launch month");
    Map<String, Double> byMonth = new LinkedHashMap<>();
    int anyLaunch = -1;
    for (int d = 0; d < g.districtCount; d++) {
      if (plan.fallsDistrict[d]) {
        anyLaunch = d;
      }
    }
    for (int m = plan.fallsLaunch; m < plan.months; m++) {
      byMonth.put(plan.monthLabel[m], round6(plan.fallsRatio(m, anyLaunch)));
    }
    falls.put("rate_ratio_by_month", byMonth);
    root.put("falls_service", falls);

    Map<String, Object> gp = new LinkedHashMap<>();
    gp.put("spread", plan.gpCostSpread);
    gp.put("outcome", "gp_events per registered patient (so GP cost per capita)");
    gp.put("note", "each practice multiplies its patients' GP event rate; multipliers are evenly spaced on the log scale and assigned independently of deprivation, age and long-term conditions");
    Map<String, Double> mult = new TreeMap<>();
    for (int p = 0; p < g.practiceCount(); p++) {
      mult.put(g.practiceCode[p], round6(plan.practiceMultiplier[p]));
    }
    gp.put("multiplier_by_practice", mult);
    root.put("gp_practice_cost", gp);

    Map<String, Object> pilot = new LinkedHashMap<>();
    pilot.put("practice_code", g.practiceCode[plan.pilotPractice]);
    pilot.put("start_month", plan.monthLabel[Math.min(plan.pilotMonth, plan.months - 1)]);
    pilot.put("acute_change", plan.pilotChange);
    pilot.put("rate_ratio", 1 + plan.pilotChange);
    pilot.put("outcome", "ae_attendances and non-elective apc_admissions of the practice's registered patients");
    root.put("pilot_practice", pilot);
    root.put("ledger", "truth/effect_ledger.csv lists every event an effect removed (averted) or added");
    writeJson(out.resolve("truth/effects.json"), root);
  }

  private static double round6(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  private static void writeManifest(Path out, Plan plan, SampleData s, Map<String, Long> sourceRows,
      Map<String, Map<String, Long>> monthly, Map<String, Long> truthRows) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("generator", "idw sample-data " + IdwVersion.get());
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("people", plan.people);
    settings.put("entrants", plan.entrants);
    settings.put("months", plan.months);
    settings.put("start", plan.monthLabel[0]);
    settings.put("seed", plan.seed);
    root.put("settings", settings);
    DirtRates d = plan.dirt;
    root.put("dirt", d);
    root.put("source_rows", sourceRows);
    root.put("monthly_rows", monthly);
    root.put("other_rows", truthRows);
    writeJson(out.resolve("truth/manifest.json"), root);
  }

  private static void writeJson(Path f, Object value) {
    try {
      Files.createDirectories(f.getParent());
      Files.writeString(f, IdwMappers.json().writeValueAsString(value) + "\n");
    } catch (IOException e) {
      throw SampleDataErrors.io(f, e);
    }
  }

  private interface WriterBody {
    void write(BufferedWriter w) throws IOException;
  }

  private static void write(Path f, WriterBody body) {
    try {
      Files.createDirectories(f.getParent());
      try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
        body.write(w);
      }
    } catch (IOException e) {
      throw SampleDataErrors.io(f, e);
    }
  }

  /** Makes sure the output directory is new, empty or an earlier sample (which is cleared). */
  private static void prepare(Path out) {
    try {
      if (Files.isDirectory(out)) {
        boolean earlier = Files.isRegularFile(out.resolve("truth/manifest.json"));
        boolean empty;
        try (Stream<Path> s = Files.list(out)) {
          empty = s.findAny().isEmpty();
        }
        if (!empty && !earlier) {
          throw SampleDataErrors.outputNotEmpty(out);
        }
        for (String sub : List.of("raw", "specs", "reference", "truth", ".blocks")) {
          deleteTree(out.resolve(sub));
        }
      } else if (Files.exists(out)) {
        throw SampleDataErrors.outputNotEmpty(out);
      }
      Files.createDirectories(out);
    } catch (IOException e) {
      throw SampleDataErrors.io(out, e);
    }
  }

  private static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    } catch (IOException e) {
      throw SampleDataErrors.io(p, e);
    }
  }
}
