package dev.sluice.upstream;

import dev.sluice.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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
    private static final int MAX_BYTES = 1024 * 1024;

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
            // Only a regular file (after links): a FIFO blocks the read until a writer comes, and /dev/zero or a
            // /proc file report size 0 and never end, so a size check alone would let the reload hang or fill the heap.
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(where + (Files.exists(file) ? " is not a regular file" : " cannot be read: no such file")
                        + " (expected: a PEM file of certificates, not a directory, device or pipe)");
            }
            try (InputStream in = Files.newInputStream(file)) {
                pem = in.readNBytes(MAX_BYTES + 1); // never more than the bound, whatever the file claims its size is
            }
            if (pem.length > MAX_BYTES) {
                throw new ConfigException(where + " is over " + MAX_BYTES + " bytes (expected: a PEM bundle of certificates)");
            }
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new ConfigException(where + " cannot be read: " + e.getMessage());
        }
        // The JDK reads DER as well as PEM, but the connection pool takes PEM text only: a DER file would pass here and
        // fail every connection.
        if (!new String(pem, java.nio.charset.StandardCharsets.ISO_8859_1).contains("-----BEGIN CERTIFICATE-----")) {
            throw new ConfigException(where + " holds no PEM certificate (expected: PEM text, -----BEGIN CERTIFICATE-----)");
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
