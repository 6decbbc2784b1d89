package cn.chuanyu.evidence.evidencepackage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.contracts.EvidenceItemAdded;
import cn.chuanyu.contracts.EvidenceManifestItem;
import cn.chuanyu.contracts.EvidencePackageCreated;
import cn.chuanyu.contracts.EvidenceSealed;
import cn.chuanyu.evidence.storage.Sha256;
import cn.chuanyu.kit.domain.DomainModel;
import cn.chuanyu.kit.domain.NotPermittedException;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.domain.StateConflictException;

/**
 * A package of evidence on its way from one agency to another; it decides who may do what in which state. Each
 * change takes a command and answers the new state with the event the chain of custody records.
 */
@DomainModel
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
            String signingPublicKey, String signatureSm2, String signingPublicKeySm2) {

        Seal(Instant sealedAt, String manifest, String manifestSha256, String signature, String signingKeyId,
                String signingPublicKey) {
            this(sealedAt, manifest, manifestSha256, signature, signingKeyId, signingPublicKey, null, null);
        }
    }

    record Receipt(Instant at, String result) {
    }

    /** Signs a seal's canonical manifest bytes; the platform's evidence key, in production. */
    interface Signer {
        Signature sign(byte[] canonical);
    }

    /** The Ed25519 signature and, while the SM2 suite is on, the DER SM2 signature (base64) and its key (PEM). */
    record Signature(String base64, String keyId, String publicKeyPem, String sm2Base64, String sm2PublicKeyPem) {

        Signature(String base64, String keyId, String publicKeyPem) {
            this(base64, keyId, publicKeyPem, null, null);
        }
    }

    record Opened(EvidencePackage pkg, EvidencePackageCreated event) {
    }

    record ItemAdded(EvidenceItem item, EvidenceItemAdded event) {
    }

    record Sealed(EvidencePackage pkg, EvidenceSealed event) {
    }

    static Opened open(CreatePackage request, String sender, Instant now) {
        if (request.toAgency().equals(sender)) {
            throw new RuleViolationException("toAgency", "an agency cannot send evidence to itself");
        }
        if (request.caseTransferId() != null && request.assistanceRequestId() != null) {
            throw new RuleViolationException("assistanceRequestId",
                    "a package belongs to one exchange: give caseTransferId or assistanceRequestId, not both");
        }
        EvidencePackage opened = new EvidencePackage(UUID.randomUUID(), request.title().strip(), sender,
                request.toAgency(), PackageState.OPEN, request.caseTransferId(), request.assistanceRequestId(), now,
                now, null, null, 0);
        return new Opened(opened, new EvidencePackageCreated(opened.title, sender, string(opened.caseTransferId),
                string(opened.assistanceRequestId)));
    }

    /** The sender adds (or, {@code replacing} one of that name, replaces) an item while the package is OPEN. */
    ItemAdded addItem(AddItem command, String agency, boolean replacing, Instant now) {
        requireSender(agency, "add items");
        requireOpen("items can be added");
        String problem = FileNames.problem(command.name());
        if (problem != null) {
            throw new RuleViolationException(FileNames.FIELD, problem);
        }
        EvidenceItem item = new EvidenceItem(id, command.name(), command.size(), command.sha256(),
                command.contentType(), agency, now, command.sm3());
        return new ItemAdded(item, new EvidenceItemAdded(item.name(), item.size(), item.sha256(), item.contentType(),
                agency, command.method(), replacing));
    }

    /** The sender always; the recipient once the package is sealed (delivered); nobody else, ever. */
    boolean visibleTo(String agency) {
        return fromAgency.equals(agency) || (toAgency.equals(agency) && state == PackageState.SEALED);
    }

    void requireSender(String agency, String action) {
        if (!fromAgency.equals(agency)) {
            throw new NotPermittedException("only the sending agency (" + fromAgency + ") may " + action);
        }
    }

    void requireRecipient(String agency, String action) {
        if (!toAgency.equals(agency)) {
            throw new NotPermittedException("only the receiving agency (" + toAgency + ") may " + action);
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

    /** The sender freezes the package: a signed manifest of its (at least one) items. */
    Sealed seal(String agency, List<EvidenceItem> items, Instant now, Signer signer) {
        requireSender(agency, "seal the package");
        requireOpen("sealing is possible");
        if (items.isEmpty()) {
            throw new StateConflictException("an empty package cannot be sealed: add at least one item", state.name());
        }
        if (items.stream().map(EvidenceItem::name).distinct().count() != items.size()) {
            // Names are unique per package in storage; a manifest naming one twice would be ambiguous.
            throw new StateConflictException("two items share a name", state.name());
        }
        Manifest manifest = new Manifest(id, fromAgency, toAgency, items.stream()
                .map(i -> new Manifest.Item(i.name(), i.size(), i.sha256(), i.contentType(), i.sm3())).toList(), now);
        byte[] canonical = manifest.canonicalBytes();
        String sha256 = Sha256.hexOf(canonical);
        Signature signature = signer.sign(canonical);
        Seal seal = new Seal(manifest.sealedAt(), manifest.canonicalJson(), sha256, signature.base64(),
                signature.keyId(), signature.publicKeyPem(), signature.sm2Base64(), signature.sm2PublicKeyPem());
        EvidencePackage sealed = new EvidencePackage(id, title, fromAgency, toAgency, PackageState.SEALED,
                caseTransferId, assistanceRequestId, createdAt, seal.sealedAt(), seal, lastReceipt, version + 1);
        // Everything the recipient's node needs to hold the package without asking this node (two regions).
        return new Sealed(sealed, new EvidenceSealed(agency, sha256, signature.keyId(), items.size(),
                items.stream().mapToLong(EvidenceItem::size).sum(), title, string(caseTransferId),
                string(assistanceRequestId), manifest.sealedAt().toString(), manifest.items().stream()
                        .map(i -> new EvidenceManifestItem(i.name(), i.size(), i.contentType(), i.sha256(), i.sm3()))
                        .toList(), seal.manifest(), signature.base64(), signature.publicKeyPem()));
    }

    /** The recipient's node's copy of a package sealed on the sender's node, and its items. */
    record Replica(EvidencePackage pkg, List<EvidenceItem> items) {
    }

    /**
     * Rebuilds a package sealed on the other region's node from its evidence.sealed event: the manifest it carries
     * must be exactly the canonical form of its items, hash to {@code manifestSha256} and verify under the signing
     * key it names ({@code signatureValid}), or the replica is refused. It starts RELAYING: content follows.
     */
    static Replica replica(UUID id, String fromAgency, String toAgency, EvidenceSealed sealed, Instant receivedAt,
            java.util.function.Predicate<byte[]> signatureValid) {
        if (sealed.manifest() == null || sealed.items() == null || sealed.items().isEmpty()
                || sealed.signature() == null || sealed.sealedAt() == null) {
            throw new RuleViolationException("manifest", "the sealed event carries no manifest to relay");
        }
        Instant sealedAt = Instant.parse(sealed.sealedAt());
        Manifest manifest = new Manifest(id, fromAgency, toAgency, sealed.items().stream()
                .map(i -> new Manifest.Item(i.name(), i.size(), i.sha256(), i.contentType(), i.sm3())).toList(), sealedAt);
        byte[] canonical = manifest.canonicalBytes();
        if (!manifest.canonicalJson().equals(sealed.manifest())
                || !Sha256.hexOf(canonical).equals(sealed.manifestSha256())) {
            throw new RuleViolationException("manifest", "the manifest does not match its items or its digest");
        }
        if (!signatureValid.test(canonical)) {
            throw new RuleViolationException("signature", "the manifest's signature does not verify");
        }
        for (Manifest.Item item : manifest.items()) {
            String problem = FileNames.problem(item.name());
            if (problem != null || item.size() < 0 || item.sha256() == null || !item.sha256().matches("[0-9a-f]{64}")) {
                throw new RuleViolationException("items", "item '" + item.name() + "' cannot be relayed: "
                        + (problem != null ? problem : "bad size or digest"));
            }
        }
        Seal seal = new Seal(sealedAt, sealed.manifest(), sealed.manifestSha256(), sealed.signature(),
                sealed.signingKeyId(), sealed.signingPublicKey());
        EvidencePackage pkg = new EvidencePackage(id, sealed.title() == null ? "" : sealed.title(), fromAgency,
                toAgency, PackageState.RELAYING, uuid(sealed.caseTransferId()), uuid(sealed.assistanceRequestId()),
                receivedAt, receivedAt, seal, null, 1);
        List<EvidenceItem> items = manifest.items().stream().map(i -> new EvidenceItem(id, i.name(), i.size(),
                i.sha256(), i.contentType(), fromAgency, sealedAt, i.sm3())).toList();
        return new Replica(pkg, items);
    }

    /** Every item of a replica arrived and matched: the recipient sees it from now on. */
    EvidencePackage relayed(Instant now) {
        if (state != PackageState.RELAYING) {
            throw new StateConflictException("the package is " + state + ", not RELAYING", state.name());
        }
        return new EvidencePackage(id, title, fromAgency, toAgency, PackageState.SEALED, caseTransferId,
                assistanceRequestId, createdAt, now, seal, lastReceipt, version + 1);
    }

    private static UUID uuid(String value) {
        return value == null ? null : UUID.fromString(value);
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }
}
