package dev.sluice.provider.bedrock;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SigV4 request signing (service {@code bedrock}), header form, payload signed. The crypto is the JDK's
 * ({@code SHA-256}, {@code HmacSHA256}); this class only builds the canonical request, the string to sign and the
 * key-derivation chain of the SigV4 specification, and {@code SigV4Test} holds it to the AWS SDK's own signer
 * ({@code AwsV4HttpSigner}, which it replaced on the hot path), byte for byte, while the simulated Bedrock checks
 * every signature with a third, independent implementation ({@code dev.sluice.sim.SigV4Verifier}).
 *
 * <p>Why not the SDK signer: signing needs the SHA-256 of the whole body, and for Claude Code's 60 KB requests that
 * hash is most of the cost. The SDK reads the body through an {@code InputStream} (one more copy, chunk by chunk),
 * takes a fresh digest per request and re-derives the signing key (four HMACs) every time. Here the body is hashed
 * once, where it lies (a heap buffer's array, or each of a composite buffer's parts, never copied), with a digest
 * kept per thread, and the signing key is kept per thread for its day, region and secret.
 *
 * <p>The payload hash is always the body's SHA-256: {@code UNSIGNED-PAYLOAD} is documented for Amazon S3 only, so
 * Bedrock gets what the AWS SDKs send it. Like the SDK, the path is encoded once more for the canonical request (as
 * AWS services other than S3 expect), so a model id's {@code %3A} is signed as {@code %253A}; every header passed in
 * is signed, with {@code host}, {@code x-amz-date}, {@code x-amz-content-sha256} and, for temporary credentials,
 * {@code x-amz-security-token}.
 */
public final class SigV4 {
    public static final String SERVICE = "bedrock";
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<Crypto> CRYPTO = ThreadLocal.withInitial(Crypto::new);

    private final BedrockAuth.SigV4 keys;
    private final String region;
    private final Clock clock;

    public SigV4(BedrockAuth.SigV4 keys, String region, Clock clock) {
        this.keys = keys;
        this.region = region;
        this.clock = clock;
    }

    /**
     * The headers signing adds: {@code Host}, {@code X-Amz-Date}, {@code x-amz-content-sha256},
     * {@code X-Amz-Security-Token} for temporary credentials, and {@code Authorization}.
     *
     * @param base         the upstream's base URL (scheme, host, port)
     * @param encodedPath  the path exactly as it will be sent (percent-encoded)
     * @param headers      the headers that will be sent besides the signature's (all are signed)
     */
    public Map<String, List<String>> sign(String method, URI base, String encodedPath, Map<String, String> headers,
                                          byte[] body) {
        Crypto crypto = CRYPTO.get();
        MessageDigest sha = crypto.sha256;
        if (body != null) {
            sha.update(body);
        }
        return sign(crypto, method, base, encodedPath, headers, HEX.formatHex(sha.digest()));
    }

    /** The same for a body that is to be sent as a Vert.x buffer, hashed where it lies (never copied). */
    public Map<String, List<String>> sign(String method, URI base, String encodedPath, Map<String, String> headers,
                                          Buffer body) {
        Crypto crypto = CRYPTO.get();
        MessageDigest sha = crypto.sha256;
        if (body != null) {
            ByteBuf buf = ((BufferInternal) body).getByteBuf();
            if (buf.hasArray()) {
                sha.update(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
            } else {
                for (ByteBuffer part : buf.nioBuffers(buf.readerIndex(), buf.readableBytes())) {
                    sha.update(part);
                }
            }
        }
        return sign(crypto, method, base, encodedPath, headers, HEX.formatHex(sha.digest()));
    }

    private Map<String, List<String>> sign(Crypto crypto, String method, URI base, String encodedPath,
                                           Map<String, String> headers, String payloadHash) {
        String amzDate = AMZ_DATE.format(clock.instant());
        String date = amzDate.substring(0, 8);
        String token = keys.sessionToken() == null || keys.sessionToken().isBlank() ? null : keys.sessionToken();
        String host = host(base);

        TreeMap<String, String> signed = new TreeMap<>();
        headers.forEach((name, value) -> signed.merge(name.toLowerCase(Locale.ROOT), trimAll(value), (a, b) -> a + "," + b));
        signed.put("host", host);
        signed.put("x-amz-date", amzDate);
        signed.put("x-amz-content-sha256", payloadHash);
        if (token != null) {
            signed.put("x-amz-security-token", token);
        }
        StringBuilder canonical = new StringBuilder(256 + encodedPath.length())
                .append(method).append('\n');
        canonicalUri(canonical, encodedPath);
        canonical.append('\n').append('\n'); // no query string
        StringBuilder names = new StringBuilder(96);
        signed.forEach((name, value) -> {
            canonical.append(name).append(':').append(value).append('\n');
            names.append(names.isEmpty() ? "" : ";").append(name);
        });
        canonical.append('\n').append(names).append('\n').append(payloadHash);

        String scope = date + "/" + region + "/" + SERVICE + "/aws4_request";
        MessageDigest sha = crypto.sha256;
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + HEX.formatHex(sha.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        String signature = HEX.formatHex(crypto.hmac(crypto.signingKey(keys.secretAccessKey(), date, region),
                stringToSign.getBytes(StandardCharsets.UTF_8)));

        Map<String, List<String>> out = new LinkedHashMap<>(8);
        out.put("Host", List.of(host));
        out.put("X-Amz-Date", List.of(amzDate));
        out.put("x-amz-content-sha256", List.of(payloadHash));
        if (token != null) {
            out.put("X-Amz-Security-Token", List.of(token));
        }
        out.put("Authorization", List.of(ALGORITHM + " Credential=" + keys.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + names + ", Signature=" + signature));
        return out;
    }

    /** The host header: the port only when it is not the scheme's default. */
    static String host(URI base) {
        int port = base.getPort();
        boolean defaultPort = port < 0 || (port == 443 && "https".equalsIgnoreCase(base.getScheme()))
                || (port == 80 && "http".equalsIgnoreCase(base.getScheme()));
        return defaultPort ? base.getHost() : base.getHost() + ":" + port;
    }

    /** The path encoded once more, slashes kept: every byte outside RFC 3986's unreserved set becomes {@code %XX}. */
    static void canonicalUri(StringBuilder out, String encodedPath) {
        if (encodedPath.isEmpty()) {
            out.append('/');
            return;
        }
        byte[] bytes = encodedPath.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
    }

    /** A header value as SigV4 canonicalises it: trimmed, every run of spaces one space. */
    static String trimAll(String value) {
        String v = value.strip();
        if (v.indexOf("  ") < 0) {
            return v;
        }
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != ' ' || sb.charAt(sb.length() - 1) != ' ') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * One thread's digest, HMAC and last signing key: the key depends only on the secret, the day, the region and the
     * service, so a gateway signing for one account derives it once a day instead of four HMACs a request.
     */
    private static final class Crypto {
        final MessageDigest sha256;
        final Mac mac;
        String keySecret;
        String keyDate;
        String keyRegion;
        byte[] key;

        Crypto() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
                mac = Mac.getInstance("HmacSHA256");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-256 and HmacSHA256 are required of every JDK", e);
            }
        }

        byte[] signingKey(String secret, String date, String region) {
            if (key == null || !date.equals(keyDate) || !region.equals(keyRegion) || !secret.equals(keySecret)) {
                byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date.getBytes(StandardCharsets.UTF_8));
                k = hmac(k, region.getBytes(StandardCharsets.UTF_8));
                k = hmac(k, SERVICE.getBytes(StandardCharsets.UTF_8));
                key = hmac(k, "aws4_request".getBytes(StandardCharsets.UTF_8));
                keySecret = secret;
                keyDate = date;
                keyRegion = region;
            }
            return key;
        }

        byte[] hmac(byte[] key, byte[] data) {
            try {
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 refused a key", e);
            }
            return mac.doFinal(data);
        }
    }
}
