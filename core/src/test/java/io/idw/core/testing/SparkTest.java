package io.idw.core.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that uses the shared local Spark session. Test methods and constructors may
 * take a {@link org.apache.spark.sql.SparkSession} parameter, and an {@link io.idw.core.Warehouse}
 * parameter for a fresh warehouse in a temporary directory, deleted after the test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SparkExtension.class)
public @interface SparkTest {}
