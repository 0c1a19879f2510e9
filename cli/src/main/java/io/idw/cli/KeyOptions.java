package io.idw.cli;

import io.idw.pseudonymise.Kek;
import io.idw.pseudonymise.KeySet;
import io.idw.pseudonymise.KeySetStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --keyset FILE} and {@code --kek-file FILE}: where the encrypted key set is and what opens it. */
public final class KeyOptions {
  @Option(names = "--keyset", paramLabel = "FILE", defaultValue = "keys/idw-keyset.json",
      description = "The encrypted key set file (default: ${DEFAULT-VALUE}).")
  Path keyset;

  @Option(names = "--kek-file", paramLabel = "FILE",
      description = "A file holding the key-encryption key (32 bytes, base64 or hex). Default: the environment variable "
          + KeySetStore.KEK_ENV + ". Without either, idw refuses to run.")
  Path kekFile;

  public Kek kek() {
    return Kek.resolve(kekFile);
  }

  /** Reads and decrypts the key set; refuses if it is missing or the KEK is wrong. */
  public KeySet load() {
    return KeySetStore.read(keyset, kek());
  }

  public Path path() {
    return keyset;
  }
}
