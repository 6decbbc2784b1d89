package cn.chuanyu.evidence.evidencepackage;

import java.util.UUID;

import cn.chuanyu.contracts.EventEnvelope;

/**
 * Published (in-process, inside the sealing transaction) when a package was sealed: unfinished uploads to it are
 * discarded after commit, and in two-region mode the node issues its SUBMISSION_ACCEPTED evidence over
 * {@code sealedEvent} (the evidence.sealed event as recorded).
 */
public record PackageSealedEvent(UUID packageId, EventEnvelope sealedEvent) {
}
