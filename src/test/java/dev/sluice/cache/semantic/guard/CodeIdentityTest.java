package dev.sluice.cache.semantic.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CodeIdentityTest {
    private static boolean same(String a, String b) {
        return CodeIdentity.of(a).sameAs(CodeIdentity.of(b));
    }

    @Test
    void identifiersPathsNumbersAndVersionsMustBeEqual() {
        assertThat(same("What does refresh_session do?", "What does refresh_token do?")).isFalse();
        assertThat(same("Explain getUserById", "Explain getUsersById")).isFalse();
        assertThat(same("Summarize src/a/b.ts", "Summarize src/a/c.ts")).isFalse();
        assertThat(same("Why 10 MB?", "Why 100 MB?")).isFalse();
        assertThat(same("Upgrade to React 18", "Upgrade to React 19")).isFalse();
        assertThat(same("What does `retry` do?", "What does `retry_async` do?")).isFalse();
        assertThat(same("Why two replicas?", "Why 3 replicas?")).isFalse();
        assertThat(same("What does --force do?", "What does --follow do?")).isFalse();
    }

    /** Attack round 28: "fifteen" and "sixteen" were prose to the guard, and at 0.93 similarity one got the other's answer. */
    @Test
    void everyNumberSpeltAsAWordIsANumber() {
        assertThat(same("Give me fifteen ideas for the offsite.", "Give me sixteen ideas for the offsite.")).isFalse();
        assertThat(same("List thirty names", "List forty names")).isFalse();
        assertThat(same("Add twenty-one rows", "Add twenty-two rows")).isFalse();
        assertThat(same("Read the fourth chapter", "Read the fifth chapter")).isFalse();
        assertThat(same("Double the timeout", "Triple the timeout")).isFalse();
        assertThat(same("Give me fifteen ideas", "Give me 15 ideas")).isTrue();
        assertThat(same("Add twenty-one rows", "Add 21 rows")).isTrue();
        assertThat(same("Read the forty-second line", "Read the 42nd line")).isTrue();
        assertThat(same("Read the first line", "Read the 1st line")).isTrue();
        assertThat(same("A dozen eggs", "12 eggs")).isTrue();
        assertThat(NumberWords.of("eleventh")).isEqualTo("11th");
        assertThat(NumberWords.of("twenty-third")).isEqualTo("23rd");
        assertThat(NumberWords.of("well-known")).isNull();
    }

    /** Attack round 28: each of these pairs was served the other's answer at 0.93-0.99 similarity. */
    @Test
    void orderAndSmallWordsThatFlipAQuestionMustAgree() {
        assertThat(same("Is Python faster than Java for this workload?", "Is Java faster than Python for this workload?")).isFalse();
        assertThat(same("Does the cache stage run before the budget stage?", "Does the budget stage run before the cache stage?")).isFalse();
        assertThat(same("Write the SQL to find users who ordered this month.", "Write the SQL to find users who ordered next month.")).isFalse();
        assertThat(same("Scale the deployment up.", "Scale the deployment down.")).isFalse();
        assertThat(same("Move the sidebar left.", "Move the sidebar right.")).isFalse();
        assertThat(same("Turn the feature flag on.", "Turn the feature flag off.")).isFalse();
        assertThat(same("How do I zoom in on the chart?", "How do I zoom out on the chart?")).isFalse();
        assertThat(same("Find users with the admin and editor roles.", "Find users with the admin or editor roles.")).isFalse();
        assertThat(same("Should all requests be retried?", "Should some requests be retried?")).isFalse();
        assertThat(same("What happened in the standup yesterday?", "What happened in the standup today?")).isFalse();
        assertThat(same("Round the price up to the nearest cent.", "Round the price down to the nearest cent.")).isFalse();
        assertThat(same("Is Python faster than Java?", "Is Python really faster than the Java?")).as("a paraphrase keeps its order").isTrue();
        assertThat(same("Wait 5 seconds before retrying.", "Wait 5 minutes before retrying.")).isFalse();
        assertThat(same("Wait five seconds before retrying.", "Please wait 5 seconds before retrying.")).isTrue();
        assertThat(same("Explain this loop.", "Explain this loop. Thanks for your help!")).as("politeness keeps a hit").isTrue();
        assertThat(same("Add a column for the email.", "Add a row for the email.")).isFalse();
        assertThat(same("Is it a good idea to cache this?", "Is it a bad idea to cache this?")).isFalse();
    }

    @Test
    void negationsAndSenseWordsMustAgree() {
        assertThat(same("Why is the cache invalidated?", "Why isn't the cache invalidated?")).isFalse();
        assertThat(same("Run it with Docker", "Run it without Docker")).isFalse();
        assertThat(same("Why does the app use Redis?", "How does the app use Redis?")).isFalse();
        assertThat(same("How do I enable logging?", "How do I disable logging?")).isFalse();
        assertThat(same("What does the frontend send to the API?", "What does the API send to the frontend?")).isFalse();
    }

    /** The opposites attack round 8 got served each other's answers at 0.92–0.98 similarity. */
    @Test
    void oppositesMadeByAPrefixOrNamedAsPairsMustAgree() {
        assertThat(same("Order the invoices by date in ascending order", "Order the invoices by date in descending order")).isFalse();
        assertThat(same("Sort the users by age ascending", "Sort the users by age descending")).isFalse();
        assertThat(same("Is it safe to call close twice?", "Is it unsafe to call close twice?")).isFalse();
        assertThat(same("Why is this cookie secure?", "Why is this cookie insecure?")).isFalse();
        assertThat(same("When is the token valid?", "When is the token invalid?")).isFalse();
        assertThat(same("What happens after the lock is acquired?", "What happens after the lock is released?")).isFalse();
        assertThat(same("Why is the request allowed?", "Why is the request disallowed?")).isFalse();
        assertThat(same("Is it safe to call close twice?", "Would it be safe to call close twice?")).as("still a paraphrase").isTrue();
    }

    @Test
    void proseChangesAndReorderingKeepTheIdentity() {
        assertThat(same("What does `refresh_session` in auth/session.py do?",
                "Could you explain what `refresh_session` in auth/session.py is for?")).isTrue();
        assertThat(same("In auth/session.py, what does refresh_session return?",
                "What does refresh_session return in auth/session.py.")).isTrue();
        assertThat(same("Why are there two replicas?", "Why are there 2 replicas?")).isTrue();
        assertThat(same("Why isn't flush called?", "Why is flush not called?")).isTrue();
        assertThat(same("Where is the user's locale detected?", "Where is the users locale detected?")).isTrue();
    }

    @Test
    void hugeTextIsRejectedClearly() {
        assertThatThrownBy(() -> CodeIdentity.of("a".repeat(CodeIdentity.MAX_CHARS + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: <=");
    }
}
