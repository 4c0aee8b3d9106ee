package dev.sluice.front.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A reasoning item's {@code encrypted_content}: the Anthropic thinking block it came from ({@code thinking} with its
 * {@code signature}, or {@code redacted_thinking} with its {@code data}) as compact JSON, sealed with AES-256-GCM so
 * the client can neither read nor change it, and opened again when the client sends the item back next turn (Anthropic
 * requires the block unchanged in a tool-use loop). Format: {@code sluice-r1.} + base64url(12-byte nonce, ciphertext
 * and tag). Sealed for the caller whose answer it was (its gateway key's stable id, as {@link ItemStore#owner} names
 * it, is authenticated with the block): another key that sends it (from a shared transcript, a log) has it dropped like
 * any item that does not open, so the model is never handed one caller's thinking in another's conversation.
 *
 * <p>The key is SHA-256 of {@code $SLUICE_REASONING_KEY} when set (the same on every replica, kept across restarts),
 * else random per process: then an item made before a restart, or by another replica, does not open, and is dropped
 * like any item that does not open (see {@link InputItems}). Bounded: a block over {@link #MAX_PLAIN} bytes is not
 * sealed (its item goes out without {@code encrypted_content}), and a sealed value over {@link #MAX_SEALED}
 * characters is not opened.
 */
final class ReasoningSeal {
    /** The largest block sealed, as JSON bytes: a 24,576-token thinking block is about 100 KB, its signature a few KB. */
    static final int MAX_PLAIN = 512 * 1024;
    /** The longest sealed value opened: base64 of the largest block, nonce and tag. */
    static final int MAX_SEALED = (MAX_PLAIN + 28) / 3 * 4 + 64;
    private static final String PREFIX = "sluice-r1.";
    private static final byte[] CONTEXT = "sluice reasoning item v1".getBytes(StandardCharsets.US_ASCII);
    private static final Set<String> THINKING = Set.of("type", "thinking", "signature");
    private static final Set<String> REDACTED = Set.of("type", "data");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SecretKeySpec KEY = key(System.getenv("SLUICE_REASONING_KEY"));

    private ReasoningSeal() {
    }

    static SecretKeySpec key(String secret) {
        byte[] k = new byte[32];
        if (secret == null || secret.isEmpty()) {
            RANDOM.nextBytes(k);
        } else {
            try {
                k = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return new SecretKeySpec(k, "AES");
    }

    /**
     * A thinking block sealed for {@code owner} (null: no caller); null when it has no signature (cut short) or is larger
     * than {@link #MAX_PLAIN}.
     */
    static String thinking(String thinking, String signature, String owner) {
        if (signature == null || signature.isEmpty()) {
            return null; // a block the cap cut before its signature: Anthropic would refuse it back
        }
        return seal(Json.MAPPER.createObjectNode().put("type", "thinking").put("thinking", thinking).put("signature", signature), owner);
    }

    /** A redacted thinking block sealed for {@code owner}; null when it is larger than {@link #MAX_PLAIN}. */
    static String redacted(String data, String owner) {
        return seal(Json.MAPPER.createObjectNode().put("type", "redacted_thinking").put("data", data), owner);
    }

    static String seal(ObjectNode block, String owner) {
        return seal(block, KEY, owner);
    }

    static String seal(ObjectNode block, SecretKeySpec key, String owner) {
        byte[] plain = block.toString().getBytes(StandardCharsets.UTF_8);
        if (plain.length > MAX_PLAIN) {
            return null;
        }
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(aad(owner));
            byte[] sealed = c.doFinal(plain);
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /**
     * The block sealed in {@code value} for {@code owner}, or null when it is not one this gateway sealed for this caller,
     * was changed, or is too long.
     */
    static ObjectNode open(String value, String owner) {
        return open(value, KEY, owner);
    }

    static ObjectNode open(String value, SecretKeySpec key, String owner) {
        if (value == null || value.length() > MAX_SEALED || !value.startsWith(PREFIX)) {
            return null;
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(value.substring(PREFIX.length()));
            if (in.length < 12 + 16) {
                return null;
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
            c.updateAAD(aad(owner));
            byte[] plain = c.doFinal(in, 12, in.length - 12);
            JsonNode block = Json.MAPPER.readTree(plain);
            return wellFormed(block) ? (ObjectNode) block : null;
        } catch (GeneralSecurityException | IllegalArgumentException | java.io.IOException e) {
            return null; // another key, a changed byte, not base64: not ours to forward
        }
    }

    /** What is authenticated with the block: the format's context, then the caller it was sealed for. */
    private static byte[] aad(String owner) {
        byte[] who = (owner == null ? "" : owner).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[CONTEXT.length + 1 + who.length];
        System.arraycopy(CONTEXT, 0, out, 0, CONTEXT.length);
        System.arraycopy(who, 0, out, CONTEXT.length + 1, who.length); // a zero byte between: no owner runs into the context
        return out;
    }

    /** Exactly the fields of one of the two block types, each a string (belt and braces: only this class seals). */
    private static boolean wellFormed(JsonNode block) {
        if (block == null || !block.isObject()) {
            return false;
        }
        Set<String> fields = switch (block.path("type").asText("")) {
            case "thinking" -> THINKING;
            case "redacted_thinking" -> REDACTED;
            default -> null;
        };
        if (fields == null || block.size() != fields.size()) {
            return false;
        }
        for (Iterator<String> it = block.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f) || !block.get(f).isTextual() || (!f.equals("thinking") && block.get(f).asText().isEmpty())) {
                return false;
            }
        }
        return true;
    }
}
