package dev.sluice.config;

import java.util.List;

/**
 * The admin API's own credentials, separate from gateway keys.
 *
 * @param keys   admin credentials with their role; with none the admin API is off
 * @param listen {@code host:port} of a listener of the admin API's own (issue 12): the admin API is then served
 *               there only, never on the gateway's port, so a firewall or an interface can keep it private.
 *               With {@code server.tls} on it uses the same certificate. Null: the admin API shares the gateway's port.
 */
public record AdminConfig(List<AdminKey> keys, String listen) {
    public AdminConfig {
        keys = keys == null ? List.of() : keys.stream().filter(k -> k.value() != null && !k.value().isBlank()).toList();
        listen = listen == null || listen.isBlank() ? null : listen.strip();
    }

    public AdminConfig(List<AdminKey> keys) {
        this(keys, null);
    }

    public static AdminConfig defaults() {
        String env = System.getenv("SLUICE_ADMIN_KEY");
        return new AdminConfig(env == null || env.isBlank() ? List.of() : List.of(new AdminKey(env, "write")));
    }

    /** The host of {@link #listen()} ({@code [::1]} style IPv6 literals lose their brackets). */
    public String listenHost() {
        int colon = listen.lastIndexOf(':');
        String host = listen.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The port of {@link #listen()}; 0 picks a free one. */
    public int listenPort() {
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
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
