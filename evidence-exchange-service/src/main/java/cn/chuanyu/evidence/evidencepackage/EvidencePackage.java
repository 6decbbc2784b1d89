package cn.chuanyu.evidence.evidencepackage;

import java.time.Instant;
import java.util.UUID;

import cn.chuanyu.kit.identity.AccessDeniedException;
import cn.chuanyu.kit.domain.StateConflictException;
import cn.chuanyu.kit.domain.RuleViolationException;

/** A package of evidence on its way from one agency to another; it decides who may do what in which state. */
record EvidencePackage(
        UUID id,
        String title,
        String fromAgency,
        String toAgency,
        PackageState state,
        UUID caseTransferId,
        UUID assistanceRequestId,
        Instant createdAt,
        Instant updatedAt,
        Seal seal,
        Receipt lastReceipt,
        int version) {

    /** What sealing fixed: the exact signed manifest bytes and the key that signed them. */
    record Seal(Instant sealedAt, String manifest, String manifestSha256, String signature, String signingKeyId,
            String signingPublicKey) {
    }

    record Receipt(Instant at, String result) {
    }

    static EvidencePackage open(CreatePackageRequest request, String sender, Instant now) {
        if (request.toAgency().equals(sender)) {
            throw new RuleViolationException("toAgency", "an agency cannot send evidence to itself");
        }
        if (request.caseTransferId() != null && request.assistanceRequestId() != null) {
            throw new RuleViolationException("assistanceRequestId",
                    "a package belongs to one exchange: give caseTransferId or assistanceRequestId, not both");
        }
        return new EvidencePackage(UUID.randomUUID(), request.title().strip(), sender, request.toAgency(),
                PackageState.OPEN, request.caseTransferId(), request.assistanceRequestId(), now, now, null, null, 0);
    }

    /** The sender always; the recipient once the package is sealed (delivered); nobody else, ever. */
    boolean visibleTo(String agency) {
        return fromAgency.equals(agency) || (toAgency.equals(agency) && state == PackageState.SEALED);
    }

    void requireSender(String agency, String action) {
        if (!fromAgency.equals(agency)) {
            throw new AccessDeniedException("only the sending agency (" + fromAgency + ") may " + action);
        }
    }

    void requireRecipient(String agency, String action) {
        if (!toAgency.equals(agency)) {
            throw new AccessDeniedException("only the receiving agency (" + toAgency + ") may " + action);
        }
    }

    void requireOpen(String action) {
        if (state != PackageState.OPEN) {
            throw new StateConflictException("the package is " + state + ": " + action + " only while it is OPEN",
                    state.name());
        }
    }

    void requireSealed(String what) {
        if (state != PackageState.SEALED) {
            throw new StateConflictException("the package is " + state + ": " + what + " exists once it is SEALED",
                    state.name());
        }
    }

    EvidencePackage sealed(Seal seal) {
        requireOpen("sealing");
        return new EvidencePackage(id, title, fromAgency, toAgency, PackageState.SEALED, caseTransferId,
                assistanceRequestId, createdAt, seal.sealedAt(), seal, lastReceipt, version + 1);
    }
}
