package io.idw.sampledata;

import io.idw.core.IdwException;
import java.nio.file.Path;

/** The errors factory of the sample-data module: every exception it throws is made here. */
public final class SampleDataErrors {
  private SampleDataErrors() {}

  public static IdwException unknownSource(String source) {
    return new IdwException("sampledata.source.unknown",
        "no source named '" + source + "'",
        "the generator writes only " + Sources.ALL,
        "use one of those source names");
  }

  public static IdwException invalidSetting(String setting, Object value, String reason, String fix) {
    return new IdwException("sampledata.setting.invalid",
        "the generator setting " + setting + " = " + value + " is invalid",
        reason,
        fix);
  }

  public static IdwException outputNotEmpty(Path out) {
    return new IdwException("sampledata.output.not_empty",
        "cannot generate into " + out,
        "the directory exists and holds files that are not an earlier sample (no truth/manifest.json)",
        "choose a new or empty directory for --out, or delete it first");
  }

  public static IdwException io(Path where, Exception cause) {
    return new IdwException("sampledata.io",
        "cannot write the sample data at " + where,
        String.valueOf(cause.getMessage()),
        "check the path is writable, on a filesystem every Spark executor can reach, and has free space", cause);
  }
}
