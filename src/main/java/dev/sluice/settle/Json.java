package dev.sluice.settle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;

/** The one shared, thread-safe parser factory for usage extraction. */
final class Json {

    /**
     * Response bodies can be large (the Messages API caps requests at 32 MB and a response may echo big
     * tool inputs), so the string-length limit is raised above Jackson's 20 M default; we only skip those
     * strings, never keep them.
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(64 * 1024 * 1024).build())
            .build();

    private Json() {
    }
}
