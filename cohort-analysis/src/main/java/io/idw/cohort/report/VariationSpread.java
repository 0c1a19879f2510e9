package io.idw.cohort.report;

/**
 * How far practices' cost per head spreads, before and after adjustment (for variation reports).
 *
 * @param practices practices compared (those with at least the minimum list size)
 * @param crudeFold highest over lowest crude cost per head
 * @param adjustedFold highest over lowest adjusted cost per head
 * @param crudeP90P10 90th over 10th centile of crude cost per head
 * @param adjustedP90P10 90th over 10th centile of adjusted cost per head
 * @param meanCostPerHead overall cost per head (all practices together)
 * @param lowestAdjusted lowest adjusted cost per head
 * @param highestAdjusted highest adjusted cost per head
 * @param adjustment what the adjustment was, in words ("IMD decile and age band")
 */
public record VariationSpread(int practices, double crudeFold, double adjustedFold, double crudeP90P10,
    double adjustedP90P10, double meanCostPerHead, double lowestAdjusted, double highestAdjusted,
    String adjustment) {}
