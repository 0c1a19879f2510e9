package io.idw.pseudonymise;

import io.idw.core.IdwException;
import java.nio.file.Path;

/**
 * The errors factory of the pseudonymise module. Messages never contain key material or
 * identifier values: only names, ids, counts and paths.
 */
public final class PseudonymiseErrors {
  private PseudonymiseErrors() {}

  public static IdwException kekMissing(String envVar) {
    return new IdwException("pseudonymise.kek.missing",
        "no key-encryption key (KEK) is available",
        "neither --kek-file nor the environment variable " + envVar + " was given, and idw never runs unkeyed",
        "export " + envVar + "=<base64 of 32 random bytes> or pass --kek-file FILE (for example from 'openssl rand -base64 32')");
  }

  public static IdwException kekInvalid(String where, String reason) {
    return new IdwException("pseudonymise.kek.invalid",
        "the key-encryption key from " + where + " is unusable",
        reason,
        "supply exactly 32 random bytes, base64- or hex-encoded (for example 'openssl rand -base64 32')");
  }

  public static IdwException keySetMissing(Path file) {
    return new IdwException("pseudonymise.keyset.missing",
        "no key set at " + file,
        "the file does not exist, and idw refuses to pseudonymise without a managed key",
        "create one with 'idw keys create --keyset " + file + "' or point --keyset at the right file");
  }

  public static IdwException keySetExists(Path file) {
    return new IdwException("pseudonymise.keyset.exists",
        "a key set already exists at " + file,
        "creating would overwrite it, and every pseudonym made with it would become unlinkable",
        "use 'idw keys rotate' to add a key, or choose another --keyset path");
  }

  public static IdwException keySetWrongKek(Path file) {
    return new IdwException("pseudonymise.keyset.wrong_kek",
        "cannot decrypt the key set " + file,
        "the key-encryption key is wrong, or the file was altered (authentication failed)",
        "supply the KEK the key set was created with (" + KeySetStore.KEK_ENV + " or --kek-file); idw never falls back to unkeyed hashing");
  }

  public static IdwException keySetUnreadable(Path file, String reason, Throwable cause) {
    return new IdwException("pseudonymise.keyset.unreadable",
        "cannot read the key set " + file,
        reason,
        "check the path and that the file is an idw key set written by 'idw keys create'", cause);
  }

  public static IdwException keySetInvalid(String reason) {
    return new IdwException("pseudonymise.keyset.invalid",
        "the key set is invalid",
        reason,
        "a key set needs at least one key, unique key ids, and exactly one enabled primary key");
  }

  public static IdwException keyUnknown(String keyId) {
    return new IdwException("pseudonymise.key.unknown",
        "key " + keyId + " is not in the key set",
        "the data was pseudonymised with a different key set (wrong key), or the key was removed",
        "use the key set that made the data; idw never re-derives or guesses keys");
  }

  public static IdwException keyNotUsable(String keyId, String status) {
    return new IdwException("pseudonymise.key.not_usable",
        "key " + keyId + " cannot be used",
        "its status is " + status,
        "use an enabled key, or make it the primary with 'idw keys rotate'");
  }

  public static IdwException wrongKeySetForTable(String table, String keyId) {
    return new IdwException("pseudonymise.keyset.wrong_for_table",
        "refusing to write to " + table,
        "its rows were pseudonymised with key " + keyId + ", which this key set does not hold (wrong key set)",
        "run with the key set that made the table; mixing key sets would make records silently unlinkable");
  }

  public static IdwException badPseudonymBits(int bits) {
    return new IdwException("pseudonymise.bits",
        "pseudonym length " + bits + " bits is not supported",
        "pseudonyms are HMAC-SHA256 truncated to 64, 96, 128, 192 or 256 bits",
        "use 128 (the default) or 64 (the KID's length; mind the printed collision risk)");
  }

  public static IdwException unsafePrintRefused() {
    return new IdwException("pseudonymise.unsafe.refused",
        "refusing to print derived key material",
        "the key set is not marked as a test key set",
        "print derived keys only from a test key set ('idw keys create --test'); never from a production key set");
  }

  public static IdwException mappingInvalid(String reason, String fix) {
    return new IdwException("pseudonymise.mapping.invalid",
        "the identifier column mapping is invalid", reason, fix);
  }

  public static IdwException sourceNotFound(String source, Path where) {
    return new IdwException("pseudonymise.ingest.source_missing",
        "no source spec for '" + source + "'",
        "there is no " + where,
        "check --source against the files in the specs folder (specs/<source>.yaml)");
  }

  public static IdwException extractNotFound(String source, String month, Path where) {
    return new IdwException("pseudonymise.ingest.extract_missing",
        "no extract of " + source + " for " + month,
        "nothing at " + where,
        "check --month and the raw folder layout raw/<source>/<YYYY-MM>/<source>_<YYYY-MM>.csv|parquet");
  }

  public static IdwException badMonth(String month) {
    return new IdwException("pseudonymise.ingest.month",
        "'" + month + "' is not a month",
        "months are written YYYY-MM",
        "pass --month like 2024-03");
  }

  public static IdwException schemaMismatch(String source, String file, java.util.Collection<String> missing) {
    return new IdwException("pseudonymise.ingest.schema",
        "the extract " + file + " of " + source + " does not match its spec",
        "it lacks the declared columns " + missing,
        "fix the extract, or correct specs/" + source + ".yaml");
  }

  public static IdwException emptyExtract(String source, Path file) {
    return new IdwException("pseudonymise.ingest.empty",
        "the extract " + file + " of " + source + " is empty",
        "the file has 0 bytes: not even the header line the spec's columns are named by",
        "ask the provider to re-send the extract (a month with no rows still has its header line), or remove the file");
  }

  public static IdwException headerNotDecodable(String source, Path file, String charset) {
    return new IdwException("pseudonymise.ingest.encoding",
        "the header line of " + file + " (" + source + ") is not valid " + charset,
        "the file holds bytes that are not " + charset + " text in its first line, so its columns cannot be named",
        "re-export the extract as " + charset + ", or declare its encoding in specs/" + source + ".yaml (options: encoding)");
  }

  public static IdwException notBalanced(String source, String month, long in, long loaded, long quarantined) {
    return new IdwException("pseudonymise.ingest.unbalanced",
        "ingest of " + source + " " + month + " does not balance",
        "rows in " + in + " != loaded " + loaded + " + quarantined " + quarantined,
        "this is a bug: report it with the audit log; nothing was committed past the check");
  }
}
