package dev.sluice.admin;

import java.util.Map;

/** A successful admin answer, built on a worker thread and sent from the event loop. */
record Reply(int status, String contentType, String body, Map<String, String> headers) {

    static Reply json(int status, String json) {
        return new Reply(status, "application/json", json, Map.of());
    }

    static Reply csv(String text, String fileName) {
        return new Reply(200, "text/csv; charset=utf-8", text,
                Map.of("content-disposition", "attachment; filename=\"" + fileName + "\""));
    }
}
