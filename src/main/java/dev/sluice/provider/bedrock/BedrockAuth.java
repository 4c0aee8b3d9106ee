package dev.sluice.provider.bedrock;

import java.util.Objects;

/** How the gateway proves itself to Bedrock: SigV4 with IAM keys, or a Bedrock API key sent as a bearer token. */
public sealed interface BedrockAuth {

    /** IAM credentials (long-term, or temporary with a session token). */
    record SigV4(String accessKeyId, String secretAccessKey, String sessionToken) implements BedrockAuth {
        public SigV4 {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        }

        @Override
        public String toString() {
            return "SigV4[accessKeyId=" + accessKeyId + ", secret=<redacted>]";
        }
    }

    /** A Bedrock API key: {@code Authorization: Bearer <key>}, no signing. */
    record ApiKey(String key) implements BedrockAuth {
        public ApiKey {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String toString() {
            return "ApiKey[<redacted>]";
        }
    }
}
