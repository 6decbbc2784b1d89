package cn.chuanyu.evidence.evidencepackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.contracts.EvidenceSealed;
import cn.chuanyu.kit.domain.RuleViolationException;
import org.junit.jupiter.api.Test;

/**
 * The recipient's node rebuilds a package sealed on the sender's node from its evidence.sealed event alone: the
 * manifest's canonical bytes must come out the same, SM3 digests included (found by the fault suite across the
 * border: with the SM2 suite on, every package crossing was refused as "does not match its items").
 */
class ReplicaTest {

    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00.123Z");
    private static final String SHA256 = "a".repeat(64);
    private static final String SM3 = "b".repeat(64);

    @Test
    void aReplicaOfItemsWithSm3HasTheSendersManifestBytes() {
        EvidenceSealed event = sealed(SM3);
        EvidencePackage.Replica replica = EvidencePackage.replica(packageId, "sc-chengdu-intermediate-court",
                "cq-first-intermediate-court", event, NOW, canonical -> true);
        assertThat(replica.items()).singleElement().satisfies(item -> assertThat(item.sm3()).isEqualTo(SM3));
    }

    @Test
    void aReplicaOfItemsWithoutSm3StillRebuilds() {
        EvidenceSealed event = sealed(null);
        EvidencePackage.replica(packageId, "sc-chengdu-intermediate-court", "cq-first-intermediate-court", event, NOW,
                canonical -> true);
    }

    @Test
    void aChangedDigestIsRefused() {
        EvidenceSealed event = sealed(SM3);
        EvidenceSealed changed = new EvidenceSealed(event.sealedBy(), event.manifestSha256(), event.signingKeyId(),
                event.itemCount(), event.totalBytes(), event.title(), event.caseTransferId(),
                event.assistanceRequestId(), event.sealedAt(), List.of(new cn.chuanyu.contracts.EvidenceManifestItem(
                        "note.txt", 5, "text/plain", SHA256, "c".repeat(64))), event.manifest(), event.signature(),
                event.signingPublicKey());
        assertThatThrownBy(() -> EvidencePackage.replica(packageId, "sc-chengdu-intermediate-court",
                "cq-first-intermediate-court", changed, NOW, canonical -> true))
                .isInstanceOf(RuleViolationException.class).hasMessageContaining("does not match");
    }

    private UUID packageId;

    /** A package sealed on the sender's node, with one item whose SM3 is {@code sm3}. */
    private EvidenceSealed sealed(String sm3) {
        EvidencePackage.Opened opened = EvidencePackage.open(new CreatePackage("证据", "cq-first-intermediate-court",
                null, null), "sc-chengdu-intermediate-court", NOW);
        packageId = opened.pkg().id();
        EvidenceItem item = new EvidenceItem(packageId, "note.txt", 5, SHA256, "text/plain",
                "sc-chengdu-intermediate-court", NOW, sm3);
        return opened.pkg().seal("sc-chengdu-intermediate-court", List.of(item), NOW,
                canonical -> new EvidencePackage.Signature("c2ln", "key", "pem")).event();
    }
}
