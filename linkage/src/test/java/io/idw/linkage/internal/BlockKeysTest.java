package io.idw.linkage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlockKeysTest {
  @Test
  void symmetricConjunction() {
    BlockKeys k = BlockKeys.of("l.tok_dob = r.tok_dob and l.tok_pc_district = r.tok_pc_district");
    assertThat(k.left()).containsExactly("tok_dob", "tok_pc_district");
    assertThat(k.right()).containsExactly("tok_dob", "tok_pc_district");
    assertThat(k.symmetric()).isTrue();
  }

  @Test
  void asymmetricEqualitiesKeepTheirSides() {
    BlockKeys k = BlockKeys.of("l.tok_dob_swapped = r.tok_dob AND r.pc = l.pc");
    assertThat(k.left()).containsExactly("tok_dob_swapped", "pc");
    assertThat(k.right()).containsExactly("tok_dob", "pc");
    assertThat(k.symmetric()).isFalse();
    assertThat(k.columns()).containsExactly("tok_dob_swapped", "pc", "tok_dob");
  }

  @Test
  void anythingElseIsNotHashed() {
    for (String rule : List.of("l.a = r.a or l.b = r.b", "l.a = l.b and l.c = r.c", "l.a = r.a and l.b <> r.b",
        "substr(l.a, 1, 3) = substr(r.a, 1, 3)", "l.a = r.a and abs(l.y - r.y) < 2")) {
      assertThat(BlockKeys.of(rule)).as(rule).isNull();
    }
  }

  @Test
  void impliedKeysSkipOtherConjunctsButNotDisjunctions() {
    BlockKeys k = BlockKeys.implied("l.a = r.b and l.y <> r.y and r.c = l.c");
    assertThat(k.left()).containsExactly("a", "c");
    assertThat(k.right()).containsExactly("b", "c");
    assertThat(BlockKeys.of("l.a = r.b and l.y <> r.y and r.c = l.c")).isNull();
    for (String rule : List.of("l.a = r.a or l.b = r.b", "(l.a = r.a) and l.b = r.b", "abs(l.y - r.y) < 2")) {
      assertThat(BlockKeys.implied(rule)).as(rule).isNull();
    }
  }
}
