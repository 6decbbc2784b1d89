package cn.chuanyu.client;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import cn.chuanyu.client.audit.AuditProofs;
import tools.jackson.databind.JsonNode;

/** The audit trail: {@code /api/v1/audit}, and offline checks of its proofs ({@link AuditProofs}). */
public final class Audit {

    /** What {@link #verifyEntry} checked, and the texts it checked, to keep as evidence. */
    public record EntryVerification(long seq, String verdict, String key, String checkpoint, String entryJson,
            String proofJson) {
    }

    private static final String BASE = "api/v1/audit/";
    private final Transport transport;

    Audit(Transport transport) {
        this.transport = transport;
    }

    /** Filters: exchangeId, caseNumber, agency, type, from, to, correlationId, limit, cursor (null: not used). */
    public JsonNode entries(Map<String, String> filters) {
        return transport.json("GET", BASE + "entries" + Transport.query(filters), null, Map.of()).json();
    }

    public JsonNode entry(long seq) {
        return transport.json("GET", BASE + "entries/" + seq, null, Map.of()).json();
    }

    public String entryJson(long seq) {
        return text("entries/" + seq);
    }

    /** The note verifier key {@code <name>+<key id>+<key>}. Pin it rather than fetch it for every check. */
    public String publicKey() {
        return text("public-key").strip();
    }

    /** The signed checkpoint note; fresh: signed now rather than the head signed every few seconds. */
    public String checkpoint(boolean fresh) {
        return text("checkpoint" + (fresh ? "?fresh=true" : ""));
    }

    public String inclusionProofJson(long seq, long treeSize) {
        return text("proofs/inclusion" + Transport.query(Map.of("seq", seq, "treeSize", treeSize)));
    }

    public String consistencyProofJson(long from, long to) {
        return text("proofs/consistency" + Transport.query(Map.of("from", from, "to", to)));
    }

    /**
     * Fetches entry {@code seq}, a fresh checkpoint and the inclusion proof for its size, and checks them offline
     * against {@code pinnedKey} (null: the key the server publishes now, which proves less).
     */
    public EntryVerification verifyEntry(long seq, String pinnedKey) throws AuditProofs.InvalidProof {
        String key = pinnedKey != null ? pinnedKey.strip() : publicKey();
        String checkpoint = checkpoint(true);
        long size = Long.parseLong(checkpoint.split("\n")[1].strip());
        String entry = entryJson(seq);
        String proof = inclusionProofJson(seq, size);
        String verdict = AuditProofs.inclusion(key, checkpoint, entry, proof);
        return new EntryVerification(seq, verdict, key, checkpoint, entry, proof);
    }

    /** The proof bundle of one exchange ({@code application/vnd.chuanyu.proof-bundle+json}), as served. */
    public String bundleJson(String exchangeId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/vnd.chuanyu.proof-bundle+json, application/json");
        return new String(transport.json("GET", BASE + "bundles/" + java.net.URLEncoder.encode(exchangeId,
                StandardCharsets.UTF_8), null, headers).body(), StandardCharsets.UTF_8);
    }

    private String text(String path) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "*/*");
        return new String(transport.json("GET", BASE + path, null, headers).body(), StandardCharsets.UTF_8);
    }
}
