package cn.chuanyu.evidence.evidencepackage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON shapes of the evidence-package API. */
final class Responses {

    private Responses() {
    }

    record ItemResponse(String name, long size, String sha256, String contentType, String sm3) {

        static ItemResponse of(EvidenceItem item) {
            return new ItemResponse(item.name(), item.size(), item.sha256(), item.contentType(), item.sm3());
        }
    }

    record ReceiptSummary(Instant at, String result) {
    }

    record PackageResponse(UUID id, String title, PackageState state, String fromAgency, String toAgency,
            UUID caseTransferId, UUID assistanceRequestId, Instant createdAt, Instant updatedAt, Instant sealedAt,
            String manifestSha256, int itemCount, long totalBytes, List<ItemResponse> items,
            ReceiptSummary lastReceipt) {

        static PackageResponse of(EvidencePackage p, List<EvidenceItem> items) {
            return new PackageResponse(p.id(), p.title(), p.state(), p.fromAgency(), p.toAgency(),
                    p.caseTransferId(), p.assistanceRequestId(), p.createdAt(), p.updatedAt(),
                    p.seal() == null ? null : p.seal().sealedAt(), p.seal() == null ? null : p.seal().manifestSha256(),
                    items.size(), items.stream().mapToLong(EvidenceItem::size).sum(),
                    items.stream().map(ItemResponse::of).toList(),
                    p.lastReceipt() == null ? null : new ReceiptSummary(p.lastReceipt().at(), p.lastReceipt().result()));
        }
    }

    record PackageSummary(UUID id, String title, PackageState state, String fromAgency, String toAgency,
            UUID caseTransferId, UUID assistanceRequestId, Instant createdAt, Instant updatedAt, Instant sealedAt,
            String manifestSha256, int itemCount, long totalBytes) {

        static PackageSummary of(ListedPackage listed) {
            EvidencePackage p = listed.pkg();
            return new PackageSummary(p.id(), p.title(), p.state(), p.fromAgency(), p.toAgency(), p.caseTransferId(),
                    p.assistanceRequestId(), p.createdAt(), p.updatedAt(),
                    p.seal() == null ? null : p.seal().sealedAt(), p.seal() == null ? null : p.seal().manifestSha256(),
                    listed.itemCount(), listed.totalBytes());
        }
    }

    /**
     * A sealed manifest: {@code canonical} is the exact text whose UTF-8 bytes were hashed ({@code sha256}, hex) and
     * signed ({@code signature}, base64 Ed25519, checkable with {@code signingPublicKeyPem}); {@code manifest} is the
     * same, parsed. While the SM2 suite is on, {@code signatureSm2} is the DER SM2 signature (SM3, user id
     * 1234567812345678; base64) of the same bytes, checkable with {@code signingPublicKeySm2Pem}; null otherwise.
     */
    record ManifestResponse(UUID packageId, JsonNode manifest, String canonical, String canonicalization,
            String sha256, String signatureAlgorithm, String signature, String signingKeyId,
            String signingPublicKeyPem, String signatureSm2, String signingPublicKeySm2Pem) {

        /** {@code manifest} parsed from the sealed canonical text, which is kept byte for byte. */
        static ManifestResponse of(EvidencePackage p, JsonMapper json) {
            EvidencePackage.Seal s = p.seal();
            return new ManifestResponse(p.id(), json.readTree(s.manifest()), s.manifest(), "RFC 8785 (JCS), UTF-8",
                    s.manifestSha256(), "Ed25519", s.signature(), s.signingKeyId(), s.signingPublicKey(),
                    s.signatureSm2(), s.signingPublicKeySm2());
        }
    }

    record ItemCheck(String name, long size, String sha256, String status, String actualSha256) {
    }

    record ReceiptResponse(UUID packageId, String manifestSha256, String result, Instant checkedAt,
            List<ItemCheck> items) {

        static ReceiptResponse of(ReceiptCheck check) {
            return new ReceiptResponse(check.packageId(), check.manifestSha256(), check.result(), check.checkedAt(),
                    check.items().stream().map(c -> new ItemCheck(c.name(), c.size(), c.sha256(), c.status(),
                            c.actualSha256())).toList());
        }
    }
}
