package io.idw.pseudonymise;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A managed set of master keys with one primary (Tink keyset style). New pseudonyms are made with
 * the primary; older keys stay so that data they made can still be re-keyed per project. Immutable:
 * {@link #rotate()} and {@link #withStatus} return new key sets. {@code toString} lists ids only.
 *
 * <p>A key set marked {@link #testOnly()} may have its derived keys printed for auditors; a
 * production key set never does.
 */
public final class KeySet implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<Key> keys;
  private final String primaryId;
  private final boolean testOnly;

  private KeySet(List<Key> keys, String primaryId, boolean testOnly) {
    if (keys == null || keys.isEmpty()) {
      throw PseudonymiseErrors.keySetInvalid("it has no keys");
    }
    Set<String> ids = new HashSet<>();
    for (Key k : keys) {
      if (!ids.add(k.id())) {
        throw PseudonymiseErrors.keySetInvalid("key id " + k.id() + " appears twice");
      }
    }
    Key p = keys.stream().filter(k -> k.id().equals(primaryId)).findFirst()
        .orElseThrow(() -> PseudonymiseErrors.keySetInvalid("primary key '" + primaryId + "' is not in the set"));
    if (p.status() != KeyStatus.ENABLED) {
      throw PseudonymiseErrors.keySetInvalid("primary key " + primaryId + " is " + p.status().name().toLowerCase());
    }
    this.keys = List.copyOf(keys);
    this.primaryId = primaryId;
    this.testOnly = testOnly;
  }

  /** A new key set with one fresh random primary key. */
  public static KeySet generate(boolean testOnly) {
    Key k = Key.generate();
    return new KeySet(List.of(k), k.id(), testOnly);
  }

  /** A key set from given keys (storage, tests). */
  public static KeySet of(List<Key> keys, String primaryId, boolean testOnly) {
    return new KeySet(keys, primaryId, testOnly);
  }

  public Key primary() {
    return key(primaryId);
  }

  public String primaryId() {
    return primaryId;
  }

  public boolean testOnly() {
    return testOnly;
  }

  public List<Key> keys() {
    return keys;
  }

  /** The key of that id; throws {@code pseudonymise.key.unknown} (a wrong key set) if absent. */
  public Key key(String id) {
    return find(id).orElseThrow(() -> PseudonymiseErrors.keyUnknown(id));
  }

  public Optional<Key> find(String id) {
    return keys.stream().filter(k -> k.id().equals(id)).findFirst();
  }

  /** Adds a fresh key and makes it the primary; the old keys stay enabled. */
  public KeySet rotate() {
    Key k = Key.generate();
    List<Key> next = new ArrayList<>(keys);
    next.add(k);
    return new KeySet(next, k.id(), testOnly);
  }

  /** Changes one key's status; the primary cannot be disabled or destroyed. */
  public KeySet withStatus(String keyId, KeyStatus status) {
    key(keyId);
    List<Key> next = keys.stream().map(k -> k.id().equals(keyId) ? k.withStatus(status) : k).toList();
    return new KeySet(next, primaryId, testOnly);
  }

  @Override
  public String toString() {
    return "KeySet(primary=" + primaryId + ", keys=" + keys.stream().map(k -> k.id() + ":"
        + k.status().name().toLowerCase()).collect(Collectors.joining(",")) + (testOnly ? ", test" : "") + ")";
  }
}
