package dev.sluice.config;

import java.util.List;

/**
 * The admin API's own credentials, separate from gateway keys.
 *
 * @param keys admin credentials with their role; with none the admin API is off
 */
public record AdminConfig(List<AdminKey> keys) {
    public AdminConfig {
        keys = keys == null ? List.of() : keys.stream().filter(k -> k.value() != null && !k.value().isBlank()).toList();
    }

    public static AdminConfig defaults() {
        String env = System.getenv("SLUICE_ADMIN_KEY");
        return new AdminConfig(env == null || env.isBlank() ? List.of() : List.of(new AdminKey(env, "write")));
    }

    /**
     * One admin credential.
     *
     * @param value the secret (use {@code ${ENV}})
     * @param role  {@code read} (reports, listings) or {@code write} (also create, revoke, rotate, reload)
     * @param name  who holds it, as the audit log and configuration versions name them (optional)
     */
    public record AdminKey(String value, String role, String name) {
        public AdminKey {
            role = role == null ? "read" : role;
        }

        public AdminKey(String value, String role) {
            this(value, role, null);
        }

        @Override
        public String toString() {
            return "AdminKey[name=" + name + ", role=" + role + ", value=<redacted>]";
        }
    }
}
