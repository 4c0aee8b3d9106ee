package dev.sluice.signin.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The refresh token a rotation issued, sealed so that only a holder of the token it replaced can read it back: AES-GCM
 * under a key derived from that old token (HMAC-SHA256 keyed by it). The database keeps the old token only as its
 * SHA-256 digest, so a dump of it holds neither token; the presenter of the old token within the reuse grace is the one
 * party that can open the seal.
 */
final class Successor {
    private static final byte[] LABEL = "sluice refresh successor v1".getBytes(StandardCharsets.US_ASCII);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Successor() {
    }

    /** {@code successor} sealed under {@code rotated}: base64 of the IV and the ciphertext with its tag. */
    static String seal(String rotated, String successor) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = cipher(Cipher.ENCRYPT_MODE, rotated, iv);
            byte[] sealed = c.doFinal(successor.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM and HMAC-SHA256 are part of every JDK", e);
        }
    }

    /** The successor sealed under {@code rotated}, or null when the seal does not open with it (or is no seal). */
    static String open(String rotated, String sealed) {
        if (sealed == null) {
            return null;
        }
        try {
            byte[] all = Base64.getDecoder().decode(sealed);
            if (all.length <= IV_BYTES) {
                return null;
            }
            Cipher c = cipher(Cipher.DECRYPT_MODE, rotated, Arrays.copyOf(all, IV_BYTES));
            return new String(c.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return null; // a wrong token or a damaged row: no successor, and the reuse counts as a reuse
        }
    }

    private static Cipher cipher(int mode, String rotated, byte[] iv) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(rotated.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        SecretKeySpec key = new SecretKeySpec(mac.doFinal(LABEL), "AES");
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        return c;
    }
}
