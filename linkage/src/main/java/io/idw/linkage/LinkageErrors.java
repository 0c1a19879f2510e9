package io.idw.linkage;

import io.idw.core.IdwException;
import java.util.Collection;

/** The errors factory of the linkage module: every exception linkage throws is made here. */
public final class LinkageErrors {
  private LinkageErrors() {}

  public static IdwException columnsMissing(String what, Collection<String> missing, Collection<String> present) {
    return new IdwException("linkage.columns.missing",
        what + " lacks columns " + missing,
        "comparisons and blocking rules read them; the data has only " + present,
        "encode those fields on the way in, or remove the comparisons and rules that name them");
  }

  public static IdwException untrained(String comparison) {
    return new IdwException("linkage.model.untrained",
        "comparison '" + comparison + "' has no m probabilities",
        "no EM training blocking rule left it active (each rule deactivates the comparisons reading its columns)",
        "add a training_blocking_rules entry on other columns, or give m_probability values by hand");
  }

  public static IdwException notTrained() {
    return new IdwException("linkage.model.not_trained",
        "the linkage model has levels without m or u probabilities",
        "prediction needs a trained model",
        "train first (Linker.train), or load a model JSON with every m_probability and u_probability set");
  }

  public static IdwException tooFewRecords(long n) {
    return new IdwException("linkage.input.too_small",
        "cannot estimate u from " + n + " records",
        "random sampling needs at least 3 records to form pairs",
        "link a larger input, or give u_probability values by hand with fix_u_probability");
  }

  public static IdwException duplicateIds(String column, long duplicates) {
    return new IdwException("linkage.input.duplicate_ids",
        duplicates + " values of " + column + " occur more than once",
        "each record needs a unique id so pairs and clusters refer to one record",
        "de-duplicate the input, or choose a unique_id_column_name that is unique");
  }

  public static IdwException inputUnreadable(String input, Exception cause) {
    return new IdwException("linkage.input.unreadable",
        "cannot read input " + input,
        String.valueOf(cause.getMessage()),
        "give a CSV, Parquet or Delta path that exists (format by extension, or a Delta directory)", cause);
  }

  public static IdwException outputIo(String path, Exception cause) {
    return new IdwException("linkage.output.io",
        "cannot write " + path,
        String.valueOf(cause.getMessage()),
        "check that the output directory is writable", cause);
  }

  public static IdwException noInput(String what) {
    return new IdwException("linkage.input.missing",
        "nothing to link: " + what,
        "linkage needs at least one input table",
        "ingest sources into the pseudonymised zone first, or pass --input");
  }

  public static IdwException truthMissing(String path) {
    return new IdwException("linkage.truth.missing",
        "no truth file at " + path,
        "linkage quality is measured against a record-to-person truth (source, record_id, person_id)",
        "give the truth/record_person.csv that 'idw generate' wrote beside the extracts");
  }

  public static IdwException notLinked(String warehouse) {
    return new IdwException("linkage.zone.not_linked",
        "the warehouse " + warehouse + " has no linked.record_links table",
        "linkage quality is measured on the links a linkage run wrote",
        "run 'idw link --warehouse " + warehouse + "' first");
  }
}
