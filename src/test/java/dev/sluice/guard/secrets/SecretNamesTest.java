package dev.sluice.guard.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.guard.Source;
import dev.sluice.guard.detect.Text;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A name is judged by its ending, separators and case aside; a name whose last letter ends no secret word is not one. */
class SecretNamesTest {
    private static int classify(String name) {
        Text t = new Text();
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        t.loadPlain(b, 0, b.length, 0, Source.USER);
        return SecretNames.classify(t, 0, b.length);
    }

    @Test
    void secretNamesByTheirEnding() {
        for (String name : new String[] {"DB_PASSWORD", "db_passwd", "userPwd", "gpg.passphrase", "clientSecret", "GITHUB_TOKEN",
            "stripe_api_key", "AWS_ACCESS_KEY", "Credentials", "jwtSigningKey", "GITHUB_TOKEN__", "api-key.", "admin_pass"}) {
            assertThat(classify(name)).as(name).isNotEqualTo(SecretNames.NONE);
        }
        assertThat(classify("DB_PASSWORD")).isEqualTo(SecretNames.PASSWORD);
        assertThat(classify("GITHUB_TOKEN__")).isEqualTo(SecretNames.SECRET);
    }

    @Test
    void otherNames() {
        for (String name : new String[] {"max_tokens", "password_hash", "token_url", "secretName", "cache_key", "publicKey",
            "tokenizer", "TOKENS", "___", "passenger", "bypass"}) {
            assertThat(classify(name)).as(name).isEqualTo(SecretNames.NONE);
        }
    }
}
