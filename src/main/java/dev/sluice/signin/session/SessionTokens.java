package dev.sluice.signin.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Session tokens: HS256 JWTs naming the developer ({@code sub}, {@code email}, {@code groups},
 * {@code team}) and the session ({@code sid}). The CLI reads {@code exp}, {@code sub} and
 * {@code billing_group_tag} without verifying; the gateway verifies the signature, issuer, audience
 * and expiry, then looks the session up, so revocation needs no token blacklist.
 */
public final class SessionTokens {
    /** Audience of every session token; tokens meant for anything else are refused. */
    public static final String AUDIENCE = "sluice-gateway";
    /** Longer than any token this class issues; anything longer is refused before parsing. */
    static final int MAX_LENGTH = 8192;
    /**
     * Past this length a token carries only the groups policy names: an IdP may list 100 groups of 256
     * characters, which would make a token the gateway itself refuses (signed in, then 401 on every
     * request). The session row keeps every group; the token's groups are read only while a replica has
     * not read the session yet.
     */
    static final int GROUPS_BUDGET = 6144;

    private final SigningKeys keys;
    private final Clock clock;
    private final String issuer;
    private final Duration lifetime;
    private final String billingGroupTag;
    private final Predicate<String> policyGroup;
    /**
     * Tokens already verified, with their session id and expiry: a repeat presentation costs a hash
     * lookup instead of a parse and an HMAC (the difference between ~1 µs and ~12 µs per request).
     * Only verified tokens enter; expiry is still checked on every hit, and revocation is checked by
     * the caller on every request, so the cache never extends what a token may do. Bounded.
     */
    private final Cache<String, Verified> verified = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(java.time.Duration.ofMinutes(30)).executor(Runnable::run).build();

    public SessionTokens(SigningKeys keys, Clock clock, String issuer, Duration lifetime, String billingGroupTag) {
        this(keys, clock, issuer, lifetime, billingGroupTag, g -> false);
    }

    /** {@code policyGroup}: the groups the configuration names (model policy, allowed groups, team and settings rules). */
    public SessionTokens(SigningKeys keys, Clock clock, String issuer, Duration lifetime, String billingGroupTag,
                         Predicate<String> policyGroup) {
        this.policyGroup = policyGroup;
        this.keys = keys;
        this.clock = clock;
        this.issuer = issuer;
        this.lifetime = lifetime;
        this.billingGroupTag = billingGroupTag;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /**
     * A signed token for the session, valid for the configured lifetime from now, never longer than the
     * gateway accepts: with too many or too long groups it carries those policy names, as many as fit.
     */
    public String issue(Session s) {
        List<String> groups = s.user().groups();
        String token = issue(s, groups);
        if (token.length() <= GROUPS_BUDGET) {
            return token;
        }
        List<String> kept = new java.util.ArrayList<>(groups.stream().filter(policyGroup).toList());
        token = issue(s, kept);
        while (token.length() > MAX_LENGTH && !kept.isEmpty()) {
            kept.removeLast();
            token = issue(s, kept);
        }
        return token;
    }

    private String issue(Session s, List<String> groups) {
        Instant now = clock.instant();
        SigningKeys.Key key = keys.current();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject(s.user().userId())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(Secrets.random(12))
                .claim("sid", s.sid())
                .claim("email", s.user().email())
                .claim("groups", groups)
                .claim("team", s.user().teamId())
                .claim("org", s.user().orgId());
        if (!s.user().tags().isEmpty()) {
            // With team and org, lets a replica that has not read the session yet place the developer (see SessionResolver).
            claims.claim("tags", s.user().tags());
        }
        if (billingGroupTag != null) {
            // Only because the gateway removes request tags before upstreams that reject them (see billing).
            claims.claim("billing_group_tag", billingGroupTag);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.kid())
                .type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing with an HMAC key cannot fail", e);
        }
        return jwt.serialize();
    }

    /** The session id of a valid token (signature, issuer, audience, not expired), else null. */
    public String verify(String token) {
        Verified v = verified(token);
        return v == null ? null : v.sid;
    }

    /** What a valid token says (signature, issuer, audience, not expired), else null. */
    public Verified verified(String token) {
        if (!plausible(token)) {
            return null;
        }
        Verified hit = verified.getIfPresent(token);
        if (hit != null) {
            return hit.expiresMillis > clock.millis() ? hit : null;
        }
        Verified v = check(token);
        if (v != null) {
            verified.put(token, v);
        }
        return v;
    }

    private Verified check(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                return null; // never let the token choose "none" or another algorithm
            }
            MACVerifier verifier = keys.verifier(jwt.getHeader().getKeyID());
            if (verifier == null || !jwt.verify(verifier)) {
                return null;
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Date exp = c.getExpirationTime();
            List<String> aud = c.getAudience();
            if (exp == null || exp.toInstant().compareTo(clock.instant()) <= 0 || !issuer.equals(c.getIssuer())
                    || aud == null || !aud.contains(AUDIENCE)) {
                return null;
            }
            String sid = c.getStringClaim("sid");
            Date iat = c.getIssueTime();
            if (sid == null || iat == null || !withinLifetime(iat.getTime(), exp.getTime(), c.getNotBeforeTime())) {
                return null;
            }
            return new Verified(sid, exp.getTime(), iat.getTime(), claimed(c));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return null; // whatever is wrong with it, it is not one of ours
        }
    }

    /**
     * Times no token of ours can carry (only someone holding a signing key could sign them): issued in the
     * future beyond the replicas' clock skew, valid longer than the configured lifetime, or not yet valid.
     */
    private boolean withinLifetime(long iatMs, long expMs, Date nbf) {
        long now = clock.millis();
        return iatMs <= now + SessionStore.SKEW_MS && expMs - iatMs <= lifetime.toMillis() + SessionStore.SKEW_MS
                && (nbf == null || nbf.getTime() <= now + SessionStore.SKEW_MS);
    }

    /** The developer as the token's claims describe them, or null when a claim is missing (an older token). */
    private static SignedInUser claimed(JWTClaimsSet c) throws ParseException {
        String team = c.getStringClaim("team");
        String org = c.getStringClaim("org");
        String email = c.getStringClaim("email");
        List<String> groups = c.getStringListClaim("groups");
        if (c.getSubject() == null || team == null || org == null || email == null) {
            return null;
        }
        Map<String, String> tags = new TreeMap<>();
        Map<String, Object> raw = c.getJSONObjectClaim("tags");
        if (raw != null) {
            raw.forEach((k, v) -> tags.put(k, String.valueOf(v)));
        }
        return new SignedInUser(c.getSubject(), email, groups == null ? List.of() : groups, team, org, tags);
    }

    /**
     * A verified token: its session, expiry and issue time (ms), and the developer its claims name
     * (used only while the session is too new to be in this replica's mirror).
     */
    public record Verified(String sid, long expiresMillis, long issuedAtMillis, SignedInUser claimed) {
    }

    /** Three base64url parts separated by dots, bounded: cheap to reject API keys and junk before parsing. */
    static boolean plausible(String token) {
        if (token == null || token.length() < 20 || token.length() > MAX_LENGTH || !token.startsWith("eyJ")) {
            return false;
        }
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            char ch = token.charAt(i);
            if (ch == '.') {
                dots++;
            } else if (!(ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_')) {
                return false;
            }
        }
        return dots == 2;
    }
}
