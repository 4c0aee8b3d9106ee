package dev.sluice.guard;

import static dev.sluice.guard.Bodies.request;
import static dev.sluice.guard.Bodies.toolResult;
import static dev.sluice.guard.Bodies.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each secret rule on the text a coding agent really carries: tool results with files, env output, commands. */
class SecretRulesTest {
    private static final GuardScanner SCANNER = new GuardScanner();
    private final FakeSecrets fake = new FakeSecrets(7);

    private static List<Finding> scan(byte[] body) {
        return SCANNER.scan(body, body.length, GuardPolicy.defaults()).findings();
    }

    /** Scans {@code text} as a tool result and returns rule=secret pairs, the secret read back from the raw range. */
    private static List<String> found(String text) {
        byte[] body = request(Bodies.message("user", toolResult("toolu_1", text)));
        return scan(body).stream().map(f -> f.rule() + "=" + Bodies.decoded(body, f)).toList();
    }

    @Test
    void awsKeyIdAndSecretAsAPairInACredentialsFile() {
        String id = fake.awsKeyId();
        String secret = fake.awsSecret();
        String file = "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\nregion = eu-west-1\n";
        assertThat(found(file)).containsExactly("aws-access-key-id=" + id, "aws-secret-access-key=" + secret);
    }

    @Test
    void awsSecretAfterItsLabelAlone() {
        String secret = fake.awsSecret();
        assertThat(found("export AWS_SECRET_ACCESS_KEY=\"" + secret + "\"")).containsExactly("aws-secret-access-key=" + secret);
        assertThat(found("{\"SecretAccessKey\": \"" + secret + "\", \"SessionToken\": \"x\"}")).contains("aws-secret-access-key=" + secret);
    }

    @Test
    void awsDocumentedExamplesAndGitShasAreNotSecrets() {
        assertThat(found("aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).isEmpty();
        assertThat(found(fake.awsKeyId().substring(0, 19) + " commit 9fceb02d0ae598e95dc970b74767f19372d61af8")).isEmpty();
    }

    @Test
    void githubTokensNeedTheirChecksum() {
        String token = fake.githubToken("gh" + "p_");
        assertThat(found("GITHUB_TOKEN=" + token)).containsExactly("github-token=" + token);
        String broken = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        assertThat(found("GITHUB_TOKEN=" + broken)).isEmpty();
        String fine = fake.githubFineGrained();
        assertThat(found("token: " + fine)).containsExactly("github-token=" + fine);
    }

    @Test
    void gitlabSlackStripeOpenAiAnthropic() {
        String gitlab = fake.gitlab();
        String slack = fake.slackBot();
        String hook = fake.slackWebhookPath();
        String live = fake.stripeLive();
        String test = fake.stripeTest();
        String openai = fake.openAi();
        String anthropic = fake.anthropic();
        assertThat(found("git remote set-url origin https://oauth2:" + gitlab + "@gitlab.com/acme/api.git"))
                .containsExactly("gitlab-token=" + gitlab);
        assertThat(found("SLACK_BOT_TOKEN=" + slack)).containsExactly("slack-token=" + slack);
        assertThat(found("curl -X POST https://hooks.slack.com/services/" + hook)).containsExactly("slack-webhook=" + hook);
        assertThat(found("stripe.api_key = '" + live + "'")).containsExactly("stripe-live-key=" + live);
        assertThat(found("STRIPE_KEY=" + test)).containsExactly("stripe-test-key=" + test);
        assertThat(found("OPENAI_API_KEY=" + openai)).containsExactly("openai-api-key=" + openai);
        assertThat(found("$ env | grep ANTHROPIC\nANTHROPIC_API_KEY=" + anthropic + "\n")).containsExactly("anthropic-api-key=" + anthropic);
    }

    @Test
    void vendorDocumentationExamplesPass() {
        assertThat(found("Stripe.apiKey = \"sk_test_4eC39HqLyjWDarjtT1zdp7dc\";")).isEmpty();
        assertThat(found("export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")).isEmpty();
        assertThat(found("SLACK_TOKEN=xoxb-your-token-here-not-a-real-token")).isEmpty();
        assertThat(found("ANTHROPIC_API_KEY=sk-ant-api03-...")).isEmpty();
    }

    @Test
    void pemKeysInAFileViewWithLineNumbersAndInsideJson() {
        String pem = FakeSecrets.pem();
        StringBuilder numbered = new StringBuilder();
        String[] lines = pem.split("\n");
        for (int i = 0; i < lines.length; i++) {
            numbered.append(String.format("%6d\u2192%s%n", i + 1, lines[i]));
        }
        List<String> plain = found(pem);
        assertThat(plain).hasSize(1);
        assertThat(plain.getFirst()).startsWith("private-key=-----BEGIN PRIVATE KEY-----").endsWith("-----END PRIVATE KEY-----");
        assertThat(found(numbered.toString())).hasSize(1).allMatch(s -> s.startsWith("private-key="));
        assertThat(found("{\"key\": \"" + pem.replace("\n", "\\n") + "\"}")).hasSize(1).allMatch(s -> s.startsWith("private-key="));
        assertThat(found("-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----")).isEmpty();
    }

    @Test
    void gcpServiceAccountFileReportsItsKeyOnce() {
        List<String> got = found(fake.gcpServiceAccountJson());
        assertThat(got).hasSize(1);
        assertThat(got.getFirst()).startsWith("gcp-service-account-key=-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void azureConnectionStrings() {
        String key = fake.azureStorageKey();
        String conn = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + key + ";EndpointSuffix=core.windows.net";
        assertThat(found(conn)).containsExactly("azure-storage-key=" + key);
        String emulator = "UseDevelopmentStorage=true;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        assertThat(found(emulator)).isEmpty();
        String sb = fake.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 43) + "=";
        assertThat(found("Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=" + sb))
                .containsExactly("azure-shared-access-key=" + sb);
    }

    @Test
    void jwtsAreDecodedBeforeTheyCount() {
        String jwt = fake.jwt();
        assertThat(found("Authorization: Bearer " + jwt)).containsExactly("jwt=" + jwt);
        String jwtIo = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
                + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        assertThat(found("const token = '" + jwtIo + "';")).isEmpty();
        assertThat(found("data = 'eyJuYW1lIjoiYWRhIn0=' // base64 of a JSON object")).isEmpty();
    }

    @Test
    void base64UserPasswordPairsInBasicAuthDockerAndNpmConfigs() {
        String pair = java.util.Base64.getEncoder().encodeToString(("deploy:" + fake.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(found("curl -H \"Authorization: Basic " + pair + "\" https://artifacts.acme.internal"))
                .containsExactly("basic-auth-credentials=" + pair);
        assertThat(found("{\"auths\": {\"registry.acme.internal\": {\"auth\": \"" + pair + "\"}}}"))
                .containsExactly("basic-auth-credentials=" + pair);
        String unpadded = pair.replace("=", "");
        assertThat(found("//npm.acme.internal/:_auth=" + unpadded)).containsExactly("basic-auth-credentials=" + unpadded);
        // base64 that is not a user:password pair, a stand-in password, a name with a space: not credentials
        assertThat(found("Authorization: Basic " + java.util.Base64.getEncoder().encodeToString("just some text".getBytes()))).isEmpty();
        assertThat(found("Authorization: Basic dXNlcjpwYXNzd29yZA==")).isEmpty();
        assertThat(found("Authorization: Basic " + java.util.Base64.getEncoder().encodeToString("a b:Zq8vR2mXw".getBytes()))).isEmpty();
        assertThat(found("WWW-Authenticate: Basic realm=\"artifacts\"")).isEmpty();
    }

    @Test
    void kubernetesSecretDataValuesAsClaudeCodeReadsTheManifest() {
        String password = java.util.Base64.getEncoder().encodeToString(fake.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String token = java.util.Base64.getEncoder().encodeToString(fake.githubToken("gh" + "p_").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String[] lines = {"apiVersion: v1", "kind: Secret", "metadata:", "  name: billing-api", "data:", "  pw: " + password,
                "  gh: \"" + token + "\"", "  plain: cGFzc3dvcmQ=", "type: Opaque"};
        StringBuilder read = new StringBuilder(); // Claude Code's Read format: a right-aligned line number and an arrow
        for (int i = 0; i < lines.length; i++) {
            read.append(String.format("%6d\u2192%s%n", i + 1, lines[i]));
        }
        assertThat(found(read.toString())).containsExactly("kubernetes-secret-data=" + password, "kubernetes-secret-data=" + token);
        // the same values in a ConfigMap, or a Secret's data read as a Secret-like kind, are not this rule's
        assertThat(found(read.toString().replace("kind: Secret", "kind: ConfigMap"))).isEmpty();
        assertThat(found(read.toString().replace("kind: Secret", "kind: SecretStore"))).isEmpty();
    }

    @Test
    void kubernetesSecretDataValuesInKubectlJson() {
        String password = java.util.Base64.getEncoder().encodeToString(fake.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String json = "{\"apiVersion\": \"v1\", \"data\": {\"pw\": \"" + password + "\", \"user\": \"YWRtaW4=\"},"
                + " \"kind\": \"Secret\", \"metadata\": {\"name\": \"billing\"}, \"type\": \"Opaque\"}";
        assertThat(found(json)).containsExactly("kubernetes-secret-data=" + password);
        assertThat(found(json.replace("\"kind\": \"Secret\"", "\"kind\": \"ConfigMap\""))).isEmpty();
        assertThat(found(json.replace("\"kind\": \"Secret\"", "\"reason\": \"Secret\""))).isEmpty();
    }

    @Test
    void urlPasswordsButNotPlaceholdersOrDevDefaults() {
        assertThat(found("DATABASE_URL=postgres://billing:Zq8!vR2mXw@db.internal:5432/billing"))
                .containsExactly("database-url-password=Zq8!vR2mXw");
        assertThat(found("redis://:N7f2KqP9sL4m@cache.prod:6379/0")).containsExactly("database-url-password=N7f2KqP9sL4m");
        assertThat(found("postgres://user:password@localhost:5432/app")).isEmpty();
        assertThat(found("postgres://postgres:postgres@localhost:5432/test")).isEmpty();
        assertThat(found("mysql://root:${MYSQL_ROOT_PASSWORD}@db/app")).isEmpty();
        assertThat(found("see https://docs.python.org/3/library/urllib.parse.html")).isEmpty();
    }

    @Test
    void genericAssignmentsOnlyForRandomLiterals() {
        assertThat(found("SESSION_SECRET=a3f9c1e07b52d48e9f10c6a2b7d34e85")).containsExactly("secret-assignment=a3f9c1e07b52d48e9f10c6a2b7d34e85");
        assertThat(found("db:\n  password: \"Tr0ub4dor&3x\"\n")).containsExactly("password-assignment=Tr0ub4dor&3x");
        assertThat(found("password = os.environ[\"DB_PASSWORD\"]")).isEmpty();
        assertThat(found("String password = config.getString(\"db.password\");")).isEmpty();
        assertThat(found("if (password == null || password.isEmpty()) {")).isEmpty();
        assertThat(found("max_tokens = 32000\ntoken_count: 1234\nnext_page_token = resp.next")).isEmpty();
        assertThat(found("\"password_hash\": \"$2b$12$KIXQJxN9hTqJ8Yv4eJ3mUe0vJ1lXk5L9b0c3d2e1f0a9b8c7d6e5f4\"")).isEmpty();
        assertThat(found("API_TOKEN=changeme\nSECRET_KEY=your-secret-key-here")).isEmpty();
        assertThat(found("token = \"dGVzdC10b2tlbi12YWx1ZQ==\"  # base64 test data")).isEmpty();
    }

    @Test
    void secretsInToolInputsAndKeyValuePairs() {
        String token = fake.githubToken("gh" + "p_");
        byte[] body = request(Bodies.message("assistant", Bodies.toolUse("toolu_9", "Bash",
                java.util.Map.of("command", "gh auth login --with-token <<< " + token))));
        List<Finding> findings = scan(body);
        assertThat(findings).extracting(Finding::rule).containsExactly("github-token");
        assertThat(findings.getFirst().location().field()).isEqualTo("command");
        String secret = "hX9#kQ2m!Lp7vR4z";
        byte[] mcp = request(Bodies.message("assistant", Bodies.toolUse("toolu_3", "mcp__db__connect",
                java.util.Map.of("host", "db.prod", "password", secret))));
        assertThat(scan(mcp)).extracting(f -> f.rule() + "=" + Bodies.decoded(mcp, f)).containsExactly("password-assignment=" + secret);
    }

    @Test
    void theSameBytesAreNeverReportedTwice() {
        String token = fake.githubToken("gh" + "p_");
        List<Finding> f = scan(request(user("GITHUB_TOKEN=" + token + " and again API_TOKEN=" + token)));
        assertThat(f).extracting(Finding::rule).containsExactly("github-token", "github-token");
        assertThat(f.get(0).end()).isLessThanOrEqualTo(f.get(1).start());
    }
}
