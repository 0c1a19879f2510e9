package io.idw.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.idw.core.CoreErrors;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The warehouse's append-only, hash-chained audit log: one JSON record a line in {@code
 * audit/audit-log.jsonl}. Each record carries the hash of the one before it, so any edit, deletion
 * or reordering breaks the chain at a point {@link #verify()} names.
 *
 * <p>Appends take an exclusive file lock, so concurrent jobs on one machine (or one shared file
 * system with working locks) interleave safely. A job that cannot write its audit record fails.
 */
public final class AuditLog {
  public static final String FILE_NAME = "audit-log.jsonl";
  public static final String GENESIS = "0".repeat(64);

  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.INDENT_OUTPUT)
      .build();

  /** File locks are per JVM, so threads of one JVM also serialise on a lock per log file. */
  private static final java.util.concurrent.ConcurrentMap<Path, Object> JVM_LOCKS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final Path file;
  private final Path lockFile;

  private AuditLog(Path file) {
    this.file = file;
    this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
  }

  /** The audit log of a warehouse. */
  public static AuditLog of(Warehouse warehouse) {
    return new AuditLog(warehouse.zonePath(Zone.AUDIT).resolve(FILE_NAME));
  }

  /** An audit log at an explicit file (tests, tools). */
  public static AuditLog at(Path file) {
    return new AuditLog(file);
  }

  public Path file() {
    return file;
  }

  /** Appends an event and returns the stored record. */
  public AuditRecord append(AuditEvent event) {
    synchronized (JVM_LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new Object())) {
      return appendLocked(event);
    }
  }

  private AuditRecord appendLocked(AuditEvent event) {
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel lockCh = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
           FileLock ignored = lockCh.lock()) {
        long seq = 0;
        String prev = GENESIS;
        String last = lastLine();
        if (last != null) {
          ObjectNode n = (ObjectNode) CANONICAL.readTree(last);
          seq = n.get("sequence").asLong() + 1;
          prev = n.get("hash").asText();
        }
        Instant now = Instant.now();
        String id = UUID.randomUUID().toString();
        String hash = hashOf(seq, now, id, event, prev);
        AuditRecord rec = new AuditRecord(seq, now, id, event, prev, hash);
        byte[] line = (CANONICAL.writeValueAsString(rec) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
          ByteBuffer buf = ByteBuffer.wrap(line);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          ch.force(true);
        }
        return rec;
      }
    } catch (IOException e) {
      throw CoreErrors.auditIo(file, e);
    }
  }

  /** Every record in order; a line that cannot be parsed is an error naming its place. */
  public List<AuditRecord> read() {
    List<AuditRecord> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        try {
          out.add(CANONICAL.readValue(lines.get(i), AuditRecord.class));
        } catch (JsonProcessingException e) {
          throw CoreErrors.auditTampered(file, i, "line " + (i + 1) + " is not a valid audit record");
        }
      }
      return out;
    } catch (IOException e) {
      throw CoreErrors.auditIo(file, e);
    }
  }

  /**
   * Re-computes every hash and link. Reports the first record whose content was edited, whose
   * predecessor was deleted or moved, or whose sequence number is out of place.
   */
  public VerifyResult verify() {
    if (!Files.exists(file)) {
      return VerifyResult.ok(0, GENESIS);
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CoreErrors.auditIo(file, e);
    }
    String prev = GENESIS;
    long expected = 0;
    for (String line : lines) {
      if (line.isBlank()) {
        return VerifyResult.broken(expected, expected, "a blank line stands where record " + expected + " should be");
      }
      AuditRecord r;
      try {
        r = CANONICAL.readValue(line, AuditRecord.class);
      } catch (JsonProcessingException e) {
        return VerifyResult.broken(expected, expected, "record " + expected + " is not valid JSON (edited)");
      }
      if (r.sequence() != expected) {
        return VerifyResult.broken(expected, expected, "expected sequence " + expected + " but found "
            + r.sequence() + " (a record was deleted, inserted or moved)");
      }
      if (!r.prevHash().equals(prev)) {
        return VerifyResult.broken(expected, expected, "record " + expected
            + " does not link to the record before it (a record was deleted or reordered)");
      }
      String h;
      try {
        h = hashOf(r.sequence(), r.time(), r.eventId(), r.event(), r.prevHash());
      } catch (JsonProcessingException e) {
        return VerifyResult.broken(expected, expected, "record " + expected + " cannot be re-hashed");
      }
      if (!h.equals(r.hash())) {
        return VerifyResult.broken(expected, expected, "record " + expected
            + " has been edited: its content does not match its hash");
      }
      prev = r.hash();
      expected++;
    }
    return VerifyResult.ok(expected, prev);
  }

  private String lastLine() throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return null;
    }
    try (var raf = new java.io.RandomAccessFile(file.toFile(), "r")) {
      long len = raf.length();
      long pos = len - 1;
      // skip the trailing newline(s)
      while (pos >= 0) {
        raf.seek(pos);
        int b = raf.read();
        if (b != '\n' && b != '\r') {
          break;
        }
        pos--;
      }
      long end = pos;
      while (pos >= 0) {
        raf.seek(pos);
        if (raf.read() == '\n') {
          break;
        }
        pos--;
      }
      byte[] buf = new byte[(int) (end - pos)];
      raf.seek(pos + 1);
      raf.readFully(buf);
      return new String(buf, StandardCharsets.UTF_8);
    }
  }

  static String hashOf(long seq, Instant time, String id, AuditEvent event, String prev)
      throws JsonProcessingException {
    ObjectNode n = CANONICAL.createObjectNode();
    n.put("sequence", seq);
    n.put("time", time.toString());
    n.put("eventId", id);
    n.set("event", CANONICAL.valueToTree(event));
    n.put("prevHash", prev);
    byte[] canonical = CANONICAL.writeValueAsBytes(CANONICAL.treeToValue(n, Object.class));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present in the JDK", e);
    }
  }
}
