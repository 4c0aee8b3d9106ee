package dev.sluice.upstream;

import dev.sluice.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;

/**
 * An upstream's own certificate authorities ({@code ca-file}), read and checked when a configuration is applied, so a
 * missing or unreadable file is refused with its reason (a reload keeps the running snapshot) instead of failing
 * every request later. The PEM text itself is part of the connection pool's identity: a reload after the file changed
 * opens new connections that trust the new authorities.
 */
final class TrustedAuthorities {
    /** A bundle of a few hundred authorities is under a megabyte. */
    private static final long MAX_BYTES = 1024 * 1024;

    private TrustedAuthorities() {
    }

    /** The file's PEM text, or null when {@code caFile} is not set. */
    static String read(String upstream, String caFile, boolean ssl) {
        if (caFile == null || caFile.isBlank()) {
            return null;
        }
        String where = "upstream '" + upstream + "': ca-file '" + caFile + "'";
        if (!ssl) {
            throw new ConfigException(where + " is set but base-url is not https (expected: an https base-url, or no ca-file)");
        }
        byte[] pem;
        try {
            Path file = Path.of(caFile);
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(where + " is over " + MAX_BYTES + " bytes (expected: a PEM bundle of certificates)");
            }
            pem = Files.readAllBytes(file);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new ConfigException(where + " cannot be read: " + e.getMessage());
        }
        try {
            if (CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).isEmpty()) {
                throw new ConfigException(where + " holds no certificate (expected: PEM, -----BEGIN CERTIFICATE-----)");
            }
        } catch (CertificateException e) {
            throw new ConfigException(where + " is not a PEM certificate bundle: " + e.getMessage());
        }
        return new String(pem, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
