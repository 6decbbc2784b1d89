package cn.chuanyu.contracts;

import java.util.List;

/**
 * Data of {@link EventTypes#EVIDENCE_SEALED}: the package is frozen; {@code manifestSha256} is the hex SHA-256 of
 * the manifest's canonical bytes, signed by the platform key {@code signingKeyId}.
 * <p>
 * In two-region mode the event of a package whose recipient is in the other region crosses the link and is all the
 * destination node gets before the content: so that event (and only that one; others are {@link #summary()}) carries the package's title and linked exchange, the exact
 * signed manifest ({@code manifest}, canonical JSON; {@code items} is the same list, readable), the signature
 * (base64) and the signing public key (PEM). Events written before that have these fields null.
 */
public record EvidenceSealed(String sealedBy, String manifestSha256, String signingKeyId, int itemCount,
        long totalBytes, String title, String caseTransferId, String assistanceRequestId, String sealedAt,
        List<EvidenceManifestItem> items, String manifest, String signature, String signingPublicKey) {

    /** The summary alone (what the event carried before two-region mode). */
    public EvidenceSealed(String sealedBy, String manifestSha256, String signingKeyId, int itemCount,
            long totalBytes) {
        this(sealedBy, manifestSha256, signingKeyId, itemCount, totalBytes, null, null, null, null, null, null, null,
                null);
    }

    /** This event without what only the recipient's node needs: what a package that stays on its node records. */
    public EvidenceSealed summary() {
        return new EvidenceSealed(sealedBy, manifestSha256, signingKeyId, itemCount, totalBytes);
    }
}
