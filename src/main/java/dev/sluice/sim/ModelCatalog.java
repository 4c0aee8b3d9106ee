package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The models the simulator lists, newest first, from the classpath file {@value #RESOURCE}, with the
 * real API's cursor paging ({@code limit}, {@code after_id}, {@code before_id}).
 */
final class ModelCatalog {

    static final String RESOURCE = "/sim/models.json";
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 1_000;

    private final List<ObjectNode> models;

    ModelCatalog(List<ObjectNode> models) {
        this.models = List.copyOf(models);
    }

    static ModelCatalog load() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("model catalog " + RESOURCE + " is missing from the classpath");
            }
            List<ObjectNode> models = new ArrayList<>();
            for (JsonNode entry : SimJson.MAPPER.readTree(in)) {
                ObjectNode model = SimJson.object().put("type", "model");
                for (String field : List.of("id", "display_name", "created_at")) {
                    if (!entry.path(field).isTextual()) {
                        throw new IllegalStateException(RESOURCE + ": entry " + entry + " lacks string field " + field);
                    }
                    model.put(field, entry.get(field).asText());
                }
                models.add(model);
            }
            return new ModelCatalog(models);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model catalog " + RESOURCE, e);
        }
    }

    int size() {
        return models.size();
    }

    /** The model with this id, or null. */
    ObjectNode find(String id) {
        int index = indexOf(id);
        return index < 0 ? null : models.get(index);
    }

    /**
     * One page of the list.
     *
     * @param afterId  return models after this one (null for none)
     * @param beforeId return models before this one (null for none)
     */
    ObjectNode page(int limit, String afterId, String beforeId) {
        int from;
        int to;
        boolean hasMore;
        if (beforeId != null) {
            to = existingIndex(beforeId, "before_id");
            from = Math.max(0, to - limit);
            hasMore = from > 0;
        } else {
            from = afterId == null ? 0 : existingIndex(afterId, "after_id") + 1;
            to = Math.min(models.size(), from + limit);
            hasMore = to < models.size();
        }
        ObjectNode page = SimJson.object();
        ArrayNode data = page.putArray("data");
        models.subList(from, to).forEach(data::add);
        page.put("has_more", hasMore);
        if (from < to) {
            page.put("first_id", models.get(from).get("id").asText()).put("last_id", models.get(to - 1).get("id").asText());
        } else {
            page.putNull("first_id").putNull("last_id");
        }
        return page;
    }

    private int existingIndex(String id, String parameter) {
        int index = indexOf(id);
        if (index < 0) {
            throw ApiException.invalidRequest(parameter + ": '" + id + "' is not a listed model id");
        }
        return index;
    }

    private int indexOf(String id) {
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).get("id").asText().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
