package dev.sluice.cache.entry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The literal prefilter skips no secret the patterns find: every rule still flags, in any case the pattern allows. */
class SecretWriteGuardTest {
    private final SecretWriteGuard guard = new SecretWriteGuard();

    @Test
    void everyRuleStillFlagsItsSecret() {
        assertThat(guard.flag("key AKIAABCDEFGHIJKLMNOP here")).isEqualTo("looks like a secret: aws-access-key");
        assertThat(guard.flag("ASIAABCDEFGHIJKLMNOP")).isEqualTo("looks like a secret: aws-access-key");
        assertThat(guard.flag("-----BEGIN OPENSSH PRIVATE KEY-----\nabc")).isEqualTo("looks like a secret: private-key");
        assertThat(guard.flag("use sk-ant-api03-abcdefghijklmnopqrstuvwx")).isEqualTo("looks like a secret: anthropic-key");
        assertThat(guard.flag("sk-proj-" + "a".repeat(40))).isEqualTo("looks like a secret: openai-key");
        assertThat(guard.flag("token gho_" + "A".repeat(36))).isEqualTo("looks like a secret: github-token");
        assertThat(guard.flag("github_pat_" + "b".repeat(60))).isEqualTo("looks like a secret: github-token");
        assertThat(guard.flag("xoxb-1234567890-abc")).isEqualTo("looks like a secret: slack-token");
        assertThat(guard.flag("AIza" + "c".repeat(35))).isEqualTo("looks like a secret: google-api-key");
        assertThat(guard.flag("sk-sluice-abcdefghijklmnop_")).isEqualTo("looks like a secret: sluice-key");
    }

    @Test
    void passwordAssignmentsAreFoundInAnyCase() {
        assertThat(guard.flag("PASSWORD = hunter2hunter2")).isEqualTo("looks like a secret: password-assignment");
        assertThat(guard.flag("db_PassWd: 'correct-horse'")).isEqualTo("looks like a secret: password-assignment");
        assertThat(guard.flag("Secret_Key=\"abcdefgh1\"")).isEqualTo("looks like a secret: password-assignment");
    }

    @Test
    void answersWithoutSecretsPass() {
        assertThat(guard.flag("The function returns the sum; see ghost_ and task-ant- notes. Password policy: rotate.")).isNull();
        assertThat(guard.flag("")).isNull();
        assertThat(SecretWriteGuard.containsIgnoreCase("a PassW", "passw")).isTrue();
        assertThat(SecretWriteGuard.containsIgnoreCase("pas", "passw")).isFalse();
    }
}
