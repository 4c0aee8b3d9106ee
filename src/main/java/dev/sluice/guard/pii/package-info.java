/**
 * Personal-data detectors, off unless a tenant's policy turns them on: email addresses, phone numbers, US SSNs,
 * payment cards (Luhn), IBANs (mod-97) and public IPv4 addresses, found in one pass over each string.
 */
package dev.sluice.guard.pii;
