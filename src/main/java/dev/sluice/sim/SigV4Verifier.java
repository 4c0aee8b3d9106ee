package dev.sluice.sim;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 the way an AWS service does, for the simulated Bedrock. Written from
 * the SigV4 specification on purpose, independently of the AWS SDK signer the gateway uses: a request is
 * accepted only if two separate implementations agree on what was signed (and this one is pinned to the
 * public SigV4 test-suite vectors in its tests).
 *
 * <p>Steps: parse {@code Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
 * SignedHeaders=a;b, Signature=hex}; rebuild the canonical request from what arrived on the wire (path
 * encoded once more, as services other than S3 expect; query sorted; signed headers lower-cased and
 * trimmed; SHA-256 of the body); derive the signing key by the HMAC chain; compare in constant time.
 */
public final class SigV4Verifier {
    /** AWS refuses signatures more than 5 minutes off its clock ("Signature expired"). */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** Why a request was refused, in the terms AWS uses ({@code x-amzn-ErrorType} and message). */
    public record Failure(String errorType, String message) {
    }

    private SigV4Verifier() {
    }

    /**
     * @param headers  the request headers as received (any case)
     * @param secrets  secret access key per access key id; null for an unknown key
     * @return null when the signature is valid, else why not
     */
    public static Failure verify(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
                                 byte[] body, String service, Function<String, String> secrets, Instant now) {
        String authorization = header(headers, "authorization");
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            return new Failure("MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        Map<String, String> parts = authParts(authorization.substring(17));
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            return new Failure("IncompleteSignatureException", "Authorization header requires Credential, SignedHeaders and Signature.");
        }
        String[] scope = credential.split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            return new Failure("IncompleteSignatureException", "Credential is malformed: " + credential);
        }
        String secret = secrets.apply(scope[0]);
        if (secret == null) {
            return new Failure("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        if (!scope[3].equals(service)) {
            return new Failure("InvalidSignatureException", "Credential should be scoped to correct service: '" + service + "'.");
        }
        String amzDate = header(headers, "x-amz-date");
        Failure timing = checkDate(amzDate, scope[1], now);
        if (timing != null) {
            return timing;
        }
        List<String> signed = List.of(signedHeaders.split(";"));
        if (!signed.contains("host") || !signed.contains("x-amz-date")) {
            return new Failure("InvalidSignatureException", "SignedHeaders must include host and x-amz-date.");
        }
        String payloadHash = sha256Hex(body);
        String declared = header(headers, "x-amz-content-sha256");
        if (declared != null && !declared.equals(payloadHash)) {
            return new Failure("InvalidSignatureException", "The provided x-amz-content-sha256 header does not match the body.");
        }
        String canonical = method + "\n" + canonicalUri(rawPath) + "\n" + canonicalQuery(rawQuery) + "\n"
                + canonicalHeaders(headers, signed) + "\n" + signedHeaders + "\n" + payloadHash;
        String scopeText = scope[1] + "/" + scope[2] + "/" + scope[3] + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scopeText + "\n" + sha256Hex(canonical.getBytes(UTF_8));
        byte[] key = signingKey(secret, scope[1], scope[2], scope[3]);
        String expected = HexFormat.of().formatHex(hmac(key, toSign));
        if (!MessageDigest.isEqual(expected.getBytes(UTF_8), signature.getBytes(UTF_8))) {
            return new Failure("InvalidSignatureException", "The request signature we calculated does not match the"
                    + " signature you provided. Check your AWS Secret Access Key and signing method.");
        }
        return null;
    }

    /** The access key id named in an Authorization header, or null. */
    public static String accessKeyId(String authorization) {
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            return null;
        }
        String credential = authParts(authorization.substring(17)).get("Credential");
        return credential == null ? null : credential.split("/")[0];
    }

    private static Failure checkDate(String amzDate, String scopeDate, Instant now) {
        if (amzDate == null) {
            return new Failure("IncompleteSignatureException", "X-Amz-Date header is required.");
        }
        Instant at;
        try {
            at = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            return new Failure("IncompleteSignatureException", "X-Amz-Date is malformed: " + amzDate);
        }
        if (!amzDate.startsWith(scopeDate)) {
            return new Failure("InvalidSignatureException", "Credential date does not match X-Amz-Date.");
        }
        if (Duration.between(at, now).abs().compareTo(MAX_SKEW) > 0) {
            return new Failure("InvalidSignatureException", "Signature expired: " + amzDate + " is now earlier or later"
                    + " than the 5 minutes allowed.");
        }
        return null;
    }

    static Map<String, String> authParts(String rest) {
        Map<String, String> parts = new TreeMap<>();
        for (String part : rest.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        return parts;
    }

    /** Each byte of the path as received, outside the unreserved set and '/', percent-encoded (once more). */
    static String canonicalUri(String rawPath) {
        return rawPath == null || rawPath.isEmpty() ? "/" : encode(rawPath, true);
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            pairs.add(new String[] {encode(decode(name), false), encode(decode(value), false)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : pairs) {
            sb.append(sb.isEmpty() ? "" : "&").append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    private static String canonicalHeaders(List<Map.Entry<String, String>> headers, List<String> signed) {
        TreeMap<String, List<String>> byName = new TreeMap<>();
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (signed.contains(name)) {
                byName.computeIfAbsent(name, k -> new ArrayList<>()).add(h.getValue().strip().replaceAll(" +", " "));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String name : signed) {
            List<String> values = byName.get(name);
            sb.append(name).append(':').append(values == null ? "" : String.join(",", values)).append('\n');
        }
        return sb.toString();
    }

    private static String encode(String s, boolean keepSlash) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        return sb.toString();
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), UTF_8);
    }

    private static String header(List<Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    private static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] k = hmac(("AWS4" + secret).getBytes(UTF_8), date);
        k = hmac(k, region);
        k = hmac(k, service);
        return hmac(k, "aws4_request");
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM provides HmacSHA256", e);
        }
    }

    private static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}
