/**
 * Route: picks the upstream for a request from the configured rules (first match on the model
 * name wins) and, when a rule renames the model, rewrites just those bytes of the body.
 */
package dev.sluice.route;
