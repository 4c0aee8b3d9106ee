package dev.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.RequestFacts;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A conversation's sticky placement is its organisation's: attack round 8 pinned another tenant's conversations
 * (same session id, or the same system prompt and first message) to the fallback with one failed-over request.
 */
class ConversationScopeTest {
    private static RequestTraits traits(String org, String session) {
        Identity who = new Identity("k-" + org, "k", "u-" + org, "t-" + org, org, Map.of());
        return new RequestTraits("m", "m", who, h -> null, null, RequestFacts.NONE, () -> null, () -> session, 0);
    }

    @Test
    void theSameSessionInTwoOrganisationsIsTwoConversations() {
        assertThat(traits("acme", "s-1").conversation()).isNotEqualTo(traits("globex", "s-1").conversation());
        assertThat(traits("acme", "s-1").conversation()).isEqualTo(traits("acme", "s-1").conversation());
        assertThat(traits("acme", "s-1").hash()).as("key spread still follows the session").isEqualTo(traits("globex", "s-1").hash());
    }
}
