package dev.sluice.signin.tls;

import dev.sluice.config.ServerConfig;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures the front's {@link HttpServerOptions} for TLS, which Claude Code requires to sign in
 * (plain HTTP only on loopback): the operator's PEM chain and key, or, for a local trial, a
 * self-signed certificate made at start. HTTP/2 is offered by ALPN beside HTTP/1.1.
 *
 * <p>The front runs one server per event loop, and every one must present the same certificate (the
 * CLI pins the leaf's SHA-256 fingerprint), so what a {@code server.tls} section resolves to is made
 * once per process and shared ({@link #resolve}); the fingerprint is logged then, once.
 */
public final class TlsSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TlsSetup.class);
    private static final Map<ServerConfig.Tls, Applied> RESOLVED = new ConcurrentHashMap<>();

    private TlsSetup() {
    }

    /** What was configured: the PEM files served and the leaf's fingerprint. */
    public record Applied(String certificateFile, String keyFile, String fingerprint, boolean selfSigned) {
        /** A line for the start-up log. */
        public String describe() {
            return (selfSigned ? "TLS with a self-signed certificate (local trial only)" : "TLS with " + certificateFile)
                    + "; SHA-256 fingerprint " + fingerprint + " (Claude Code shows it on first /login: compare them)";
        }
    }

    /** Turns TLS (and HTTP/2 by ALPN) on in {@code options}; null, options untouched, when the section asks for none. */
    public static Applied apply(HttpServerOptions options, ServerConfig.Tls tls) {
        Applied a = resolve(tls);
        if (a == null) {
            return null;
        }
        options.setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(a.certificateFile()).setKeyPath(a.keyFile()))
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
        return a;
    }

    /** The certificate a TLS section stands for, made or read once per process; null when TLS is off. */
    public static Applied resolve(ServerConfig.Tls tls) {
        if (tls == null || !tls.enabled()) {
            return null;
        }
        return RESOLVED.computeIfAbsent(tls, t -> {
            Applied a = make(t);
            LOG.info("{}", a.describe());
            return a;
        });
    }

    private static Applied make(ServerConfig.Tls tls) {
        if (tls.certFile() != null) {
            for (String f : List.of(tls.certFile(), tls.keyFile())) {
                if (!Files.isReadable(Path.of(f))) {
                    throw new IllegalArgumentException("server.tls: cannot read " + f + " (expected: a readable PEM file)");
                }
            }
            return new Applied(tls.certFile(), tls.keyFile(), fingerprint(Path.of(tls.certFile())), false);
        }
        SelfSignedCertificate made = SelfSignedCertificate.create(tls.selfSignedHost());
        return new Applied(made.certificatePath(), made.privateKeyPath(), fingerprint(Path.of(made.certificatePath())), true);
    }

    /** The SHA-256 fingerprint of the first (leaf) certificate in a PEM file, as {@code AB:CD:…}. */
    public static String fingerprint(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return fingerprint(leaf);
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("server.tls: cannot read a certificate from " + pem + " (" + e.getMessage()
                    + "; expected: a PEM file starting with the server's own certificate)");
        }
    }

    public static String fingerprint(X509Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").formatHex(d).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint the certificate", e);
        }
    }
}
