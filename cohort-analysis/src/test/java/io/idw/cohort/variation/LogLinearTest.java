package io.idw.cohort.variation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.idw.core.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.GeneralizedLinearRegression;
import org.apache.spark.ml.regression.GeneralizedLinearRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.junit.jupiter.api.Test;

/** IPF on a main-effects log-linear model gives the same fit as Spark MLlib's Poisson GLM. */
@SparkTest
class LogLinearTest {
  @Test
  void agreesWithSparkPoissonGlm(SparkSession spark) {
    Random r = new Random(1);
    int practices = 4;
    int deciles = 3;
    List<String[]> levels = new ArrayList<>();
    List<Double> n = new ArrayList<>();
    List<Double> obs = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < practices; p++) {
      for (int d = 0; d < deciles; d++) {
        double size = 20 + r.nextInt(50);
        double y = size * (1 + p) * (1 + 0.5 * d) * (0.8 + 0.4 * r.nextDouble()) * 12.5;
        levels.add(new String[] {"p" + p, "d" + d});
        n.add(size);
        obs.add(y);
        double[] x = new double[(practices - 1) + (deciles - 1)];
        if (p > 0) {
          x[p - 1] = 1;
        }
        if (d > 0) {
          x[practices - 1 + d - 1] = 1;
        }
        rows.add(RowFactory.create(y, Math.log(size), Vectors.dense(x)));
      }
    }
    StructType schema = new StructType().add("y", DataTypes.DoubleType).add("off", DataTypes.DoubleType)
        .add("features", SQLDataTypes.VectorType());
    Dataset<Row> df = spark.createDataFrame(rows, schema);
    GeneralizedLinearRegressionModel m = new GeneralizedLinearRegression().setFamily("poisson").setLink("log")
        .setLabelCol("y").setOffsetCol("off").setTol(1e-12).setMaxIter(100).fit(df);
    List<Row> pred = m.transform(df).select("prediction").collectAsList();

    double[][] param = LogLinear.fit(levels.toArray(String[][]::new), n.stream().mapToDouble(Double::doubleValue).toArray(),
        obs.stream().mapToDouble(Double::doubleValue).toArray(), 2);
    for (int i = 0; i < levels.size(); i++) {
      double mu = n.get(i) * param[i][0] * param[i][1];
      assertThat(mu).isCloseTo(pred.get(i).getDouble(0), within(1e-6 * mu));
    }
  }
}
