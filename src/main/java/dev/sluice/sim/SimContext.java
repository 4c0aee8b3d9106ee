package dev.sluice.sim;

/**
 * State shared by every verticle instance of one {@link SimServer}.
 *
 * @param options        how the server behaves
 * @param recorder       what it received and billed
 * @param promptCache    prompt-cache memory, per upstream key
 * @param models         the model catalog served at {@code /v1/models}
 * @param organizationId value of the {@code anthropic-organization-id} header
 * @param providers      state of the other providers' wires (OAuth tokens issued)
 */
record SimContext(SimOptions options, SimRecorder recorder, PromptCache promptCache, ModelCatalog models,
                  String organizationId, ProviderState providers) {

    SimContext(SimOptions options, SimRecorder recorder, PromptCache promptCache, ModelCatalog models, String organizationId) {
        this(options, recorder, promptCache, models, organizationId, new ProviderState());
    }
}
