package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.wire.ApiError;
import org.junit.jupiter.api.Test;

class CredentialGuessesTest {
    @Test
    void anAddressGetsItsBurstThenIsRefusedUntilItsAllowanceRefills() {
        CredentialGuesses g = new CredentialGuesses();
        for (int i = 0; i < CredentialGuesses.BURST; i++) {
            g.admit("10.0.0.1");
            g.wrong("10.0.0.1");
        }
        assertThatThrownBy(() -> g.admit("10.0.0.1")).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.headers()).containsKey("retry-after");
        });
        g.admit("10.0.0.2");
        assertThat(g.wrongTotal()).isEqualTo(CredentialGuesses.BURST);
        assertThat(g.refusedTotal()).isEqualTo(1);
    }

    @Test
    void anAddressNeverWrongIsNeverRefused() {
        CredentialGuesses g = new CredentialGuesses();
        for (int i = 0; i < 1000; i++) {
            g.admit("10.0.0.3");
        }
        assertThat(g.refusedTotal()).isZero();
    }
}
