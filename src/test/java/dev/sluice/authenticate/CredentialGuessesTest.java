package dev.sluice.authenticate;

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

    /** Old code counted each IPv6 address apart: a host with a /64 had a fresh burst at every one of its addresses. */
    @Test
    void theAddressesOfOneIpv6SlashSixtyFourShareOneAllowance() {
        CredentialGuesses g = new CredentialGuesses();
        for (int i = 0; i < CredentialGuesses.BURST; i++) {
            String a = CredentialGuesses.counted("2001:db8:1:2::" + Integer.toHexString(i + 1));
            g.admit(a);
            g.wrong(a);
        }
        assertThatThrownBy(() -> g.admit(CredentialGuesses.counted("2001:db8:1:2:ffff:ffff:ffff:ffff")))
                .isInstanceOf(ApiError.class);
        g.admit(CredentialGuesses.counted("2001:db8:1:3::1")); // the next /64 is another host
        assertThat(CredentialGuesses.counted("2001:0db8:0001:0002:0:0:0:9")).isEqualTo(CredentialGuesses.counted("2001:db8:1:2::1"));
    }

    @Test
    void anIpv4AddressIsCountedAsItselfMappedOrNot() {
        assertThat(CredentialGuesses.counted("10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(CredentialGuesses.counted("::ffff:10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(CredentialGuesses.counted("?")).isEqualTo("?");
    }
}
