package dev.sluice.signin.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SuccessorTest {
    @Test
    void onlyTheRotatedTokenOpensTheSeal() {
        String rotated = Secrets.random(32);
        String successor = Secrets.random(32);
        String sealed = Successor.seal(rotated, successor);
        assertThat(sealed).doesNotContain(successor);
        assertThat(Successor.open(rotated, sealed)).isEqualTo(successor);
        assertThat(Successor.open(Secrets.random(32), sealed)).as("another token").isNull();
        assertThat(Successor.seal(rotated, successor)).as("a fresh IV each time").isNotEqualTo(sealed);
    }

    @Test
    void aDamagedOrMissingSealIsNoSuccessor() {
        String rotated = Secrets.random(32);
        String sealed = Successor.seal(rotated, Secrets.random(32));
        char[] c = sealed.toCharArray();
        c[20] = c[20] == 'A' ? 'B' : 'A';
        assertThat(Successor.open(rotated, new String(c))).as("tampered").isNull();
        assertThat(Successor.open(rotated, "not base64 !")).isNull();
        assertThat(Successor.open(rotated, "")).isNull();
        assertThat(Successor.open(rotated, null)).isNull();
    }
}
