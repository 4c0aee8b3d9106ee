package dev.sluice.authenticate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.wire.ApiError;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wrong admin credentials, counted per client address (the TCP peer: forwarding headers are the caller's to
 * forge). Admin keys are chosen by operators, not generated, so some are guessable; without a bound an outsider
 * could try them as fast as the connection cap allows. Each address may get {@link #BURST} wrong in a row, then
 * one more every {@code 60 / }{@link #PER_MINUTE} seconds; past that it is refused with a 429 <em>before</em> its
 * credential is compared, since answering a right key differently would tell a guesser when they had found it.
 * A right key costs nothing. One table for the admin API and the dashboard's sign-in, bounded in addresses.
 *
 * <p>The price: operators behind one proxy share an address, so a guesser there slows them too (for seconds at a
 * time, not a lockout). A separate admin listener ({@code admin.listen}) keeps the admin surface off the API's
 * network.
 */
public final class CredentialGuesses {
    public static final int BURST = 20;
    public static final int PER_MINUTE = 10;
    private static final int MAX_ADDRESSES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(CredentialGuesses.class);

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(MAX_ADDRESSES)
            .expireAfterAccess(Duration.ofMinutes(10)).executor(Runnable::run).build();
    private final LongAdder wrong = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /** Throws a 429 when {@code address} has used up its wrong guesses; call before comparing the credential. */
    public void admit(String address) {
        Bucket b = buckets.getIfPresent(address);
        if (b != null && !b.hasGuess(System.nanoTime())) {
            refused.increment();
            long wait = 60 / PER_MINUTE;
            throw new ApiError(429, "rate_limit_error", "too many wrong admin credentials from this address; try again in "
                    + wait + " s", true, Map.of("retry-after", Long.toString(wait)));
        }
    }

    /** Counts a wrong credential from {@code address}; the first one that empties its allowance is logged. */
    public void wrong(String address) {
        wrong.increment();
        Bucket b = buckets.get(address, a -> new Bucket());
        if (b.spend(System.nanoTime())) {
            LOG.warn("admin credentials: {} wrong in a row from {}; it may now try once every {} s", BURST, address,
                    60 / PER_MINUTE);
        }
    }

    /** The address guesses are counted against: the TCP peer ({@link #counted}). */
    public static String address(HttpServerRequest req) {
        SocketAddress a = req.remoteAddress();
        return a == null ? "?" : counted(a.hostAddress());
    }

    /**
     * The key a peer's guesses are counted under: an IPv4 address as it is, an IPv6 address by its /64. One host is
     * routinely given a whole /64 (SLAAC, privacy addresses, a VPS's allocation), so counting each of its 2^64
     * addresses apart would give it a fresh allowance per address; an IPv4-mapped IPv6 address counts as its IPv4.
     */
    public static String counted(String host) {
        InetAddress ip;
        try {
            ip = InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException notALiteral) {
            return host;
        }
        if (!(ip instanceof Inet6Address)) {
            return ip.getHostAddress();
        }
        byte[] b = ip.getAddress();
        StringBuilder sb = new StringBuilder(24);
        for (int i = 0; i < 8; i += 2) {
            sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
        }
        return sb.append(":/64").toString();
    }

    /** Wrong credentials presented since start. */
    public long wrongTotal() {
        return wrong.sum();
    }

    /** Attempts refused unchecked because their address had no guesses left. */
    public long refusedTotal() {
        return refused.sum();
    }

    /** A token bucket of guesses: full at {@link #BURST}, refilled at {@link #PER_MINUTE}. */
    private static final class Bucket {
        private double tokens = BURST;
        private long last = System.nanoTime();
        private boolean emptied;

        synchronized boolean hasGuess(long now) {
            refill(now);
            return tokens >= 1;
        }

        /** Takes one guess; true only when this emptied a bucket that was not already empty (log once per run). */
        synchronized boolean spend(long now) {
            refill(now);
            tokens = Math.max(0, tokens - 1);
            boolean first = tokens < 1 && !emptied;
            emptied = tokens < 1;
            return first;
        }

        private void refill(long now) {
            tokens = Math.min(BURST, tokens + (now - last) / 60e9 * PER_MINUTE);
            last = now;
            if (tokens >= BURST) {
                emptied = false;
            }
        }
    }
}
