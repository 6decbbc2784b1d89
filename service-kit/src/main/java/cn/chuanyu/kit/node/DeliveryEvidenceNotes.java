package cn.chuanyu.kit.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.note.NoteVerifier;

/**
 * Delivery evidences (after ETSI REM / e-CODEX): a C2SP signed note by the issuing node stating that something
 * happened to an exchange, with the digest of the exchange's content, so the other region can hold it as proof.
 * The text format is in docs/two-regions.md.
 */
public final class DeliveryEvidenceNotes {

    public static final String HEADER = "chuanyu.exchange/delivery-evidence/v1";

    /** The evidence types, in the order of an exchange's journey. */
    public enum Type {
        SUBMISSION_ACCEPTED, RELAY_ACCEPTED, DELIVERED, RETRIEVED, RELAY_FAILED, NON_DELIVERY
    }

    /** One evidence as the API shows it. */
    public record Evidence(String type, String exchangeId, String issuer, Instant time, String note) {
    }

    /** What a note states, read back from its text. */
    public record Statement(Type type, String exchangeId, String issuer, Instant time, String contentDigest) {
    }

    private final NodeIdentity node;

    public DeliveryEvidenceNotes(NodeIdentity node) {
        this.node = node;
    }

    /** Issues an evidence as this node. {@code contentDigest} comes from {@link #contentDigest}. */
    public Evidence issue(Type type, String exchangeId, Instant time, String contentDigest) {
        Instant at = time.truncatedTo(ChronoUnit.MICROS);
        String issuer = node.signer().name();
        String text = HEADER + "\n"
                + "type " + type.name() + "\n"
                + "exchange " + exchangeId + "\n"
                + "issuer " + issuer + "\n"
                + "time " + at + "\n"
                + "content " + contentDigest + "\n";
        return new Evidence(type.name(), exchangeId, issuer, at, node.signer().sign(text));
    }

    /**
     * Checks an evidence against the verifier key of the node that claims to have issued it and returns what it
     * states; the fields beside the note must agree with the signed text.
     *
     * @throws NoteVerifier.InvalidNoteException if the signature or the text does not hold
     */
    public static Statement verify(Evidence evidence, NoteVerifier issuerKey) {
        String text = issuerKey.verify(evidence.note());
        String[] lines = text.split("\n");
        if (lines.length != 6 || !lines[0].equals(HEADER)) {
            throw new NoteVerifier.InvalidNoteException("not a delivery evidence note");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int space = lines[i].indexOf(' ');
            if (space < 1) {
                throw new NoteVerifier.InvalidNoteException("malformed evidence line: " + lines[i]);
            }
            fields.put(lines[i].substring(0, space), lines[i].substring(space + 1));
        }
        Statement statement;
        try {
            statement = new Statement(Type.valueOf(fields.get("type")), fields.get("exchange"), fields.get("issuer"),
                    Instant.parse(fields.get("time")), fields.get("content"));
        }
        catch (RuntimeException ex) {
            throw new NoteVerifier.InvalidNoteException("malformed evidence note: " + ex.getMessage());
        }
        if (!statement.type().name().equals(evidence.type()) || !statement.exchangeId().equals(evidence.exchangeId())
                || !statement.issuer().equals(evidence.issuer()) || !statement.time().equals(evidence.time())) {
            throw new NoteVerifier.InvalidNoteException("the evidence's fields differ from its signed text");
        }
        return statement;
    }

    /**
     * {@code sha256:<base64>} of the exchange's canonical content: the JSON object {@code {"data", "fromAgency",
     * "subject", "toAgency", "type"}} of its submission event with every object's keys sorted, no whitespace.
     * Both nodes compute it from the event they hold, so a relayed copy that differs is caught.
     */
    public static String contentDigest(String type, String subject, String fromAgency, String toAgency,
            Map<String, ?> data) {
        Map<String, Object> content = new TreeMap<>();
        content.put("data", sorted(data));
        content.put("fromAgency", fromAgency);
        content.put("subject", subject);
        content.put("toAgency", toAgency);
        content.put("type", type);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.writeValue(content).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + Base64.getEncoder().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
            return out;
        }
        if (value instanceof java.util.List<?> list) {
            return list.stream().map(DeliveryEvidenceNotes::sorted).toList();
        }
        return value;
    }
}
