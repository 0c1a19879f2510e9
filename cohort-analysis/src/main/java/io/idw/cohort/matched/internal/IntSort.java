package io.idw.cohort.matched.internal;

/**
 * A stable merge sort of an {@code int[]} of indices by a primitive comparator, so that sorting
 * a million units boxes nothing.
 */
public final class IntSort {
  private IntSort() {}

  /** Compares two indices. */
  @FunctionalInterface
  public interface IntComparator {
    int compare(int a, int b);
  }

  /** Sorts {@code a} in place, stably (equal elements keep their order). */
  public static void sort(int[] a, IntComparator cmp) {
    if (a.length < 2) {
      return;
    }
    int[] buf = a.clone();
    mergeSort(buf, a, 0, a.length, cmp);
  }

  // sorts src[lo, hi) into dst[lo, hi); src and dst start equal
  private static void mergeSort(int[] src, int[] dst, int lo, int hi, IntComparator cmp) {
    int n = hi - lo;
    if (n < 16) {
      for (int i = lo + 1; i < hi; i++) {
        int v = dst[i];
        int j = i - 1;
        while (j >= lo && cmp.compare(dst[j], v) > 0) {
          dst[j + 1] = dst[j];
          j--;
        }
        dst[j + 1] = v;
      }
      return;
    }
    int mid = (lo + hi) >>> 1;
    mergeSort(dst, src, lo, mid, cmp);
    mergeSort(dst, src, mid, hi, cmp);
    if (cmp.compare(src[mid - 1], src[mid]) <= 0) {
      System.arraycopy(src, lo, dst, lo, n);
      return;
    }
    for (int i = lo, p = lo, q = mid; i < hi; i++) {
      if (q >= hi || (p < mid && cmp.compare(src[p], src[q]) <= 0)) {
        dst[i] = src[p++];
      } else {
        dst[i] = src[q++];
      }
    }
  }
}
