package dev.sluice.signin.tls;

import dev.sluice.config.SigninConfig;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Configures the front's {@link HttpServerOptions} for TLS, which Claude Code requires to sign in
 * (plain HTTP only on loopback). With the operator's PEM chain and key, or, for a local trial, a
 * self-signed certificate made at start. Either way the leaf's SHA-256 fingerprint is returned for
 * printing: the CLI shows it on first contact and pins it, so the developer compares the two.
 */
public final class TlsSetup {
    private TlsSetup() {
    }

    /** What was configured. */
    public record Applied(String certificateFile, String fingerprint, boolean selfSigned) {
        /** A line for the start-up log. */
        public String describe() {
            return (selfSigned ? "TLS with a self-signed certificate (local trial only)" : "TLS with " + certificateFile)
                    + "; SHA-256 fingerprint " + fingerprint;
        }
    }

    /** Turns TLS on in {@code options}; null (and options untouched) when the section asks for none. */
    public static Applied apply(HttpServerOptions options, SigninConfig.Tls tls) {
        if (!tls.enabled()) {
            return null;
        }
        String cert;
        String key;
        if (tls.certFile() != null) {
            cert = tls.certFile();
            key = tls.keyFile();
        } else {
            SelfSignedCertificate made = SelfSignedCertificate.create(tls.selfSignedHost());
            cert = made.certificatePath();
            key = made.privateKeyPath();
        }
        options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert).setKeyPath(key));
        return new Applied(cert, fingerprint(Path.of(cert)), tls.certFile() == null);
    }

    /** The SHA-256 fingerprint of the first (leaf) certificate in a PEM file, as {@code AB:CD:…}. */
    public static String fingerprint(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return fingerprint(leaf);
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("signin.tls: cannot read a certificate from " + pem + " (" + e.getMessage()
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
