package dev.sluice.budget;

import dev.sluice.budget.rules.Hierarchy;
import dev.sluice.budget.rules.Level;
import dev.sluice.identity.IdentityException;
import dev.sluice.identity.IdentityStore;
import dev.sluice.identity.Team;
import dev.sluice.identity.User;
import dev.sluice.identity.VirtualKey;

/**
 * Who belongs where, from the identity store, so a budget for user ana larger than team payments' (ana's team) is
 * reported as a warning when it is set. Reads the database: for admin calls on workers, never per request.
 */
final class IdentityHierarchy implements Hierarchy {
    private final IdentityStore store;

    IdentityHierarchy(IdentityStore store) {
        this.store = store;
    }

    @Override
    public boolean contains(Level parentLevel, String parentId, Level childLevel, String childId) {
        try {
            String[] chain = chain(childLevel, childId); // {org, team, user}
            return switch (parentLevel) {
                case ORG -> parentId.equals(chain[0]);
                case TEAM -> parentId.equals(chain[1]);
                case USER -> parentId.equals(chain[2]);
                default -> false;
            };
        } catch (IdentityException e) {
            return false;
        }
    }

    private String[] chain(Level level, String id) {
        String user = null;
        String team = null;
        switch (level) {
            case KEY -> {
                VirtualKey k = store.key(id);
                user = k.userId();
                team = store.user(user).teamId();
            }
            case USER -> {
                User u = store.user(id);
                user = u.id();
                team = u.teamId();
            }
            case TEAM -> team = id;
            default -> {
                return new String[3];
            }
        }
        Team t = team == null ? null : store.team(team);
        return new String[] {t == null ? null : t.orgId(), team, user};
    }
}
