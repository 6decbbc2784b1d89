package cn.chuanyu.kit.node;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import cn.chuanyu.kit.note.NoteVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryEvidenceNotesTest {

    @TempDir
    Path dir;

    private NodeIdentity node(String name) {
        return new NodeIdentity(new NodeProperties("", name, dir.resolve(name + ".key"), "",
                new NodeProperties.Peer("", "", "", "", "")));
    }

    @Test
    void anEvidenceVerifiesWithItsIssuersKeyOnlyAndStatesWhatWasSigned() {
        NodeIdentity cq = node("cq.chuanyu.local");
        String digest = DeliveryEvidenceNotes.contentDigest("case-transfer.submitted", "id-1", "SC-A", "CQ-B",
                Map.of("title", "t"));
        DeliveryEvidenceNotes.Evidence evidence = new DeliveryEvidenceNotes(cq)
                .issue(DeliveryEvidenceNotes.Type.RELAY_ACCEPTED, "id-1", Instant.parse("2026-12-02T03:04:05.1234567Z"),
                        digest);
        assertThat(evidence.note()).startsWith(DeliveryEvidenceNotes.HEADER + "\ntype RELAY_ACCEPTED\nexchange id-1\n"
                + "issuer cq.chuanyu.local\ntime 2026-12-02T03:04:05.123456Z\ncontent " + digest + "\n\n\u2014 ");
        DeliveryEvidenceNotes.Statement statement = DeliveryEvidenceNotes.verify(evidence,
                NoteVerifier.of(cq.signer().verifierKey()));
        assertThat(statement.contentDigest()).isEqualTo(digest);
        assertThatThrownBy(() -> DeliveryEvidenceNotes.verify(evidence,
                NoteVerifier.of(node("sc.chuanyu.local").signer().verifierKey())))
                .isInstanceOf(NoteVerifier.InvalidNoteException.class);
        DeliveryEvidenceNotes.Evidence relabelled = new DeliveryEvidenceNotes.Evidence("RETRIEVED",
                evidence.exchangeId(), evidence.issuer(), evidence.time(), evidence.note());
        assertThatThrownBy(() -> DeliveryEvidenceNotes.verify(relabelled, NoteVerifier.of(cq.signer().verifierKey())))
                .isInstanceOf(NoteVerifier.InvalidNoteException.class);
    }

    @Test
    void theContentDigestIgnoresKeyOrderButNotValues() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("title", "t");
        a.put("nested", Map.of("x", 1, "y", 2));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("nested", new java.util.TreeMap<>(Map.of("y", 2, "x", 1)));
        b.put("title", "t");
        String digestA = DeliveryEvidenceNotes.contentDigest("t", "s", "f", "to", a);
        assertThat(DeliveryEvidenceNotes.contentDigest("t", "s", "f", "to", b)).isEqualTo(digestA);
        b.put("title", "T");
        assertThat(DeliveryEvidenceNotes.contentDigest("t", "s", "f", "to", b)).isNotEqualTo(digestA);
    }
}
