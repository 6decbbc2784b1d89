package cn.chuanyu.evidence.evidencepackage;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.EvidenceItemCheck;
import cn.chuanyu.contracts.EvidenceItemDownloaded;
import cn.chuanyu.contracts.EvidenceMismatchFound;
import cn.chuanyu.contracts.EvidenceReceiptVerified;
import cn.chuanyu.contracts.EvidenceReplicaStored;
import cn.chuanyu.contracts.EvidenceSealed;
import cn.chuanyu.contracts.EventEnvelope;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.evidence.EvidenceProperties;
import cn.chuanyu.evidence.custody.CustodyEntry;
import cn.chuanyu.evidence.custody.CustodyLog;
import cn.chuanyu.evidence.evidencepackage.ReceiptCheck.ItemCheck;
import cn.chuanyu.evidence.linkage.ExchangeLinks;
import cn.chuanyu.evidence.linkage.LinkKind;
import cn.chuanyu.evidence.signing.EvidenceSigningKey;
import cn.chuanyu.evidence.storage.EvidenceStore;
import cn.chuanyu.evidence.storage.Sha256;
import cn.chuanyu.evidence.storage.StoredObject;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.json.Json;
import cn.chuanyu.kit.node.NodeIdentity;
import cn.chuanyu.kit.outbox.LinkRoute;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.Page;
import cn.chuanyu.kit.web.PageCursor;
import cn.chuanyu.kit.web.Paging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The application service of evidence packages. Remote checks and byte streaming happen outside any database
 * transaction; each state change and its custody event commit together in a short transaction that locks the
 * package row, so adding an item and sealing never interleave. It answers domain records; the controllers shape
 * them into responses.
 */
@Service
public class PackageService {

    private static final Logger log = LoggerFactory.getLogger(PackageService.class);

    static final String VERIFIED = "verified";
    static final String MISMATCH = "mismatch";

    private final PackageRepository packages;
    private final AgencyDirectory agencies;
    private final ExchangeLinks links;
    private final CustodyLog custody;
    private final EvidenceStore store;
    private final EvidenceSigningKey signingKey;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final EvidenceProperties properties;
    private final ApplicationEventPublisher events;
    private final NodeIdentity node;

    PackageService(PackageRepository packages, AgencyDirectory agencies, ExchangeLinks links, CustodyLog custody,
            EvidenceStore store, EvidenceSigningKey signingKey, TransactionTemplate tx, Clock clock,
            EvidenceProperties properties, ApplicationEventPublisher events, NodeIdentity node) {
        this.packages = packages;
        this.agencies = agencies;
        this.links = links;
        this.custody = custody;
        this.store = store;
        this.signingKey = signingKey;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
        this.events = events;
        this.node = node;
    }

    /** A new OPEN package; when linked, case-transfer-service must confirm both agencies are the exchange's parties. */
    EvidencePackage create(CreatePackage request, Caller sender) {
        EvidencePackage.Opened opened = EvidencePackage.open(request, sender.id(), now());
        EvidencePackage created = opened.pkg();
        agencies.requireActiveRecipient("toAgency", created.toAgency());
        if (created.caseTransferId() != null) {
            links.requireParties(LinkKind.CASE_TRANSFER, created.caseTransferId(), sender.id(), created.toAgency());
        }
        else if (created.assistanceRequestId() != null) {
            links.requireParties(LinkKind.ASSISTANCE_REQUEST, created.assistanceRequestId(), sender.id(),
                    created.toAgency());
        }
        tx.executeWithoutResult(status -> {
            packages.insert(created);
            record(created, EventTypes.EVIDENCE_PACKAGE_CREATED, sender.id(), opened.event());
        });
        log.info("evidence package {} opened by {} for {}", created.id(), created.fromAgency(), created.toAgency());
        return created;
    }

    EvidencePackage get(UUID id, Caller caller) {
        return visible(id, caller);
    }

    List<EvidenceItem> items(UUID id) {
        return packages.items(id);
    }

    /** 404 unless the caller can see the package, 403 unless it is the sender. */
    public void requireVisibleToSender(UUID id, Caller caller) {
        visible(id, caller).requireSender(caller.id(), "manage its uploads");
    }

    /** Fails fast (404, 403, 409) before a client's bytes are read, when the caller could not add an item anyway. */
    public void requireOpenForSender(UUID id, Caller caller) {
        EvidencePackage p = visible(id, caller);
        p.requireSender(caller.id(), "add items");
        p.requireOpen("items can be added");
    }

    record AddedItem(EvidenceItem item, boolean replaced) {
    }

    /** Streams one item to the store (hashing on the way), then records it. */
    AddedItem putItem(UUID id, Caller caller, String name, String contentType, String expectedSha256,
            InputStream body) throws IOException {
        return putItem(id, caller, name, contentType, expectedSha256, null, body);
    }

    /** As above, also checking an announced SM3 (hex) when given; the SM3 is computed in the same pass anyway. */
    AddedItem putItem(UUID id, Caller caller, String name, String contentType, String expectedSha256,
            String expectedSm3, InputStream body) throws IOException {
        requireOpenForSender(id, caller);
        StoredObject stored = store.put(body, properties.maxItemBytes(), expectedSha256, expectedSm3);
        return add(id, caller, name, contentType, stored, "PUT");
    }

    /** Records an object already in the store as the package's item {@code name}, replacing one of that name. */
    public String addStoredItem(UUID id, Caller caller, String name, String contentType, StoredObject stored,
            String method) {
        return add(id, caller, name, contentType, stored, method).item().name();
    }

    AddedItem add(UUID id, Caller caller, String name, String contentType, StoredObject stored, String method) {
        AddItem command = new AddItem(FileNames.normalise(name), contentType, stored.size(), stored.sha256(), method,
                stored.sm3());
        return tx.execute(status -> {
            EvidencePackage p = lockedVisible(id, caller);
            boolean replacing = packages.findItem(id, command.name()).isPresent();
            EvidencePackage.ItemAdded added = p.addItem(command, caller.id(), replacing, now());
            boolean replaced = packages.upsertItem(added.item());
            record(p, EventTypes.EVIDENCE_ITEM_ADDED, caller.id(), added.event());
            return new AddedItem(added.item(), replaced);
        });
    }

    /** Freezes the package under a manifest signed with the platform's evidence key. */
    EvidencePackage seal(UUID id, Caller caller) {
        EvidencePackage sealed = tx.execute(status -> {
            EvidencePackage p = lockedVisible(id, caller);
            EvidencePackage.Sealed done = p.seal(caller.id(), packages.items(id), now(),
                    canonical -> new EvidencePackage.Signature(signingKey.signatureBase64(canonical),
                            signingKey.keyId(), signingKey.publicKeyPem(),
                            signingKey.sm2SignatureBase64(canonical).orElse(null),
                            signingKey.sm2PublicKeyPem().orElse(null)));
            packages.saveSeal(done.pkg());
            // A recipient in the other region: the seal is the package's first (and only) event that crosses;
            // what came before it stays here, so the recipient never sees a package before its seal.
            LinkRoute route = peerRegionOf(done.pkg().toAgency()).map(peer -> new LinkRoute(peer, 1L)).orElse(null);
            // Only a crossing seal carries the manifest; on one node the event stays as it always was.
            EventEnvelope event = custody.record(id, done.pkg().fromAgency(), done.pkg().toAgency(),
                    EventTypes.EVIDENCE_SEALED, caller.id(), route == null ? summaryOf(done.event()) : done.event(),
                    route);
            events.publishEvent(new PackageSealedEvent(id, event));
            return done.pkg();
        });
        log.info("evidence package {} sealed by {}: manifest {}", id, caller.id(), sealed.seal().manifestSha256());
        return sealed;
    }

    /** The sealed event's summary fields alone, exactly the data it had before two regions (no null fields). */
    private static Map<String, Object> summaryOf(EvidenceSealed sealed) {
        Map<String, Object> data = Json.toMap(sealed.summary());
        data.values().removeIf(java.util.Objects::isNull);
        return data;
    }

    /** The peer's region when {@code agency} is served by the other region's node; empty on one node. */
    public Optional<String> peerRegionOf(String agency) {
        if (!node.twoRegions()) {
            return Optional.empty();
        }
        return agencies.region(agency).filter(region -> !node.isLocal(region)).map(Region::name);
    }

    /**
     * Two regions, on the recipient's node: stores the replica of a package sealed on the sender's node from its
     * evidence.sealed event (inside the caller's transaction). The sender must be of the peer's region and the
     * recipient of this one. Answers the replica's items, whose content is still to be fetched.
     */
    public List<EvidenceItem> storeReplica(EventEnvelope sealedEvent, String originRegion) {
        UUID id = UUID.fromString(sealedEvent.subject());
        if (!peerRegionOf(sealedEvent.fromAgency()).filter(originRegion::equals).isPresent()
                || peerRegionOf(sealedEvent.toAgency()).isPresent()
                || agencies.region(sealedEvent.toAgency()).isEmpty()) {
            throw new RuleViolationException("toAgency", "package " + id + " is not from an agency of region "
                    + originRegion + " to one of this node's");
        }
        EvidenceSealed sealed = Json.fromMap(sealedEvent.data(), EvidenceSealed.class);
        EvidencePackage.Replica replica = EvidencePackage.replica(id, sealedEvent.fromAgency(),
                sealedEvent.toAgency(), sealed, now(), canonical -> verifies(sealed, canonical));
        return tx.execute(status -> {
            packages.insert(replica.pkg());
            packages.saveSeal(replica.pkg());
            replica.items().forEach(packages::upsertItem);
            record(replica.pkg(), EventTypes.EVIDENCE_REPLICA_STORED, node.properties().peer().name(),
                    new EvidenceReplicaStored(originRegion, sealed.manifestSha256(), replica.items().size(),
                            replica.items().stream().mapToLong(EvidenceItem::size).sum()));
            return replica.items();
        });
    }

    private static boolean verifies(EvidenceSealed sealed, byte[] canonical) {
        try {
            return EvidenceSigningKey.verify(Ed25519Keys.publicKey(sealed.signingPublicKey()), canonical,
                    Base64.getDecoder().decode(sealed.signature()));
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    /** Every item of a replica arrived and matched its manifest: from now on the recipient sees the package. */
    public void markRelayed(UUID id) {
        tx.executeWithoutResult(status -> {
            EvidencePackage p = packages.findForUpdate(id).orElseThrow(() -> notFound(id));
            packages.saveSeal(p.relayed(now()));
        });
        log.info("evidence package {} relayed: every item arrived and matches the manifest", id);
    }

    /** What a replica's recipient's node may fetch: an item of a SEALED package whose recipient is in its region. */
    public Optional<EvidenceItem> linkContent(UUID id, String sha256, String peerRegion) {
        return packages.find(id)
                .filter(p -> p.state() == PackageState.SEALED)
                .filter(p -> peerRegionOf(p.toAgency()).filter(peerRegion::equals).isPresent())
                .flatMap(p -> packages.items(id).stream().filter(i -> i.sha256().equals(sha256)).findFirst());
    }

    /** 404 unless the caller may see the package (its sender, or its recipient once delivered). */
    public void requireVisible(UUID id, Caller caller) {
        visible(id, caller);
    }

    /** 404 unless this node holds the package (for callers who see every package's metadata: auditors). */
    public void requireExists(UUID id) {
        packages.find(id).orElseThrow(() -> notFound(id));
    }

    /** A sealed package (whose seal holds the manifest); 409 while it is OPEN. */
    EvidencePackage manifest(UUID id, Caller caller) {
        EvidencePackage p = visible(id, caller);
        p.requireSealed("a manifest");
        return p;
    }

    /** The recipient has the service re-hash every stored item against the seal; the result is custody too. */
    ReceiptCheck receipt(UUID id, Caller caller) {
        EvidencePackage p = visible(id, caller);
        p.requireRecipient(caller.id(), "confirm receipt");
        List<EvidenceItem> items = packages.items(id);
        Map<String, String> hashed = new HashMap<>();
        List<ItemCheck> checks = new ArrayList<>();
        for (EvidenceItem item : items) {
            String actual = hashed.computeIfAbsent(item.sha256(), this::rehash);
            checks.add(new ItemCheck(item.name(), item.size(), item.sha256(),
                    item.sha256().equals(actual) ? VERIFIED : MISMATCH, actual));
        }
        String result = checks.stream().allMatch(c -> VERIFIED.equals(c.status())) ? VERIFIED : MISMATCH;
        Instant at = now();
        tx.executeWithoutResult(status -> {
            record(p, EventTypes.EVIDENCE_RECEIPT_VERIFIED, caller.id(), new EvidenceReceiptVerified(caller.id(),
                    p.seal().manifestSha256(), result, checks.stream()
                            .map(c -> new EvidenceItemCheck(c.name(), c.sha256(), c.status(), c.actualSha256()))
                            .toList()));
            for (ItemCheck c : checks) {
                if (MISMATCH.equals(c.status())) {
                    record(p, EventTypes.EVIDENCE_MISMATCH_FOUND, caller.id(), new EvidenceMismatchFound(c.name(),
                            c.sha256(), c.actualSha256(), c.actualSha256() == null ? null
                                    : Long.valueOf(store.size(c.sha256())), "receipt", caller.id()));
                }
            }
            packages.saveReceipt(id, at, result);
        });
        if (MISMATCH.equals(result)) {
            log.warn("receipt of evidence package {} by {} found stored items that do not match the seal", id,
                    caller.id());
        }
        return new ReceiptCheck(id, p.seal().manifestSha256(), result, at, checks);
    }

    /** What the stored bytes hash to now; null when they are gone. */
    private String rehash(String sha256) {
        if (store.size(sha256) < 0) {
            return null;
        }
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[128 * 1024];
        try (InputStream in = store.open(sha256, 0)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        catch (IOException ex) {
            log.error("cannot read stored object {}", sha256, ex);
            return null;
        }
        return Sha256.hex(digest.digest());
    }

    record DownloadTarget(EvidencePackage pkg, EvidenceItem item) {
    }

    DownloadTarget downloadTarget(UUID id, String name, Caller caller) {
        EvidencePackage p = visible(id, caller);
        EvidenceItem item = packages.findItem(id, FileNames.normalise(name))
                .orElseThrow(() -> new NotFoundException("package " + id + " has no item '" + name + "'"));
        return new DownloadTarget(p, item);
    }

    /** Custody of a download, written after the bytes went out (or stopped). */
    void recordDownload(DownloadTarget target, Caller caller, ByteRange range, long bytesSent, boolean complete,
            String integrity, String actualSha256, Long actualSize) {
        EvidenceItem item = target.item();
        tx.executeWithoutResult(status -> {
            record(target.pkg(), EventTypes.EVIDENCE_ITEM_DOWNLOADED, caller.id(), new EvidenceItemDownloaded(
                    item.name(), caller.id(), range.first(), range.last(), bytesSent, item.size(), complete,
                    integrity));
            if (MISMATCH.equals(integrity)) {
                record(target.pkg(), EventTypes.EVIDENCE_MISMATCH_FOUND, caller.id(), new EvidenceMismatchFound(
                        item.name(), item.sha256(), actualSha256, actualSize, "download", caller.id()));
            }
            else if (complete) {
                events.publishEvent(new PackageRetrievedEvent(target.pkg().id(), target.pkg().fromAgency(), target.pkg().toAgency(),
                        caller.id()));
            }
        });
        if (MISMATCH.equals(integrity)) {
            log.warn("stored bytes of item '{}' of package {} do not match {} (download by {})", item.name(),
                    target.pkg().id(), item.sha256(), caller.id());
        }
    }

    Page<CustodyEntry> custody(UUID id, Caller caller, int limit, String cursor) {
        visible(id, caller);
        PageCursor after = PageCursor.decode(cursor, 1);
        return Paging.page(custody.list(id, after == null ? 0 : after.position(0), limit + 1), limit,
                entry -> PageCursor.encode(entry.seq()));
    }

    Page<ListedPackage> list(Caller caller, String direction, int limit, String cursor) {
        PageCursor before = PageCursor.decode(cursor, 2);
        List<EvidencePackage> rows = packages.page(caller.id(), direction,
                before == null ? null : before.instant(0), before == null ? null : before.uuid(1), limit + 1);
        return Paging.page(rows, limit, p -> PageCursor.encode(p.createdAt(), p.id()), p -> {
            PackageRepository.Totals totals = packages.totals(p.id());
            return new ListedPackage(p, totals.count(), totals.bytes());
        });
    }

    private EvidencePackage visible(UUID id, Caller caller) {
        return packages.find(id).filter(p -> p.visibleTo(caller.id())).orElseThrow(() -> notFound(id));
    }

    private EvidencePackage lockedVisible(UUID id, Caller caller) {
        return packages.findForUpdate(id).filter(p -> p.visibleTo(caller.id())).orElseThrow(() -> notFound(id));
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("no evidence package " + id);
    }

    private void record(EvidencePackage p, String type, String actor, Object data) {
        custody.record(p.id(), p.fromAgency(), p.toAgency(), type, actor, data);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
