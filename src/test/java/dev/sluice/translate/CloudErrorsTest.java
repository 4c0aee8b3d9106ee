package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CloudErrorsTest {
    @Test
    void accountDetailsAreNeverRelayed() {
        for (String leaky : new String[] {
                "User: arn:aws:iam::123456789012:user/gw is not authorized",
                "Account 123456789012 has no access to the model",
                "Permission denied on resource project my-prod-project",
                "Caller does not have permission on projects/4711/locations/us-east5",
                "The security token AKIAIOSFODNN7EXAMPLE is invalid",
                "sa sluice@acme.iam.gserviceaccount.com lacks aiplatform.endpoints.predict"}) {
            assertThat(CloudErrors.clientMessage("Bedrock", "permission_error", leaky)).as(leaky)
                    .isEqualTo("Bedrock denied access to the model for the gateway's account");
        }
    }

    @Test
    void promptTooLongFamilyAndHarmlessMessagesPass() {
        assertThat(CloudErrors.clientMessage("Bedrock", "invalid_request_error", "Input is too long for requested model."))
                .isEqualTo("Input is too long.");
        assertThat(CloudErrors.clientMessage("Vertex AI", "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum"))
                .isEqualTo("prompt is too long: 210000 tokens > 200000 maximum");
        assertThat(CloudErrors.clientMessage("Bedrock", "invalid_request_error", "max_tokens: Field required"))
                .isEqualTo("max_tokens: Field required");
        assertThat(CloudErrors.clientMessage("Bedrock", "api_error", null)).isEqualTo("Bedrock failed to serve the request");
        assertThat(CloudErrors.clientMessage("Bedrock", "api_error", "x".repeat(5000))).hasSize(2003);
    }
}
