package io.idw.cohort.matched;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Every unit's id, treatment, exact stratum and distance on the driver, in data order, as
 * primitive arrays. Each Spark task packs its partition into one byte array (its strata as a small
 * dictionary), so the driver unpacks a few arrays instead of building a {@code Row} per unit.
 *
 * @param ids the unit ids (the input's {@code monotonically_increasing_id}, increasing in data order)
 * @param treated whether each unit is treated
 * @param stratum each unit's stratum number (0.. in order of first appearance)
 * @param propensity each unit's propensity score
 * @param linearLogit each unit's linear predictor
 */
record UnitDistances(long[] ids, boolean[] treated, int[] stratum, double[] propensity, double[] linearLogit) {

  int size() {
    return ids.length;
  }

  /**
   * Collects units with columns (unit long, treated int 0/1, stratum string, propensity double,
   * linear logit double), in partition order.
   */
  static UnitDistances collect(Dataset<Row> units) {
    List<byte[]> parts = units.mapPartitions(PACK, Encoders.BINARY()).collectAsList();
    int n = 0;
    for (byte[] p : parts) {
      n += readInt(p);
    }
    long[] ids = new long[n];
    boolean[] treated = new boolean[n];
    int[] stratum = new int[n];
    double[] ps = new double[n];
    double[] eta = new double[n];
    Map<String, Integer> strata = new HashMap<>();
    int i = 0;
    try {
      for (byte[] p : parts) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(p));
        int rows = in.readInt();
        int[] global = new int[in.readInt()];
        for (int s = 0; s < global.length; s++) {
          global[s] = strata.computeIfAbsent(in.readUTF(), k -> strata.size());
        }
        for (int r = 0; r < rows; r++, i++) {
          ids[i] = in.readLong();
          treated[i] = in.readBoolean();
          stratum[i] = global[in.readInt()];
          ps[i] = in.readDouble();
          eta[i] = in.readDouble();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new UnitDistances(ids, treated, stratum, ps, eta);
  }

  private static int readInt(byte[] p) {
    return ((p[0] & 0xff) << 24) | ((p[1] & 0xff) << 16) | ((p[2] & 0xff) << 8) | (p[3] & 0xff);
  }

  /** Packs one partition: rows, strata dictionary, then per row id, treated, stratum, propensity, logit. */
  private static final MapPartitionsFunction<Row, byte[]> PACK = it -> {
    Map<String, Integer> dict = new LinkedHashMap<>();
    ByteArrayOutputStream rowBytes = new ByteArrayOutputStream(1 << 16);
    DataOutputStream rows = new DataOutputStream(rowBytes);
    int count = 0;
    while (it.hasNext()) {
      Row r = it.next();
      rows.writeLong(r.getLong(0));
      rows.writeBoolean(r.getInt(1) == 1);
      rows.writeInt(dict.computeIfAbsent(r.getString(2), k -> dict.size()));
      rows.writeDouble(r.getDouble(3));
      rows.writeDouble(r.getDouble(4));
      count++;
    }
    rows.flush();
    ByteArrayOutputStream all = new ByteArrayOutputStream(rowBytes.size() + 64);
    DataOutputStream out = new DataOutputStream(all);
    out.writeInt(count);
    out.writeInt(dict.size());
    for (String s : dict.keySet()) {
      out.writeUTF(s);
    }
    rowBytes.writeTo(out);
    out.flush();
    List<byte[]> one = new ArrayList<>(1);
    one.add(all.toByteArray());
    Iterator<byte[]> res = one.iterator();
    return res;
  };
}
