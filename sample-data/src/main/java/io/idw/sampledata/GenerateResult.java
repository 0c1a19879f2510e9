package io.idw.sampledata;

import io.idw.core.SourceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a generator run wrote: where, and how many rows. Paths follow the layout in the module
 * README: {@code raw/<source>/<YYYY-MM>/<source>_<YYYY-MM>.csv}, {@code specs/<source>.yaml},
 * {@code reference/}, {@code truth/}.
 *
 * @param outDir the output directory
 * @param months the extract months, in order ({@code YYYY-MM})
 * @param seed the seed used
 * @param people the population at the start of the window
 * @param entrants people who arrived during the window (births and moves into the county)
 * @param sourceRows data rows (excluding headers, including duplicates and malformed lines) per source
 * @param monthlyRows data rows per source and extract month
 * @param truthRows rows of each truth and reference file by its path relative to {@code outDir}
 * @param elapsedMillis wall time of the run
 */
public record GenerateResult(
    Path outDir,
    List<String> months,
    long seed,
    int people,
    int entrants,
    Map<String, Long> sourceRows,
    Map<String, Map<String, Long>> monthlyRows,
    Map<String, Long> truthRows,
    long elapsedMillis) {

  public GenerateResult {
    months = List.copyOf(months);
    sourceRows = Map.copyOf(sourceRows);
    monthlyRows = Map.copyOf(monthlyRows);
    truthRows = Map.copyOf(truthRows);
  }

  public Path rawDir() {
    return outDir.resolve("raw");
  }

  /** The folder of one source's monthly extracts. */
  public Path rawDir(String source) {
    Sources.spec(source);
    return rawDir().resolve(source);
  }

  /** One monthly extract file. */
  public Path rawFile(String source, String month) {
    return rawDir(source).resolve(month).resolve(source + "_" + month + ".csv");
  }

  public Path specsDir() {
    return outDir.resolve("specs");
  }

  public Path specFile(String source) {
    Sources.spec(source);
    return specsDir().resolve(source + ".yaml");
  }

  /** The source's spec, read back from its file. */
  public SourceSpec spec(String source) {
    return SourceSpec.read(specFile(source));
  }

  public Path referenceDir() {
    return outDir.resolve("reference");
  }

  public Path practicesFile() {
    return referenceDir().resolve("practices.csv");
  }

  public Path lsoaImdFile() {
    return referenceDir().resolve("lsoa_imd.csv");
  }

  public Path postcodeLsoaFile() {
    return referenceDir().resolve("postcode_lsoa.csv");
  }

  public Path optOutFile() {
    return referenceDir().resolve("national_opt_out.csv");
  }

  public Path truthDir() {
    return outDir.resolve("truth");
  }

  public Path peopleFile() {
    return truthDir().resolve("people.csv");
  }

  public Path recordPersonFile() {
    return truthDir().resolve("record_person.csv");
  }

  public Path dirtFile() {
    return truthDir().resolve("dirt.csv");
  }

  public Path effectLedgerFile() {
    return truthDir().resolve("effect_ledger.csv");
  }

  public Path effectsFile() {
    return truthDir().resolve("effects.json");
  }

  public Path manifestFile() {
    return truthDir().resolve("manifest.json");
  }

  /** Data rows of one source over all months. */
  public long rows(String source) {
    return sourceRows.getOrDefault(source, 0L);
  }

  /** Data rows over all sources. */
  public long totalRows() {
    return sourceRows.values().stream().mapToLong(Long::longValue).sum();
  }

  /** A one-line summary for logs and the console. */
  public String summary() {
    return String.format("%,d people (+%,d arriving) over %d months from %s: %,d records in %d sources, in %.1f s",
        people, entrants, months.size(), months.get(0), totalRows(), sourceRows.size(), elapsedMillis / 1000.0);
  }
}
