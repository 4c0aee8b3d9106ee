package dev.sluice.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Credentials written in an encoding a reader (or a model) undoes: percent escapes, base64 in plain text, a Cyrillic or
 * Greek look-alike in a token's prefix, a text file attached as base64. Each is found under the credential's own rule,
 * its finding covers the encoded bytes, and the clean look-alikes of each path (URLs with {@code %2F}, base64 of source
 * code, Russian prose, Greek formulas) stay clean.
 */
class EncodedSecretsTest {
    private static final GuardScanner SCANNER = new GuardScanner();
    private final FakeSecrets fake = new FakeSecrets(40);

    private static List<Finding> scan(String userText) {
        byte[] body = Bodies.request(Bodies.user(userText));
        return SCANNER.scan(body, body.length, GuardPolicy.defaults()).findings();
    }

    private static String found(String userText) {
        byte[] body = Bodies.request(Bodies.user(userText));
        List<Finding> f = SCANNER.scan(body, body.length, GuardPolicy.defaults()).findings();
        assertThat(f).as(userText).hasSize(1);
        return f.getFirst().rule() + " " + Bodies.decoded(body, f.getFirst());
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void percentEncodedTokensAreFoundOverTheirEncodedBytes() {
        String token = fake.githubToken("gh" + "p_");
        String enc = token.replace("_", "%5F");
        assertThat(found("curl -H 'x: " + enc + "' https://api.github.com")).isEqualTo("github-token " + enc);
        String ant = fake.anthropic();
        String antEnc = ant.replace("-", "%2D");
        assertThat(found("key=" + antEnc + "&x=1")).isEqualTo("anthropic-api-key " + antEnc);
        String url = "https%3A%2F%2Fdeploy%3A" + "Xk9vQ2mZ7pLw4R" + "%40db.acme-prod.io%2Fapp";
        assertThat(scan("open " + url + " now")).extracting(Finding::rule).isNotEmpty();
    }

    @Test
    void base64OfACredentialLineIsFoundOverTheWholeRun() {
        String token = fake.githubToken("gh" + "p_");
        String enc = b64("GITHUB_TOKEN=" + token + "\n");
        assertThat(found("$ echo " + enc + " | base64 -d")).isEqualTo("github-token " + enc);
        String env = b64("# prod\nDATABASE_HOST=db.internal\nANTHROPIC_API_KEY=" + fake.anthropic() + "\nDEBUG=false\n");
        assertThat(found("cat .env.b64\n" + env)).isEqualTo("anthropic-api-key " + env);
        // It runs whenever a rule it may find inside is on, not under a rule of its own.
        byte[] body = Bodies.request(Bodies.user("$ echo " + enc));
        GuardPolicy noAssignments = GuardPolicy.builder().disable("secret-assignment", "password-assignment").build();
        assertThat(SCANNER.scan(body, body.length, noAssignments).findings()).extracting(Finding::rule).containsExactly("github-token");
        // As `base64` prints it: wrapped at 76 columns.
        String wrapped = String.join("\n", env.split("(?<=\\G.{76})"));
        assertThat(found("$ base64 .env\n" + wrapped + "\n$ ")).isEqualTo("anthropic-api-key " + wrapped);
    }

    @Test
    void lookAlikeLettersInATokenPrefixAreReadAsTheLetters() {
        String token = fake.githubToken("gh" + "p_");
        String cyr = "gh\u0440" + token.substring(3);
        assertThat(found("the key is " + cyr + " ok")).isEqualTo("github-token " + cyr);
        String ant = fake.anthropic();
        String s = "\u0455" + ant.substring(1);
        assertThat(found("export KEY " + s)).isEqualTo("anthropic-api-key " + s);
        // Written as a JSON escape, which the upstream decodes: the finding covers the escape.
        String escaped = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"key gh\\u0440" + token.substring(3) + "\"}]}";
        byte[] body = escaped.getBytes(StandardCharsets.UTF_8);
        List<Finding> f = SCANNER.scan(body, body.length, GuardPolicy.defaults()).findings();
        assertThat(f).extracting(Finding::rule).containsExactly("github-token");
        assertThat(escaped.substring(f.getFirst().start(), f.getFirst().end())).isEqualTo("gh\\u0440" + token.substring(3));
        String aws = "\u0410" + fake.awsKeyId().substring(1);
        assertThat(scan("id " + aws + " here")).extracting(Finding::rule).contains("aws-access-key-id");
    }

    @Test
    void cleanLookAlikesStayClean() {
        assertThat(scan("see https://example.com/search?q=a%2Fb%3Dc%40d&path=%2Fusr%2Flocal%2Fbin and printf(\"%2d %5f\")")).isEmpty();
        String code = "public String token() {\n    return tokenStore.current(secretName, password -> password.trim());\n}\n"
                + "PASSWORD_MIN_LENGTH=12\nAPI_KEY_HEADER=x-api-key\n";
        assertThat(scan("decode this: " + b64(code))).isEmpty();
        assertThat(scan("Привет! Это обычный текст на русском языке: проверка, сервер и клиент работают.")).isEmpty();
        assertThat(scan("Let α = 2πr, β = ρ·ν, and Σ κ_i over ι; Ακρόπολη, Ολυμπία.")).isEmpty();
        assertThat(scan("API-ключ хранится в vault, токен — в env")).isEmpty();
    }

    @Test
    void aTokenSplitAcrossAdjacentTextBlocksIsFoundInBothParts() {
        String token = fake.githubToken("gh" + "p_");
        byte[] body = Bodies.request(Bodies.message("user", Bodies.text("deploy with " + token.substring(0, 9)),
                Bodies.text(token.substring(9) + " please")));
        List<Finding> f = SCANNER.scan(body, body.length, GuardPolicy.defaults()).findings();
        assertThat(f).extracting(Finding::rule).containsExactly("github-token", "github-token");
        assertThat(Bodies.decoded(body, f.get(0))).isEqualTo(token.substring(0, 9));
        assertThat(Bodies.decoded(body, f.get(1))).isEqualTo(token.substring(9));
        assertThat(f.get(0).location().describe()).doesNotContain(token.substring(4, 9));
        byte[] parts = Bodies.request(Bodies.message("user", Bodies.toolResultBlocks("toolu_1", "GITHUB_TOKEN=" + token.substring(0, 20),
                token.substring(20) + "\nOK")));
        assertThat(SCANNER.scan(parts, parts.length, GuardPolicy.defaults()).findings()).extracting(Finding::rule)
                .containsExactly("github-token", "github-token");
        byte[] words = Bodies.request(Bodies.message("user", Bodies.text("the config"), Bodies.text("uration is in README")));
        assertThat(SCANNER.scan(words, words.length, GuardPolicy.defaults()).findings()).isEmpty();
        byte[] apart = Bodies.request(Bodies.message("user", Bodies.text("deploy with " + token.substring(0, 9) + "\n"),
                Bodies.text(token.substring(9))));
        assertThat(SCANNER.scan(apart, apart.length, GuardPolicy.defaults()).findings()).isEmpty();
    }

    @Test
    void aTextDocumentSentAsBase64IsDecodedWhateverTheOrderOfItsMembers() {
        String data = b64("???notes\nexport GH=" + fake.githubToken("gh" + "p_") + "\n");
        String escaped = data.replace("/", "\\/");
        assertThat(escaped).contains("\\/");
        for (String source : List.of("{\"type\":\"base64\",\"media_type\":\"text/plain\",\"data\":\"" + data + "\"}",
                "{\"type\":\"base64\",\"data\":\"" + data + "\",\"media_type\":\"text/plain\"}",
                // Attack round 41: the type after the data (the Anthropic document as some clients write it).
                "{\"data\":\"" + data + "\",\"media_type\":\"text/plain\",\"type\":\"base64\"}",
                "{\"media_type\":\"text/plain\",\"data\":\"" + data + "\",\"type\":\"base64\"}",
                "{\"data\":\"" + data + "\",\"type\":\"base64\",\"media_type\":\"text/plain\"}",
                // What the upstream decodes the same: an escaped type, an escaped media type, escaped slashes in the data.
                "{\"type\":\"ba\\u0073e64\",\"media_type\":\"text/plain\",\"data\":\"" + data + "\"}",
                "{\"type\":\"base64\",\"media_type\":\"text\\/plain\",\"data\":\"" + data + "\"}",
                "{\"data\":\"" + data + "\",\"media_type\":\"text\\u002Fplain\",\"type\":\"base64\"}",
                "{\"type\":\"base64\",\"media_type\":\"text/plain\",\"data\":\"" + escaped + "\"}",
                // Twice: an upstream may keep either media type.
                "{\"type\":\"base64\",\"media_type\":\"text/plain\",\"data\":\"" + data + "\",\"media_type\":\"application/pdf\"}",
                "{\"data\":\"" + data + "\",\"media_type\":\"application/pdf\",\"type\":\"base64\",\"media_type\":\"text/plain\"}")) {
            String json = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":"
                    + source + "}]}]}";
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            List<Finding> f = SCANNER.scan(body, body.length, GuardPolicy.defaults()).findings();
            assertThat(f).as(source).extracting(Finding::rule).containsExactly("github-token");
            assertThat(Bodies.decoded(body, f.getFirst())).isEqualTo(data);
            byte[] pdf = json.replace("text/plain", "application/pdf").replace("text\\/plain", "application/pdf")
                    .replace("text\\u002Fplain", "application/pdf").getBytes(StandardCharsets.UTF_8);
            if (!source.contains("ba\\u0073e64")) { // an escaped type errs towards text: the data is read as written
                assertThat(SCANNER.scan(pdf, pdf.length, GuardPolicy.defaults()).findings()).as(source).isEmpty();
            }
        }
    }

    /**
     * Attack round 41 (two levels and the budget): a percent-encoded value inside a base64 line was read as a generic
     * assignment or not at all, a token in a git remote's URL in base64 was not decoded (no name word in the line), and
     * a text file of more than 1.4 MB of base64 was not read at all (one group past the budget and none was decoded).
     */
    @Test
    void aPercentEncodedValueInABase64LineAndATokenInAnEncodedRemoteAreFound() {
        String token = fake.githubToken("gh" + "p_");
        String gh = b64("GITHUB_TOKEN=" + token.replace("_", "%5F") + "\n");
        assertThat(found("echo " + gh + " | base64 -d")).isEqualTo("github-token " + gh);
        String quoted = b64("export GH_TOKEN_VALUE='" + token.replace("_", "%5F") + "'\n");
        assertThat(found("echo " + quoted + " | base64 -d")).isEqualTo("github-token " + quoted);
        String url = b64("# password below\nurl: https%3A%2F%2Fdeploy%3AXk9vQ2mZ7pLw4R%40db.acme-prod.io%2Fapp\n");
        assertThat(found("echo " + url + " | base64 -d")).isEqualTo("url-password " + url);
        String remote = b64("git push https://ci:" + token + "@github.com/acme/app\n");
        assertThat(found("echo " + remote + " | base64 -d")).isEqualTo("github-token " + remote);
        // Clean: percent escapes and a git host in base64 of ordinary text.
        assertThat(scan("echo " + b64("see https://example.com/a%2Fb?token%3Dnone and git@github.com:acme/app.git\n"))).isEmpty();
    }

    @Test
    void aTextFileLargerThanTheDecodeBudgetIsReadUpToIt() {
        String data = b64("git push https://ci:" + fake.githubToken("gh" + "p_") + "@github.com/acme/app\n"
                + "lorem ipsum dolor sit amet\n".repeat(42_000));
        assertThat(data.length()).isGreaterThan(1_400_000);
        String json = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":"
                + "{\"type\":\"base64\",\"media_type\":\"text/plain\",\"data\":\"" + data + "\"}}]}]}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        GuardScan s = SCANNER.scan(body, body.length, GuardPolicy.defaults());
        assertThat(s.findings()).extracting(Finding::rule).containsExactly("github-token");
        assertThat(s.truncated()).as("past the budget, the scan says it read part").isTrue();
    }
}
