package io.idw.linkage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The shared data files beside the repository, and truth read from them in plain Java (no Spark, no idw code). */
final class SharedData {
  private SharedData() {}

  /** {@code shared/data/<rel>}: walks up from the working directory until a {@code shared/data} sibling appears. */
  static Path path(String rel) {
    Path d = Path.of("").toAbsolutePath();
    while (d != null) {
      for (Path cand : List.of(d.resolveSibling("shared").resolve("data"), d.resolve("shared").resolve("data"))) {
        if (Files.isDirectory(cand)) {
          return cand.resolve(rel);
        }
      }
      d = d.getParent();
    }
    throw new IllegalStateException("no shared/data directory beside the repo (looked upwards from "
        + Path.of("").toAbsolutePath() + ")");
  }

  /**
   * Record id to true entity from an unquoted CSV with a header.
   *
   * @param idColumn index of the record id column
   * @param entity the entity id of a split, trimmed row
   */
  static Map<String, String> truth(Path csv, int idColumn, Function<String[], String> entity) {
    try {
      List<String> lines = Files.readAllLines(csv);
      Map<String, String> out = new HashMap<>();
      for (String line : lines.subList(1, lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",", -1);
        for (int i = 0; i < f.length; i++) {
          f[i] = f[i].trim();
        }
        out.put(f[idColumn], entity.apply(f));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pairwise counts of a clustering against truth: pairs in one cluster, pairs of one entity, pairs both. */
  record PairCounts(long predicted, long truePairs, long truePositives) {
    double precision() {
      return predicted == 0 ? 1 : (double) truePositives / predicted;
    }

    double recall() {
      return truePairs == 0 ? 1 : (double) truePositives / truePairs;
    }

    double f1() {
      return 2 * precision() * recall() / (precision() + recall());
    }

    /** Counts over the records both maps hold. */
    static PairCounts ofClusters(Map<String, String> cluster, Map<String, String> truth) {
      Map<String, Long> bySize = new HashMap<>();
      Map<String, Long> byEntity = new HashMap<>();
      Map<String, Long> byCell = new HashMap<>();
      cluster.forEach((id, c) -> {
        String t = truth.get(id);
        if (t != null) {
          bySize.merge(c, 1L, Long::sum);
          byEntity.merge(t, 1L, Long::sum);
          byCell.merge(c + "\u0000" + t, 1L, Long::sum);
        }
      });
      return new PairCounts(pairs(bySize), pairs(byEntity), pairs(byCell));
    }

    /** Counts of a list of predicted pairs (each pair once) against truth. */
    static PairCounts ofPairs(List<String[]> pairs, Map<String, String> truth) {
      long tp = pairs.stream().filter(p -> truth.get(p[0]).equals(truth.get(p[1]))).count();
      Map<String, Long> byEntity = new HashMap<>();
      truth.values().forEach(t -> byEntity.merge(t, 1L, Long::sum));
      return new PairCounts(pairs.size(), pairs(byEntity), tp);
    }

    private static long pairs(Map<String, Long> sizes) {
      return sizes.values().stream().mapToLong(n -> n * (n - 1) / 2).sum();
    }
  }
}
