package cn.chuanyu.evidence.relay;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.contracts.EvidenceContentRelayed;
import cn.chuanyu.contracts.EvidenceMismatchFound;
import cn.chuanyu.evidence.custody.CustodyLog;
import cn.chuanyu.evidence.relay.RelayRepository.PackageParties;
import cn.chuanyu.evidence.relay.RelayRepository.RelayItem;
import cn.chuanyu.evidence.storage.DigestMismatchException;
import cn.chuanyu.evidence.storage.EvidenceStore;
import cn.chuanyu.kit.poll.BackgroundPoller;
import cn.chuanyu.kit.poll.PollingLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Destination: fetches the content of replicas' items from the origin node over mutual TLS, one item at a time.
 * The bytes go straight from the response stream to a partial object in the store (fixed 128 KiB chunks, never
 * the whole item in memory); what arrived before a failure stays there, and the next attempt, after a restart too,
 * asks for the rest with a Range. A complete item becomes an object only if it hashes to the manifest's SHA-256;
 * otherwise it is discarded (never served), recorded as a mismatch, and fetched again after a back-off, until
 * {@code chuanyu.link.max-mismatches} in a row, when it is given up on (FAILED) and logged as an error.
 */
class ContentFetcher extends PollingLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ContentFetcher.class);

    private final RelayRepository relay;
    private final RelayService service;
    private final EvidenceStore store;
    private final CustodyLog custody;
    private final TransactionTemplate tx;
    private final LinkProperties props;
    private final HttpClient http;
    private final String contentUrl;
    private final Clock clock;

    ContentFetcher(RelayRepository relay, RelayService service, EvidenceStore store, CustodyLog custody,
            TransactionTemplate tx, LinkProperties props, LinkTls tls, String contentUrl,
            Clock clock) {
        super("evidence-content-fetcher",
                BackgroundPoller.Settings.polling(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10)));
        this.relay = relay;
        this.service = service;
        this.store = store;
        this.custody = custody;
        this.tx = tx;
        this.props = props;
        this.contentUrl = contentUrl.endsWith("/") ? contentUrl.substring(0, contentUrl.length() - 1) : contentUrl;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls.clientContext())
                .connectTimeout(props.connectTimeout())
                .build();
    }

    /** One due item per pass; more may be waiting when there was one. */
    @Override
    protected boolean pass() {
        List<RelayItem> due = relay.due(clock.instant(), 1);
        if (due.isEmpty()) {
            return false;
        }
        fetch(due.get(0));
        return true;
    }

    /** The partial object an item's bytes collect in: one per package and item, so a restart finds it. */
    static UUID partialId(RelayItem item) {
        return UUID.nameUUIDFromBytes(("relay:" + item.packageId() + "/" + item.name())
                .getBytes(StandardCharsets.UTF_8));
    }

    void fetch(RelayItem item) {
        UUID partial = partialId(item);
        long offset;
        try {
            offset = store.partialLength(partial);
            if (offset < 0) {
                store.createPartial(partial);
                offset = 0;
            }
            if (offset > item.size()) {
                store.deletePartial(partial);
                store.createPartial(partial);
                offset = 0;
            }
            long start = offset;
            tx.executeWithoutResult(s -> relay.attempted(item, start));
            if (offset < item.size()) {
                offset = download(item, partial, offset);
            }
        }
        catch (IOException | RuntimeException ex) {
            retryLater(item, ex.toString(), false);
            return;
        }
        if (offset < item.size()) {
            retryLater(item, "the stream ended after " + offset + " of " + item.size() + " bytes", false);
            return;
        }
        try {
            store.completePartial(partial, item.sha256());
        }
        catch (DigestMismatchException ex) {
            // The partial is gone: the next attempt starts from zero.
            mismatch(item, ex);
            return;
        }
        catch (IOException | RuntimeException ex) {
            retryLater(item, ex.toString(), false);
            return;
        }
        tx.executeWithoutResult(s -> {
            PackageParties parties = parties(item.packageId());
            relay.verified(item, clock.instant());
            custody.record(item.packageId(), parties.from(), parties.to(), EventTypes.EVIDENCE_CONTENT_RELAYED,
                    "relay", new EvidenceContentRelayed(item.name(), item.sha256(), item.size(), item.attempts() + 1));
            if (relay.unverified(item.packageId()) == 0) {
                service.relayed(item.packageId(), parties.from(), parties.to());
            }
        });
        log.info("item '{}' of evidence package {} arrived ({} bytes) and matches the manifest", item.name(),
                item.packageId(), item.size());
    }

    /** Streams the rest of the item into the partial; answers the partial's length afterwards. */
    private long download(RelayItem item, UUID partial, long offset) throws IOException {
        URI uri = URI.create(contentUrl + "/link/v1/packages/" + item.packageId() + "/items/" + item.sha256()
                + "/content");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(props.readTimeout());
        if (offset > 0) {
            request.header("Range", "bytes=" + offset + "-");
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
        try (InputStream body = response.body()) {
            int expected = offset > 0 ? 206 : 200;
            if (response.statusCode() != expected) {
                throw new IOException("GET " + uri + " answered " + response.statusCode() + " (expected " + expected
                        + ")");
            }
            if (offset > 0 && !response.headers().firstValue("Content-Range").orElse("")
                    .startsWith("bytes " + offset + "-")) {
                throw new IOException("GET " + uri + " answered another range: "
                        + response.headers().firstValue("Content-Range").orElse("none"));
            }
            try {
                return store.appendPartial(partial, offset, body, item.size() - offset);
            }
            catch (IOException ex) {
                // What arrived before the stream broke is kept in the partial; the next attempt resumes there.
                log.info("fetching item '{}' of package {} broke at {} of {} bytes: {}", item.name(),
                        item.packageId(), store.partialLength(partial), item.size(), ex.toString());
                return store.partialLength(partial);
            }
        }
    }

    private void retryLater(RelayItem item, String error, boolean mismatch) {
        int attempts = Math.max(1, item.attempts() + 1);
        Duration wait = props.fetchRetry().multipliedBy(1L << Math.min(attempts - 1, 16));
        if (wait.compareTo(props.fetchRetryMax()) > 0) {
            wait = props.fetchRetryMax();
        }
        boolean giveUp = mismatch && item.mismatches() + 1 >= props.maxMismatches();
        Instant at = clock.instant().plus(wait);
        tx.executeWithoutResult(s -> relay.failed(item, error, at, mismatch, giveUp));
        if (giveUp) {
            log.error("giving up on item '{}' of evidence package {}: its content hashed to something else than the "
                    + "manifest {} times in a row; the recipient will not see the package", item.name(),
                    item.packageId(), props.maxMismatches());
        }
        else {
            log.warn("fetching item '{}' of evidence package {} failed ({}); trying again in {}", item.name(),
                    item.packageId(), error, wait);
        }
    }

    private void mismatch(RelayItem item, DigestMismatchException ex) {
        tx.executeWithoutResult(s -> {
            PackageParties parties = parties(item.packageId());
            custody.record(item.packageId(), parties.from(), parties.to(), EventTypes.EVIDENCE_MISMATCH_FOUND,
                    "relay", new EvidenceMismatchFound(item.name(), item.sha256(), ex.actualSha256(), ex.size(),
                            "relay", "relay"));
        });
        retryLater(item, "content hashed to " + ex.actualSha256() + ", not the manifest's " + item.sha256(), true);
    }

    private PackageParties parties(UUID id) {
        return relay.parties(id).orElseThrow();
    }
}
