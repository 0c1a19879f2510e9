package io.idw.core.audit;

import java.time.Instant;

/**
 * An {@link AuditEvent} as stored: its place in the chain ({@code sequence}, from 0), when it was
 * written, a random event id, the hash of the record before it, and its own hash.
 *
 * <p>{@code hash = SHA-256(canonical JSON of every other field)}, hex; the first record's {@code
 * prevHash} is 64 zeros.
 */
public record AuditRecord(long sequence, Instant time, String eventId, AuditEvent event,
    String prevHash, String hash) {}
