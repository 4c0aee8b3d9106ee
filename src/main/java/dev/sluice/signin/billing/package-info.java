/** The billing group named in request tags, and the body edit that removes tags before upstreams that reject them. */
package dev.sluice.signin.billing;
