package cn.chuanyu.audit.bundle;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * Everything needed to prove one exchange's audit trail offline ({@code application/vnd.chuanyu.proof-bundle+json}).
 * The verifier trusts none of it by itself: every claim is checked against keys the user configured.
 */
@Schema(description = "A proof bundle: one exchange's audit entries, each proven by inclusion in one published "
        + "checkpoint, with that checkpoint's signatures and, where they exist, the sealed evidence manifest and the "
        + "delivery evidences. Check it offline with `bin/chuanyu-verify verify-bundle`.")
public record ProofBundle(
        @Schema(description = "Format version of this document; 1. A verifier refuses a version it does not know.",
                example = "1")
        int bundleVersion,
        @Schema(description = "The exchange (case transfer, assistance request or evidence package id) every entry "
                + "belongs to; the verifier checks each entry's canonical exchangeId against it.")
        String exchangeId,
        @Schema(description = "When audit-service assembled the bundle (informational, not signed).")
        Instant generatedAt,
        @Schema(description = "The exchange's entries the caller may see that the checkpoint covers, in log order.")
        List<Entry> entries,
        @Schema(description = "The published checkpoint (C2SP tlog-checkpoint signed note) every proof is against: "
                + "origin, tree size and base64 root hash, a blank line, the log's Ed25519 signature line and any "
                + "further signature lines (witness cosignatures, SM2).")
        String checkpoint,
        @Schema(description = "One inclusion proof per entry, all against the checkpoint's tree size.")
        List<Proof> proofs,
        @Schema(description = "Verifier keys, for information only: a verifier must take the keys it trusts from "
                + "its own configuration, never from the bundle.")
        Keys keys,
        @Schema(description = "Entries of the exchange the caller may see that were recorded after the checkpoint "
                + "(or have no leaf yet): not in this bundle; fetch it again once a newer checkpoint is published.")
        int pendingEntries,
        @Schema(description = "When the exchange is an evidence package and it is sealed: the manifest as "
                + "`GET /api/v1/evidence-packages/{id}/manifest` returns it (its canonical text, sha256, Ed25519 "
                + "signature by the evidence signing key, key id and public key). Null otherwise or when it could "
                + "not be fetched (then `omissions` says why).", nullable = true)
        JsonNode manifest,
        @Schema(description = "The exchange's delivery evidences (signed notes by the nodes that handled it) as "
                + "`GET /api/v1/{case-transfers|assistance-requests|evidence-packages}/{id}/evidences` returns "
                + "them; empty when there are none or they could not be fetched (then `omissions` says why).")
        List<JsonNode> deliveryEvidences,
        @Schema(description = "What this bundle lacks and why, in plain words (e.g. the manifest could not be "
                + "fetched); empty when nothing is missing.")
        List<String> omissions) {

    /** The media type of a bundle. */
    public static final String MEDIA_TYPE = "application/vnd.chuanyu.proof-bundle+json";

    public static final int VERSION = 1;

    @Schema(description = "One audit entry, as hashed into its Merkle leaf.")
    public record Entry(
            @Schema(description = "The entry's number in the trail.") long seq,
            @Schema(description = "Its leaf index in the log (the proof's leafIndex).") long leafIndex,
            @Schema(description = "The event type, for reading; the verifier reads it from `canonical`.")
            String type,
            @Schema(description = "Base64 of the entry's canonical bytes (CanonicalEntry v1, UTF-8 JSON): exactly "
                    + "the bytes its leaf hashes, SHA-256(0x00 || bytes).") String canonical) {
    }

    @Schema(description = "RFC 9162 inclusion proof of one entry.")
    public record Proof(
            @Schema(description = "The entry's leaf index.") long leafIndex,
            @Schema(description = "The tree size it proves against: the checkpoint's.") long treeSize,
            @Schema(description = "The audit path, base64 SHA-256 hashes from the leaf's sibling upwards "
                    + "(RFC 9162 §2.1.3).") List<String> inclusionPath) {
    }

    @Schema(description = "Verifier keys, informational only.")
    public record Keys(
            @Schema(description = "The log's note verifier key: name+hex key id+base64(0x01 || Ed25519 key).")
            String log,
            @Schema(description = "The configured witnesses' cosignature verifier keys: "
                    + "name+hex key id+base64(0x04 || Ed25519 key).") List<String> witnesses) {
    }
}
