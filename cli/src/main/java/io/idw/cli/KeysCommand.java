package io.idw.cli;

import io.idw.core.IdentifierType;
import io.idw.pseudonymise.Key;
import io.idw.pseudonymise.KeySet;
import io.idw.pseudonymise.KeySetStore;
import io.idw.pseudonymise.KeyStatus;
import io.idw.pseudonymise.NhsNumber;
import io.idw.pseudonymise.Normalise;
import io.idw.pseudonymise.Pseudonymiser;
import io.idw.pseudonymise.PseudonymiseErrors;
import io.idw.pseudonymise.SecretAccess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code idw keys create|rotate|list|status|verify}: manage the pseudonymisation key set. */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = {"Manage the key set that makes pseudonyms and encodings.",
        "The key set is stored encrypted under a key-encryption key (KEK) from --kek-file or $" + KeySetStore.KEK_ENV + "."},
    subcommands = {KeysCommand.Create.class, KeysCommand.Rotate.class, KeysCommand.ListKeys.class,
        KeysCommand.SetStatus.class, KeysCommand.Verify.class})
public final class KeysCommand {

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a new key set with one random primary key. Refuses to overwrite an existing one.")
  static final class Create implements Callable<Integer> {
    @Mixin KeyOptions keys;
    @Spec CommandSpec spec;
    @Option(names = "--test", description = "Mark the key set as a test key set (its derived keys may be printed by 'keys verify --unsafe-print-derived-key').")
    boolean test;

    @Override
    public Integer call() {
      KeySet ks = KeySet.generate(test);
      KeySetStore.create(ks, keys.path(), keys.kek());
      spec.commandLine().getOut().println("created key set " + keys.path() + " with primary key " + ks.primaryId()
          + (test ? " (test key set)" : ""));
      return 0;
    }
  }

  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = "Add a new random key and make it the primary. Older keys stay enabled so data they made can still be re-keyed per project.")
  static final class Rotate implements Callable<Integer> {
    @Mixin KeyOptions keys;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      KeySet ks = keys.load().rotate();
      KeySetStore.write(ks, keys.path(), keys.kek());
      spec.commandLine().getOut().println("new primary key " + ks.primaryId() + "; " + ks.keys().size() + " keys in " + keys.path());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List key ids, statuses and creation times. Never prints key material.")
  static final class ListKeys implements Callable<Integer> {
    @Mixin KeyOptions keys;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      KeySet ks = keys.load();
      PrintWriter out = spec.commandLine().getOut();
      out.println("key set " + keys.path() + (ks.testOnly() ? " (test key set)" : ""));
      out.printf("  %-12s %-10s %-8s %s%n", "id", "status", "primary", "created");
      for (Key k : ks.keys()) {
        out.printf("  %-12s %-10s %-8s %s%n", k.id(), k.status().name().toLowerCase(),
            k.id().equals(ks.primaryId()) ? "yes" : "", k.createdAt());
      }
      return 0;
    }
  }

  @Command(name = "set-status", mixinStandardHelpOptions = true,
      description = "Disable, re-enable or destroy a key that is not the primary. Destroying erases its material for good.")
  static final class SetStatus implements Callable<Integer> {
    @Mixin KeyOptions keys;
    @Spec CommandSpec spec;
    @Option(names = "--key", required = true, description = "The key id.") String keyId;
    @Option(names = "--status", required = true, description = "enabled, disabled or destroyed.") KeyStatus status;

    @Override
    public Integer call() {
      KeySet ks = keys.load().withStatus(keyId, status);
      KeySetStore.write(ks, keys.path(), keys.kek());
      spec.commandLine().getOut().println("key " + keyId + " is now " + status.name().toLowerCase());
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Pseudonymise values read from stdin (one a line) and print, per line: its number, its status and its pseudonym.",
          "The MAC input is the normalised value (NHS number: 10 digits; UPRN: digits without leading zeros; social-care id: trimmed, lower case).",
          "With --unsafe-print-derived-key (test key sets only) it also prints the derived HMAC key, so an auditor can check a pseudonym with",
          "  printf %s <normalised value> | openssl dgst -sha256 -mac HMAC -macopt hexkey:<derived key>",
          "whose first <bits>/4 hex digits are the pseudonym."})
  static final class Verify implements Callable<Integer> {
    @Mixin KeyOptions keys;
    @Spec CommandSpec spec;
    @Option(names = "--type", required = true, description = "nhs_number, uprn, social_care_id or local_id.")
    String type;
    @Option(names = "--key", description = "Use this key id instead of the primary.") String keyId;
    @Option(names = "--bits", defaultValue = "128", description = "Pseudonym length in bits (default: ${DEFAULT-VALUE}).") int bits;
    @Option(names = "--unsafe-print-derived-key", description = "Print the derived HMAC key (refused unless the key set is a test key set).")
    boolean unsafe;

    @Override
    public Integer call() throws IOException {
      IdentifierType t = IdentifierType.fromWire(type);
      if (!t.direct()) {
        throw PseudonymiseErrors.mappingInvalid("'" + type + "' is not a pseudonymised identifier type",
            "use nhs_number, uprn, social_care_id or local_id");
      }
      KeySet ks = keys.load();
      if (unsafe && !ks.testOnly()) {
        throw PseudonymiseErrors.unsafePrintRefused();
      }
      Key k = keyId == null ? ks.primary() : ks.key(keyId);
      Pseudonymiser p = Pseudonymiser.of(k, t, bits);
      PrintWriter out = spec.commandLine().getOut();
      if (unsafe) {
        out.println("# UNSAFE (test key set): derived key for " + p.purpose() + " under key " + k.id() + ": "
            + HexFormat.of().formatHex(p.domainKey(SecretAccess.insecureSecretAccess())));
      }
      if (bits < 128) {
        out.println("# " + Pseudonymiser.collisionWarning(1_500_000, bits));
      }
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      int n = 0;
      while ((line = in.readLine()) != null) {
        n++;
        String normalised;
        String status;
        if (t == IdentifierType.NHS_NUMBER) {
          NhsNumber.Result r = NhsNumber.validate(line);
          normalised = r.normalised();
          status = r.status().wire();
        } else {
          normalised = switch (t) {
            case UPRN -> Normalise.uprn(line);
            case SOCIAL_CARE_ID -> Normalise.socialCareId(line);
            default -> Normalise.localId(line);
          };
          status = normalised == null ? "invalid" : "valid";
        }
        out.println(n + "\t" + status + "\t" + (normalised == null ? "-" : p.pseudonym(normalised)) + "\t" + k.id());
      }
      out.flush();
      return 0;
    }
  }
}
