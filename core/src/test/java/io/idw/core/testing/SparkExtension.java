package io.idw.core.testing;

import io.idw.core.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension behind {@link SparkTest}: resolves {@link SparkSession} to {@link
 * TestSpark#session()} and {@link Warehouse} to a fresh warehouse in a temporary directory.
 */
public final class SparkExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SparkExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    Class<?> t = p.getParameter().getType();
    return t == SparkSession.class || t == Warehouse.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    Class<?> t = p.getParameter().getType();
    if (t == SparkSession.class) {
      return TestSpark.session();
    }
    try {
      Path dir = Files.createTempDirectory("idw-wh-");
      c.getStore(NS).put(dir.toString(), (ExtensionContext.Store.CloseableResource) () -> deleteTree(dir));
      return Warehouse.create(dir.resolve("warehouse"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temporary warehouse", e);
    }
  }

  /** Deletes a directory tree; used to clean temporary warehouses. */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort for temp dirs
    }
  }
}
