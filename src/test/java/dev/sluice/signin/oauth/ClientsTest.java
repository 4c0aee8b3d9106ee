package dev.sluice.signin.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Unauthenticated sign-in calls are limited per peer; an IPv6 peer is its /64, which one host routinely holds. */
class ClientsTest {
    @Test
    void oneHostRotatingThroughItsSlash64SharesOneBucket() {
        RateLimiter limiter = new RateLimiter(1, 2, 100_000);
        assertThat(limiter.tryAcquire(Clients.limitKey("2001:db8:1:2::1"))).isTrue();
        assertThat(limiter.tryAcquire(Clients.limitKey("2001:db8:1:2:aaaa::7"))).isTrue();
        assertThat(limiter.tryAcquire(Clients.limitKey("2001:db8:1:2:ffff:ffff:ffff:ffff"))).isFalse();
        // another /64, and IPv4 peers, count apart
        assertThat(limiter.tryAcquire(Clients.limitKey("2001:db8:1:3::1"))).isTrue();
        assertThat(Clients.limitKey("192.0.2.7")).isEqualTo("192.0.2.7");
    }
}
