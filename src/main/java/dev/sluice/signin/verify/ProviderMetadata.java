package dev.sluice.signin.verify;

/**
 * The IdP's OpenID Connect discovery document, the parts sign-in uses.
 *
 * @param issuer                exactly as the IdP names itself (ID tokens must carry it)
 * @param authorizationEndpoint where the browser is sent
 * @param tokenEndpoint         where the code is exchanged
 * @param userinfoEndpoint      where missing claims are read from, or null
 * @param jwksUri               the IdP's signing keys
 */
public record ProviderMetadata(String issuer, String authorizationEndpoint, String tokenEndpoint, String userinfoEndpoint,
                               String jwksUri) {
}
