package dev.sluice.sim;

import io.vertx.core.buffer.Buffer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A Google OAuth2 token endpoint ({@code POST /token}) for service-account JWT-bearer grants: a gateway's
 * credentials file with {@code token_uri} pointing here gets {@code ya29.sim-...} tokens that the Vertex routes
 * accept. The assertion's form and claims are checked (RS256 JWT, cloud-platform scope, not expired); its
 * signature is not, since the simulator does not hold the account's public key.
 */
final class GoogleTokenSim {
    private GoogleTokenSim() {
    }

    static void issue(SimExchange exchange) {
        String form = new String(exchange.body(), StandardCharsets.UTF_8);
        String grant = null;
        String assertion = null;
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.equals("grant_type")) {
                grant = value;
            } else if (name.equals("assertion")) {
                assertion = value;
            }
        }
        String problem = check(grant, assertion);
        if (problem != null) {
            exchange.response().setStatusCode(400).putHeader("content-type", "application/json")
                    .end(Buffer.buffer("{\"error\":\"invalid_grant\",\"error_description\":\"" + problem + "\"}"));
            return;
        }
        exchange.response().setStatusCode(200).putHeader("content-type", "application/json")
                .end(Buffer.buffer("{\"access_token\":\"" + exchange.sim().providers().issueToken()
                        + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}"));
    }

    private static String check(String grant, String assertion) {
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(grant) || assertion == null) {
            return "Unsupported grant type";
        }
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            return "Invalid JWT";
        }
        try {
            var header = SimJson.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
            var claims = SimJson.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!header.path("alg").asText().equals("RS256")) {
                return "Invalid JWT signature algorithm";
            }
            if (!claims.path("scope").asText().contains("cloud-platform") || !claims.path("iss").isTextual()) {
                return "Invalid JWT claims";
            }
            if (claims.path("exp").asLong() < System.currentTimeMillis() / 1000) {
                return "Invalid JWT: token must be a short-lived token and in a reasonable timeframe";
            }
        } catch (IllegalArgumentException | java.io.IOException e) {
            return "Invalid JWT";
        }
        return null;
    }
}
