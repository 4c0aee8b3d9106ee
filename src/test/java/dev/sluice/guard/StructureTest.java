package dev.sluice.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the scanner reads the Messages structure: locations, escapes, skipped fields, bad input. */
class StructureTest {
    private static final GuardScanner SCANNER = new GuardScanner();
    private final FakeSecrets fake = new FakeSecrets(3);

    private static GuardScan scan(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return SCANNER.scan(b, b.length, GuardPolicy.defaults());
    }

    @Test
    void locationNamesMessageBlockPartAndLine() {
        String token = fake.githubToken("gh" + "p_");
        byte[] body = Bodies.request(Bodies.user("hi"), Bodies.assistant("reading"),
                Bodies.message("user", Bodies.text("see below"), Bodies.toolResultBlocks("toolu_1", "intro", "a\nb\nTOKEN=" + token)));
        List<Finding> f = SCANNER.scan(body, body.length, GuardPolicy.defaults()).findings();
        assertThat(f).hasSize(1);
        Location at = f.getFirst().location();
        assertThat(at.section()).isEqualTo(Section.MESSAGES);
        assertThat(at.index()).isEqualTo(2);
        assertThat(at.block()).isEqualTo(1);
        assertThat(at.part()).isEqualTo(1);
        assertThat(at.blockType()).isEqualTo("tool_result");
        assertThat(at.source()).isEqualTo(Source.TOOL_RESULT);
        assertThat(at.line()).isEqualTo(3);
        assertThat(at.describe()).isEqualTo("messages[2].content[1].content[1] (tool_result), line 3");
        assertThat(f.getFirst().describe()).doesNotContain(token.substring(4));
    }

    /**
     * Attack round 24: a location named the field of a finding by its key, and a key is the caller's text. A token used
     * as a key (found itself, or of a vendor no rule knows: any long name with digits) is not named; a plain name is.
     */
    @Test
    void aFieldIsNotNamedByAKeyThatMayBeASecret() {
        String token = fake.githubToken("gh" + "p_");
        String value = fake.githubToken("gh" + "p_");
        String unknown = "tok" + "_9fK2mQ7xLp4Rz8Wc1Vb6Nd3";
        String json = "{\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"x\","
                + "\"input\":{\"" + token + "\":\"" + value + "\",\"" + unknown + "\":\"" + value + " \",\"command\":\"echo " + value + "\"}}]}]}";
        List<Finding> f = scan(json).findings();
        assertThat(f).extracting(Finding::rule).containsOnly("github-token").hasSize(4);
        assertThat(f).extracting(x -> x.location().field()).containsExactly("", "", "", "command");
        assertThat(f).allSatisfy(x -> assertThat(x.describe()).doesNotContain(token).doesNotContain(unknown));
    }

    /** Attack round 24: keys outside tool inputs were never read, so a token as a key went upstream; long ones are. */
    @Test
    void longKeysTheMessagesShapeDoesNotDefineAreRead() {
        String t = fake.githubToken("gh" + "p_");
        String user = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        assertThat(scan("{\"model\":\"m\"," + user + ",\"" + t + "\":1}").findings()).extracting(Finding::rule).containsExactly("github-token");
        assertThat(scan("{\"metadata\":{\"" + t + "\":\"x\"}," + user + "}").findings()).extracting(Finding::rule)
                .containsExactly("github-token");
        assertThat(scan("{" + user + ",\"tools\":[{\"name\":\"t\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"" + t
                + "\":{\"type\":\"string\"}}}}]}").findings()).extracting(f -> f.location().section()).containsExactly(Section.TOOLS);
        assertThat(scan("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\",\"" + t + "\":1}]}]}")
                .findings()).extracting(f -> f.location().describe()).containsExactly("messages[0].content[0] (text), line 1");
        assertThat(scan("{" + user + ",\"tools\":[{\"name\":\"t\",\"input_schema\":{\"type\":\"object\",\"additionalProperties\":false,"
                + "\"properties\":{\"dangerouslyDisableSandbox\":{\"type\":\"boolean\"}}}}]}").findings()).isEmpty();
    }

    @Test
    void systemPromptAndToolDescriptionsAreScannedToo() {
        String token = fake.githubToken("gh" + "p_");
        GuardScan s = scan("{\"model\":\"m\",\"messages\":[],\"system\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"git remote: https://x:"
                + token + "@github.com/o/r\"}],\"tools\":[{\"name\":\"t\",\"description\":\"key " + token + "\"}]}");
        assertThat(s.findings()).extracting(f -> f.location().describe())
                .containsExactly("system.content[1] (text), line 1", "tools[0] field \"description\", line 1");
    }

    @Test
    void escapesAreDecodedAndTheRawRangeCoversThem() {
        String secret = fake.awsSecret();
        // The secret written with a unicode escape in the middle and a \/ for one slash, as some encoders do.
        String escaped = secret.substring(0, 10) + "\\u00" + Integer.toHexString(secret.charAt(10)) + secret.substring(11).replace("/", "\\/");
        String json = "{\"messages\":[{\"role\":\"user\",\"content\":\"aws_secret_access_key=\\\"" + escaped + "\\\"\\n\"}]}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        List<Finding> f = SCANNER.scan(body, body.length, GuardPolicy.defaults()).findings();
        assertThat(f).hasSize(1);
        assertThat(new String(body, f.getFirst().start(), f.getFirst().end() - f.getFirst().start(), StandardCharsets.UTF_8)).isEqualTo(escaped);
        assertThat(Bodies.decoded(body, f.getFirst())).isEqualTo(secret);
    }

    @Test
    void imageDataAndSignaturesAreNotScannedButIdsAre() {
        String token = fake.githubToken("gh" + "p_");
        String json = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"TOKEN="
                + token + "\"}},{\"type\":\"thinking\",\"thinking\":\"x\",\"signature\":\"" + token + "\"},{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01\",\"content\":\"ok\"}]}]}";
        assertThat(scan(json).findings()).isEmpty();
        // Attack round 39: a tool call's id is the client's to write, and a token fits the pattern upstreams accept for it.
        List<Finding> inId = scan(json.replace("toolu_01", token)).findings();
        assertThat(inId).extracting(Finding::rule).containsExactly("github-token");
    }

    @Test
    void answersAreReadToo() {
        String token = fake.githubToken("gh" + "p_");
        GuardScan s = scan("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Bash\",\"input\":{\"command\":\"echo " + token + "\"}}]}");
        assertThat(s.findings()).extracting(f -> f.location().describe()).containsExactly("content[1] (tool_use) field \"command\", line 1");
    }

    @Test
    void malformedBodiesGetAClearErrorWithTheOffset() {
        assertThatThrownBy(() -> scan("{\"messages\":[{\"role\":\"user\",\"content\":\"abc}]}"))
                .isInstanceOf(MalformedBodyException.class).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> scan("{\"a\":1} trailing")).hasMessageContaining("content after the JSON value");
        assertThatThrownBy(() -> scan("{\"a\":\"\\x\"}")).hasMessageContaining("invalid escape");
        assertThatThrownBy(() -> scan("{\"a\" 1}")).hasMessageContaining("expected ':'");
        assertThatThrownBy(() -> scan("[".repeat(300))).hasMessageContaining("nested deeper than 256");
        assertThatThrownBy(() -> scan("{\"a\":[1,2}")).hasMessageContaining("byte 9");
    }

    @Test
    void truncatedUnicodeEscapesAndLoneSurrogatesDoNotBreakTheScan() {
        assertThat(scan("{\"a\":\"\\ud800 lone \\udc00 and \\ud83d\\ude00 pair\"}").findings()).isEmpty();
        assertThatThrownBy(() -> scan("{\"a\":\"\\u12\"}")).isInstanceOf(MalformedBodyException.class);
    }

    @Test
    void scanMemberReadsOnlyThatMember() {
        String token = fake.githubToken("gh" + "p_");
        String body = "{\"model\":\"m " + token + "\",\"input\":[\"a\",\"x\\ny " + token + "\"],\"user\":{\"id\":\"" + token + "\"}}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        List<Finding> f = SCANNER.scanMember(b, b.length, "input", GuardPolicy.defaults()).findings();
        assertThat(f).hasSize(1);
        assertThat(f.getFirst().rule()).isEqualTo("github-token");
        assertThat(f.getFirst().start()).isEqualTo(body.indexOf(token, body.indexOf("\"input\"")));
        assertThat(f.getFirst().location().section()).isEqualTo(Section.OTHER);
        byte[] single = ("{\"input\":\"" + token + "\",\"model\":\"m\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(SCANNER.scanMember(single, single.length, "input", GuardPolicy.defaults()).findings()).hasSize(1);
    }

    /**
     * A plain-text document ({@code source.type: text}) is text the model reads, so its data is scanned; base64 data
     * (images, PDFs) is not. With the type written after the data, only data that is base64 throughout is skipped.
     */
    @Test
    void plainTextDocumentsAreScannedAndBase64DataIsNot() {
        String token = fake.githubToken("gh" + "p_");
        String text = "{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"deploy notes: " + token + "\"}";
        String reordered = "{\"data\":\"deploy notes: " + token + "\",\"media_type\":\"text/plain\",\"type\":\"text\"}";
        String base64 = "{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"" + token + "\"}";
        for (String source : List.of(text, reordered)) {
            GuardScan s = scan("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":"
                    + source + "},{\"type\":\"text\",\"text\":\"summarise\"}]}]}");
            assertThat(s.findings()).as(source).hasSize(1);
            assertThat(s.findings().getFirst().location().describe()).startsWith("messages[0].content[0]");
        }
        // A token's characters are all base64's: written as a base64 source's data, it is opaque bytes, not text.
        assertThat(scan("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":"
                + base64 + "}]}]}").findings()).isEmpty();
    }
}
