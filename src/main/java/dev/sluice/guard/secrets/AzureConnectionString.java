package dev.sluice.guard.secrets;

import dev.sluice.guard.Rule;
import dev.sluice.guard.Severity;
import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Examples;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.util.List;

/**
 * The key inside an Azure connection string: {@code AccountKey=} of a storage account (88 base64
 * characters) and {@code SharedAccessKey=} of Service Bus, Event Hubs and IoT Hub (44). The storage
 * emulator's published key (devstoreaccount1) is an example, not a secret.
 */
public final class AzureConnectionString implements Detector {
    static final Rule STORAGE = Rule.secret("azure-storage-key", Severity.CRITICAL, "An Azure storage account key in a connection string");
    static final Rule SHARED_ACCESS = Rule.secret("azure-shared-access-key", Severity.CRITICAL,
            "An Azure Service Bus / Event Hubs / IoT Hub shared access key in a connection string");

    @Override
    public List<Rule> rules() {
        return List.of(STORAGE, SHARED_ACCESS);
    }

    @Override
    public List<Keyword> keywords() {
        return List.of(Keyword.of("accountkey="), Keyword.of("sharedaccesskey="));
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        int valueEnd = Chars.run(t, end, 200, c -> Chars.base64(c) || c == '=');
        int length = valueEnd - end;
        boolean storage = keyword == 0;
        if (storage ? length < 80 : length < 40) {
            return valueEnd;
        }
        if (!Examples.known(t, end, valueEnd) && Tokens.random(t, end, valueEnd, 4.0)) {
            out.report(t, storage ? STORAGE : SHARED_ACCESS, end, valueEnd);
        }
        return valueEnd;
    }
}
