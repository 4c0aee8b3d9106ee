package dev.sluice.admin;

import static dev.sluice.admin.Endpoint.read;
import static dev.sluice.admin.Endpoint.write;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.identity.IdentityStore;
import dev.sluice.identity.NewUser;
import dev.sluice.identity.UserChanges;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/** Orgs, teams and users: create, list, get, change (names, caps, tags, disabled) and delete when unused. */
final class DirectoryEndpoints {
    private DirectoryEndpoints() {
    }

    static List<Endpoint> all(IdentityStore store) {
        return List.of(
                read("/admin/orgs", c -> {
                    c.allowQuery();
                    return ok(AdminJson.list(store.orgs(), AdminJson::org));
                }),
                write(HttpMethod.POST, "/admin/orgs", c -> {
                    JsonBody b = c.json("id", "name");
                    return created(AdminJson.org(store.createOrg(b.requiredText("id", "\"acme\""), b.text("name"))));
                }),
                read("/admin/orgs/{id}", c -> ok(AdminJson.org(store.org(c.param("id"))))),
                write(HttpMethod.PATCH, "/admin/orgs/{id}", c -> {
                    JsonBody b = c.json("name", "disabled");
                    return ok(AdminJson.org(store.updateOrg(c.param("id"), b.text("name"), b.bool("disabled"))));
                }),
                write(HttpMethod.DELETE, "/admin/orgs/{id}", c -> {
                    store.deleteOrg(c.param("id"));
                    return deleted(c.param("id"));
                }),

                read("/admin/teams", c -> ok(AdminJson.list(store.teams(c.allowQuery("org").query("org")), AdminJson::team))),
                write(HttpMethod.POST, "/admin/teams", c -> {
                    JsonBody b = c.json("id", "org_id", "name");
                    return created(AdminJson.team(store.createTeam(b.requiredText("id", "\"platform\""),
                            b.requiredText("org_id", "\"acme\""), b.text("name"))));
                }),
                read("/admin/teams/{id}", c -> ok(AdminJson.team(store.team(c.param("id"))))),
                write(HttpMethod.PATCH, "/admin/teams/{id}", c -> {
                    JsonBody b = c.json("name", "disabled");
                    return ok(AdminJson.team(store.updateTeam(c.param("id"), b.text("name"), b.bool("disabled"))));
                }),
                write(HttpMethod.DELETE, "/admin/teams/{id}", c -> {
                    store.deleteTeam(c.param("id"));
                    return deleted(c.param("id"));
                }),

                read("/admin/users", c -> ok(AdminJson.list(store.users(c.allowQuery("team").query("team")), AdminJson::user))),
                write(HttpMethod.POST, "/admin/users", c -> {
                    JsonBody b = c.json("id", "team_id", "name", "email", "tags", "monthly_cap_usd");
                    var cap = b.usd("monthly_cap_usd");
                    return created(AdminJson.user(store.createUser(new NewUser(b.requiredText("id", "\"ana\""),
                            b.requiredText("team_id", "\"platform\""), b.text("name"), b.text("email"), b.tags("tags"),
                            cap == null ? null : cap.value()))));
                }),
                read("/admin/users/{id}", c -> ok(AdminJson.user(store.user(c.param("id"))))),
                write(HttpMethod.PATCH, "/admin/users/{id}", c -> {
                    JsonBody b = c.json("name", "email", "team_id", "tags", "monthly_cap_usd", "disabled");
                    return ok(AdminJson.user(store.updateUser(c.param("id"), new UserChanges(b.text("name"),
                            b.clearableText("email"), b.text("team_id"), b.tags("tags"), b.usd("monthly_cap_usd"),
                            b.bool("disabled")))));
                }),
                write(HttpMethod.DELETE, "/admin/users/{id}", c -> {
                    store.deleteUser(c.param("id"));
                    return deleted(c.param("id"));
                }));
    }

    static Reply ok(JsonNode body) {
        return Reply.json(200, AdminJson.write(body));
    }

    static Reply created(JsonNode body) {
        return Reply.json(201, AdminJson.write(body));
    }

    private static Reply deleted(String id) {
        return Reply.json(200, AdminJson.write(JsonBody.MAPPER.createObjectNode().put("id", id).put("deleted", true)));
    }
}
