/**
 * Authenticate: turns the caller's credential ({@code Authorization: Bearer} or {@code x-api-key})
 * into an {@link dev.sluice.pipeline.Identity}, with the request's own tags
 * ({@code x-sluice-tag-<name>} headers) merged in. Credentials never go further than this stage.
 */
package dev.sluice.authenticate;
