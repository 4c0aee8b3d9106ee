package dev.sluice.signin.verify;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;

/**
 * Checks an ID token from the IdP: a public-key signature by one of the IdP's published keys (never
 * {@code none} and never an HMAC, which would let anyone holding the client secret mint tokens), the
 * issuer, our client id in the audience, not expired, and the nonce this sign-in sent.
 */
public final class IdTokens {
    private static final Duration SKEW = Duration.ofSeconds(60);

    private final OidcClient oidc;
    private final Clock clock;

    public IdTokens(OidcClient oidc, Clock clock) {
        this.oidc = oidc;
        this.clock = clock;
    }

    /** The verified claims, or a failed future saying what was wrong. */
    public Future<JWTClaimsSet> verify(String idToken, String nonce) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(Objects.requireNonNull(idToken, "the IdP returned no id_token"));
        } catch (ParseException | NullPointerException e) {
            return Future.failedFuture(new IllegalStateException("the IdP's id_token is not a signed JWT"));
        }
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.Family.SIGNATURE.contains(header.getAlgorithm())) {
            return Future.failedFuture(new IllegalStateException("id_token algorithm " + header.getAlgorithm() + " is not accepted"));
        }
        return oidc.metadata().compose(m -> oidc.keys().key(header.getKeyID()).map(key -> {
            if (key == null) {
                throw new IllegalStateException("the IdP did not publish key " + header.getKeyID());
            }
            try {
                if (!jwt.verify(verifier(key))) {
                    throw new IllegalStateException("id_token signature does not verify");
                }
                return checkClaims(jwt.getJWTClaimsSet(), m.issuer(), nonce);
            } catch (JOSEException | ParseException e) {
                throw new IllegalStateException("id_token cannot be verified: " + e.getMessage());
            }
        }));
    }

    private JWTClaimsSet checkClaims(JWTClaimsSet c, String issuer, String nonce) throws ParseException {
        Instant now = clock.instant();
        Date exp = c.getExpirationTime();
        if (!issuer.equals(c.getIssuer())) {
            throw new IllegalStateException("id_token issuer " + c.getIssuer() + " is not " + issuer);
        }
        if (c.getAudience() == null || !c.getAudience().contains(oidc.config().clientId())) {
            throw new IllegalStateException("id_token is not meant for this gateway (audience " + c.getAudience() + ")");
        }
        if (exp == null || exp.toInstant().plus(SKEW).isBefore(now)) {
            throw new IllegalStateException("id_token has expired");
        }
        if (nonce != null && !nonce.equals(c.getStringClaim("nonce"))) {
            throw new IllegalStateException("id_token nonce does not match this sign-in");
        }
        return c;
    }

    private static JWSVerifier verifier(JWK key) throws JOSEException {
        return switch (key) {
            case RSAKey rsa -> new RSASSAVerifier(rsa);
            case ECKey ec -> new ECDSAVerifier(ec);
            case OctetKeyPair okp -> new Ed25519Verifier(okp);
            default -> throw new JOSEException("unsupported key type " + key.getKeyType());
        };
    }
}
