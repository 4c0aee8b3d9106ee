package dev.sluice.admin;

import static dev.sluice.admin.Endpoint.write;

import io.vertx.core.http.HttpMethod;
import java.util.List;

/**
 * Signed-in sessions (issue 13): end every session of a developer without disabling them, for a lost laptop or a
 * leaked token. The developer signs in again with {@code /login}; their keys, budgets and history are untouched.
 * And forget the IdP account a developer is bound to, when they really move to another one (the first account to
 * sign in as a user keeps it, so that a second account presenting the same address cannot become them).
 */
final class SessionEndpoints {
    private SessionEndpoints() {
    }

    static List<Endpoint> all(SessionRevoker sessions) {
        return List.of(write(HttpMethod.POST, "/admin/users/{id}/sessions/revoke", c -> {
            String user = c.param("id");
            int ended = sessions.revokeUser(user);
            return DirectoryEndpoints.ok(JsonBody.MAPPER.createObjectNode().put("user_id", user).put("sessions_ended", ended));
        }), write(HttpMethod.POST, "/admin/users/{id}/idp-account/forget", c -> {
            String user = c.param("id");
            boolean forgotten = sessions.forgetIdpAccount(user);
            return DirectoryEndpoints.ok(JsonBody.MAPPER.createObjectNode().put("user_id", user).put("forgotten", forgotten));
        }));
    }
}
