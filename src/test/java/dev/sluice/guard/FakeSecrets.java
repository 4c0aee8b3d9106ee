package dev.sluice.guard;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Credentials in the exact shapes vendors issue, made up at test time from a seeded random source, so no
 * secret-looking string is committed to the repository and every run sees the same values.
 */
public final class FakeSecrets {
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String BASE64 = ALNUM + "+/";
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private final Random random;

    public FakeSecrets(long seed) {
        random = new Random(seed);
    }

    public String pick(String alphabet, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    public String alnum(int n) {
        return pick(ALNUM, n);
    }

    public String awsKeyId() {
        return "AKIA" + pick(BASE32, 16);
    }

    public String awsSecret() {
        String s;
        do {
            s = pick(BASE64, 40);
        } while (!s.matches(".*[A-Z].*") || !s.matches(".*[a-z].*") || !s.matches(".*[0-9].*"));
        return s;
    }

    public String githubToken(String prefix) {
        String body = alnum(30);
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long v = crc.getValue();
        StringBuilder check = new StringBuilder();
        while (v > 0) {
            check.insert(0, BASE62.charAt((int) (v % 62)));
            v /= 62;
        }
        while (check.length() < 6) {
            check.insert(0, '0');
        }
        return prefix + body + check;
    }

    public String githubFineGrained() {
        return "github_pat_" + alnum(22) + "_" + alnum(59);
    }

    public String gitlab() {
        return "gl" + "pat-" + pick(ALNUM + "-_", 20);
    }

    public String slackBot() {
        return "xo" + "xb-" + digits(12) + "-" + digits(13) + "-" + alnum(24);
    }

    public String slackWebhookPath() {
        return "T" + pick(BASE32, 8) + "/B" + pick(BASE32, 10) + "/" + alnum(24);
    }

    public String stripeLive() {
        return "sk" + "_live_" + alnum(99);
    }

    public String stripeTest() {
        return "sk" + "_test_" + alnum(24);
    }

    public String openAi() {
        return "sk-" + "proj-" + pick(ALNUM + "-_", 74) + "T3Blbk" + "FJ" + pick(ALNUM + "-_", 74);
    }

    public String anthropic() {
        return "sk-" + "ant-api03-" + pick(ALNUM + "-_", 93) + "AA";
    }

    public String slackUser() {
        return "xo" + "xp-" + digits(12) + "-" + digits(12) + "-" + digits(13) + "-" + pick("0123456789abcdef", 32);
    }

    public String stripeRestricted() {
        return "rk" + "_live_" + alnum(99);
    }

    public String stripeWebhook() {
        return "wh" + "sec_" + alnum(32);
    }

    public String anthropicOauth() {
        return "sk-" + "ant-oat01-" + pick(ALNUM + "-_", 93) + "AA";
    }

    public String azureSharedAccessKey() {
        return pick(BASE64, 43) + "=";
    }

    public String hex(int n) {
        return pick("0123456789abcdef", n);
    }

    /** A strong password as people make them: letters, digits and a symbol or two. */
    public String password() {
        return pick("ABCDEFGHJKLMNPQRSTUVWXYZ", 2) + pick("abcdefghijkmnopqrstuvwxyz", 5) + digits(3) + pick("!#%&*+-=?@^_", 2)
                + pick("abcdefghijkmnopqrstuvwxyz", 3);
    }

    /** An OpenSSH private key block (random body of the right shape and length). */
    public String openSshKey() {
        StringBuilder b = new StringBuilder("-----BEGIN " + "OPENSSH PRIVATE KEY-----\n");
        String body = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW" + pick(BASE64, 330);
        for (int i = 0; i < body.length(); i += 70) {
            b.append(body, i, Math.min(body.length(), i + 70)).append('\n');
        }
        return b.append("-----END " + "OPENSSH PRIVATE KEY-----").toString();
    }

    public String digits(int n) {
        return pick("0123456789", n);
    }

    public String azureStorageKey() {
        return pick(BASE64, 86) + "==";
    }

    /** A real RSA private key in PKCS#8 PEM, 64 characters a line. */
    public static String pem() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(1024);
            byte[] der = g.generateKeyPair().getPrivate().getEncoded();
            String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
            return "-----BEGIN " + "PRIVATE KEY-----\n" + b64 + "\n-----END " + "PRIVATE KEY-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String jwt() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header = url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = url.encodeToString(("{\"sub\":\"user-" + digits(6) + "\",\"exp\":1893456000}").getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(alnum(32).getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            String sig = url.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
            return header + "." + payload + "." + sig;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Google service-account key file as it sits on disk (JSON, the key's newlines written as \n). */
    public String gcpServiceAccountJson() {
        String key = pem().replace("\n", "\\n");
        return "{\n  \"type\": \"service_account\",\n  \"project_id\": \"billing-prod-" + digits(4) + "\",\n"
                + "  \"private_key_id\": \"" + pick("0123456789abcdef", 40) + "\",\n"
                + "  \"private_key\": \"" + key + "\",\n"
                + "  \"client_email\": \"exporter@billing-prod.iam.gserviceaccount.com\",\n"
                + "  \"client_id\": \"" + digits(21) + "\",\n"
                + "  \"token_uri\": \"https://oauth2.googleapis.com/token\"\n}\n";
    }
}
