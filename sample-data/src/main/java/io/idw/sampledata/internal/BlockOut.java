package io.idw.sampledata.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.TreeMap;

/**
 * One block's output: for each output file (by its path relative to the output directory), the
 * lines this block contributes, in generation order. Saved as one temporary file per block whose
 * sections the driver then concatenates, block by block, into the final files.
 */
public final class BlockOut {
  private final HashMap<String, Section> sections = new HashMap<>();

  private static final class Section {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 14);
    long rows;
  }

  /** Appends one line (without its newline) to a file. */
  public void line(String relPath, CharSequence line) {
    Section s = sections.computeIfAbsent(relPath, k -> new Section());
    byte[] b = line.toString().getBytes(StandardCharsets.UTF_8);
    s.bytes.write(b, 0, b.length);
    s.bytes.write('\n');
    s.rows++;
  }

  /** Writes the sections to a file and says where each one is. */
  public List<SectionInfo> save(Path file) throws IOException {
    List<SectionInfo> info = new ArrayList<>();
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      long offset = 0;
      for (var e : new TreeMap<>(sections).entrySet()) {
        Section s = e.getValue();
        s.bytes.writeTo(out);
        info.add(new SectionInfo(e.getKey(), offset, s.bytes.size(), s.rows));
        offset += s.bytes.size();
      }
    }
    return info;
  }

  /** Where one file's lines sit in a block's temporary file. */
  public record SectionInfo(String relPath, long offset, long length, long rows) implements Serializable {}

  /** What one block produced. */
  public record BlockResult(int block, String file, List<SectionInfo> sections) implements Serializable {}
}
