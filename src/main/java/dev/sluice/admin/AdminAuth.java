package dev.sluice.admin;

import dev.sluice.authenticate.CredentialGuesses;
import dev.sluice.config.AdminConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks admin credentials. Only their SHA-256 digests are kept, and every configured credential is compared
 * with {@link MessageDigest#isEqual}, so neither timing nor a heap dump gives one away. Public for the dashboard's
 * sign-in ({@code admin.dashboard}), which must accept exactly the credentials the admin API accepts.
 */
public final class AdminAuth {
    private final List<byte[]> digests = new ArrayList<>();
    private final List<AdminRole> roles = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final CredentialGuesses guesses;

    public AdminAuth(AdminConfig config, CredentialGuesses guesses) {
        this.guesses = guesses;
        for (AdminConfig.AdminKey k : config.keys()) {
            digests.add(sha256(k.value()));
            roles.add(AdminRole.of(k.role()));
            names.add(k.name() != null ? k.name() : "admin key " + (names.size() + 1));
        }
    }

    /** Who holds the presented credential (its configured name), or null. */
    public String name(String presented) {
        byte[] d = sha256(presented);
        String found = null;
        for (int i = 0; i < digests.size(); i++) {
            if (MessageDigest.isEqual(d, digests.get(i)) && (found == null || roles.get(i) == AdminRole.WRITE)) {
                found = names.get(i);
            }
        }
        return found;
    }

    /**
     * The role of a credential presented from {@code address}, or null when it matches none (counted against the
     * address); a 429 without comparing it when the address has run out of wrong guesses ({@link CredentialGuesses}).
     */
    public AdminRole check(String presented, String address) {
        guesses.admit(address);
        AdminRole role = role(presented);
        if (role == null) {
            guesses.wrong(address);
        }
        return role;
    }

    /** With no admin credentials the API is off. */
    public boolean isOff() {
        return digests.isEmpty();
    }

    /** The role of the presented credential, or null if it matches none (a write role wins over read). */
    public AdminRole role(String presented) {
        byte[] d = sha256(presented);
        AdminRole found = null;
        for (int i = 0; i < digests.size(); i++) {
            if (MessageDigest.isEqual(d, digests.get(i)) && found != AdminRole.WRITE) {
                found = roles.get(i);
            }
        }
        return found;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
