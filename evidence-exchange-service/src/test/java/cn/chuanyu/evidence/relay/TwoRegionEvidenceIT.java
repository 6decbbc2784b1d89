package cn.chuanyu.evidence.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.AgencyRegistered;
import cn.chuanyu.contracts.Messaging;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.evidence.EvidenceExchangeServiceApplication;
import cn.chuanyu.evidence.EvidenceHttp;
import cn.chuanyu.evidence.EvidenceHttp.Response;
import cn.chuanyu.evidence.storage.FileSystemEvidenceStore;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.consumer.ConsumerQueues;
import cn.chuanyu.kit.consumer.DeadLetterHeaders;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.keys.KeyFiles;
import cn.chuanyu.kit.messaging.PublisherIdentity;
import cn.chuanyu.kit.node.DeliveryEvidenceNotes;
import cn.chuanyu.kit.note.NoteSigner;
import cn.chuanyu.kit.note.NoteVerifier;
import cn.chuanyu.kit.test.TestInfrastructure;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

import static cn.chuanyu.evidence.EvidenceHttp.CHENGDU_COURT;
import static cn.chuanyu.evidence.EvidenceHttp.CQ_COURT;
import static cn.chuanyu.evidence.EvidenceHttp.createJson;
import static cn.chuanyu.evidence.EvidenceHttp.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two nodes in one JVM (Sichuan and Chongqing: own databases, own vhosts, own keys and certificates from a
 * throwaway CA made with openssl), the link played by a small shovel in the test (queue chuanyu.link.to-<peer> on one
 * vhost to exchange chuanyu.link.in on the other, published as the link user, as the RabbitMQ Shovel does), and the
 * content link through a TCP proxy the test can cut.
 */
class TwoRegionEvidenceIT {

    static final String PASSWORD = "changeit";
    static final Caller SC_POLICE = new Caller("sc-chengdu-public-security", Role.AGENCY, Region.SC,
            AgencyKind.PUBLIC_SECURITY);

    static Path dir;
    static String scVhost;
    static String cqVhost;
    static String linkUser;
    static Node sc;
    static Node cq;
    static CutProxy proxy;
    static NoteSigner scKey;
    static NoteSigner cqKey;
    static LinkShovel shovel;
    /** Properties both nodes start with besides the usual ones (another test class sets its own in startNodes). */
    static Map<String, String> overrides = Map.of();

    record Node(ConfigurableApplicationContext context, int port, int tlsPort, String name, NoteVerifier verifier) {

        EvidenceHttp http() {
            return new EvidenceHttp(port);
        }

        JdbcClient jdbc() {
            return context.getBean(JdbcClient.class);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        startNodes(Map.of());
    }

    /** Two nodes and their link, each node started with {@code extra} properties too. */
    static void startNodes(Map<String, String> extra) throws Exception {
        overrides = extra;
        dir = Files.createTempDirectory("two-regions-");
        certificates();
        String run = TestInfrastructure.RUN_ID;
        scVhost = "cyx-test-" + run + "-sc";
        cqVhost = "cyx-test-" + run + "-cq";
        linkUser = "cyx-link-" + run;
        TestInfrastructure.rabbitmqctl("add_user", linkUser, PASSWORD);
        for (String vhost : List.of(scVhost, cqVhost)) {
            TestInfrastructure.rabbitmqctl("add_vhost", vhost);
            TestInfrastructure.rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
            TestInfrastructure.rabbitmqctl("set_permissions", "-p", vhost, linkUser, ".*", ".*", ".*");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(TwoRegionEvidenceIT::deleteBrokerObjects));
        linkTopology(scVhost, "CQ");
        linkTopology(cqVhost, "SC");

        scKey = new NoteSigner("sc.test", KeyFiles.ed25519(dir.resolve("sc-node.pem")));
        cqKey = new NoteSigner("cq.test", KeyFiles.ed25519(dir.resolve("cq-node.pem")));
        int scTls = freePort();
        int cqTls = freePort();
        proxy = new CutProxy(scTls);
        sc = node("SC", "sc", scKey, cqKey, scTls, "https://localhost:" + cqTls);
        cq = node("CQ", "cq", cqKey, scKey, cqTls, "https://localhost:" + proxy.port());
        for (Node node : List.of(sc, cq)) {
            AgencyDirectory agencies = node.context().getBean(AgencyDirectory.class);
            for (Caller c : List.of(CHENGDU_COURT, CQ_COURT, SC_POLICE)) {
                agencies.register(new AgencyRegistered(c.id(), c.id(), c.region(), c.kind()));
            }
        }
        shovel = new LinkShovel();
        shovel.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (shovel != null) {
            shovel.stop();
        }
        for (Node node : new Node[] {cq, sc}) {
            if (node != null) {
                node.context().close();
            }
        }
        if (proxy != null) {
            proxy.close();
        }
        deleteBrokerObjects();
        FileSystemUtils.deleteRecursively(dir);
    }

    /** Here and, should the run end before @AfterAll, at JVM exit; each step on its own, once. */
    static synchronized void deleteBrokerObjects() {
        for (String[] command : new String[][] {{"delete_vhost", scVhost}, {"delete_vhost", cqVhost},
                {"delete_user", linkUser}}) {
            if (command[1] == null) {
                continue;
            }
            try {
                TestInfrastructure.rabbitmqctl(command);
            }
            catch (IllegalStateException ex) {
                // already gone
            }
        }
        scVhost = null;
        cqVhost = null;
        linkUser = null;
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void aPackageCrossesAndItsRecipientDownloadsVerifiedContentFromItsOwnNode() throws Exception {
        byte[] content = random(3 * 1024 * 1024 + 17);
        UUID id = sealedPackage("跨区证据", CQ_COURT, "scene.bin", content);

        // Only the seal crosses, as the package's first link event; what came before it stays on the SC node.
        List<Map<String, Object>> rows = sc.jdbc().sql("""
                select routing_key, link_to, link_seq from outbox_event
                where payload::jsonb ->> 'subject' = :id order by created_at""")
                .param("id", id.toString()).query().listOfRows();
        assertThat(rows).filteredOn(r -> r.get("link_to") != null)
                .extracting(r -> r.get("routing_key") + "#" + r.get("link_seq"))
                .containsExactlyInAnyOrder("evidence.sealed#1", "evidence.evidence-issued#2");

        awaitTrue("the recipient sees the package on its own node", Duration.ofSeconds(60),
                () -> cq.http().get(CQ_COURT, "/" + id).status() == 200);
        Response pkg = cq.http().get(CQ_COURT, "/" + id);
        assertThat(pkg.json().get("state").asString()).isEqualTo("SEALED");
        Response manifest = cq.http().get(CQ_COURT, "/" + id + "/manifest");
        assertThat(manifest.status()).as(manifest.body()).isEqualTo(200);
        assertThat(manifest.body()).isEqualTo(sc.http().get(CHENGDU_COURT, "/" + id + "/manifest").body());

        Response download = cq.http().get(CQ_COURT, "/" + id + "/items/scene.bin");
        assertThat(download.status()).isEqualTo(200);
        assertThat(hex(download.bytes())).isEqualTo(hex(content));

        // The recipient's node lists every evidence, each signed by its issuer; the sender's node gets the same.
        List<String> all = List.of("SUBMISSION_ACCEPTED/sc.test", "RELAY_ACCEPTED/cq.test", "DELIVERED/cq.test",
                "RETRIEVED/cq.test");
        awaitTrue("the recipient's node holds all evidences", Duration.ofSeconds(30),
                () -> evidences(cq, CQ_COURT, id).size() == 4);
        awaitTrue("the sender's node holds all evidences", Duration.ofSeconds(30),
                () -> evidences(sc, CHENGDU_COURT, id).size() == 4);
        for (Node node : List.of(sc, cq)) {
            Caller party = node == sc ? CHENGDU_COURT : CQ_COURT;
            List<String> seen = new ArrayList<>();
            for (JsonNode e : evidences(node, party, id)) {
                DeliveryEvidenceNotes.Evidence evidence = new DeliveryEvidenceNotes.Evidence(e.get("type").asString(),
                        e.get("exchangeId").asString(), e.get("issuer").asString(),
                        java.time.Instant.parse(e.get("time").asString()), e.get("note").asString());
                NoteVerifier key = evidence.issuer().equals("sc.test") ? sc.verifier() : cq.verifier();
                DeliveryEvidenceNotes.Statement statement = DeliveryEvidenceNotes.verify(evidence, key);
                assertThat(statement.exchangeId()).isEqualTo(id.toString());
                seen.add(evidence.type() + "/" + evidence.issuer());
            }
            assertThat(seen).as("evidences on " + node.name()).containsExactlyInAnyOrderElementsOf(all);
        }
        // Both nodes computed the same content digest over the sealed event.
        assertThat(digest(sc, id)).isEqualTo(digest(cq, id));
    }

    @Test
    void theContentEndpointServesThePinnedPeerOnlyAndNothingElse() throws Exception {
        byte[] content = random(200_000);
        UUID id = sealedPackage("pinned", CQ_COURT, "a.bin", content);
        String sha = hex(content);
        String path = "/link/v1/packages/" + id + "/items/" + sha + "/content";
        URI uri = URI.create("https://localhost:" + sc.tlsPort() + path);

        HttpClient pinned = client("cq.p12");
        HttpResponse<byte[]> whole = pinned.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(hex(whole.body())).isEqualTo(sha);
        HttpResponse<byte[]> range = pinned.send(HttpRequest.newBuilder(uri).header("Range", "bytes=1000-").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 1000-199999/200000");
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 1000, content.length));

        // No certificate, one from another CA: the handshake fails. One from the link CA that is not pinned: 403.
        assertThatThrownBy(() -> client(null).send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofByteArray())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> client("other.p12").send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofByteArray())).isInstanceOf(IOException.class);
        assertThat(status(client("rogue.p12"), uri)).isEqualTo(403);

        // Nothing else on the link connector; nothing under /link/ on the normal port.
        assertThat(status(pinned, URI.create("https://localhost:" + sc.tlsPort() + "/api/v1/evidence-packages/" + id)))
                .isEqualTo(404);
        assertThat(status(pinned, URI.create("https://localhost:" + sc.tlsPort() + "/actuator/health"))).isEqualTo(404);
        assertThat(status(HttpClient.newHttpClient(), URI.create("http://localhost:" + sc.port() + path)))
                .isEqualTo(404);
        // A package whose recipient is on this node is not the peer's to fetch.
        byte[] local = random(1000);
        UUID localId = sealedPackage("local", SC_POLICE, "b.bin", local);
        assertThat(status(pinned, URI.create("https://localhost:" + sc.tlsPort() + "/link/v1/packages/" + localId
                + "/items/" + hex(local) + "/content"))).isEqualTo(404);
    }

    @Test
    void theFetchResumesAfterAnInterruptionWithARange() throws Exception {
        byte[] content = random(12 * 1024 * 1024);
        proxy.cutAfter(2 * 1024 * 1024);
        UUID id = sealedPackage("resume", CQ_COURT, "big.bin", content);
        awaitTrue("the package arrives", Duration.ofSeconds(90),
                () -> cq.http().get(CQ_COURT, "/" + id).status() == 200);
        Map<String, Object> item = cq.jdbc().sql("select * from relay_item where package_id = :id").param("id", id)
                .query().singleRow();
        assertThat(((Number) item.get("attempts")).intValue()).isGreaterThanOrEqualTo(2);
        assertThat(((Number) item.get("last_range_start")).longValue()).as("resumed, not restarted")
                .isGreaterThan(0);
        assertThat(proxy.cuts()).isGreaterThanOrEqualTo(1);
        assertThat(hex(cq.http().get(CQ_COURT, "/" + id + "/items/big.bin").bytes())).isEqualTo(hex(content));
    }

    /**
     * 256 MiB through the link without holding it: both nodes stream in fixed chunks. If either side buffered the
     * item, a 256 MiB array would land in the old generation at once (G1 allocates such arrays there directly);
     * its peak must not grow by half of that. The file is written, uploaded and checked in chunks here too.
     */
    @Test
    void aLargeItemCrossesInConstantMemory() throws Exception {
        long size = 256L * 1024 * 1024;
        Path file = dir.resolve("large.bin");
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] chunk = new byte[1024 * 1024];
            Random random = new Random(15);
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                sha.update(chunk);
                out.write(chunk);
            }
        }
        String hex = java.util.HexFormat.of().formatHex(sha.digest());
        List<java.lang.management.MemoryPoolMXBean> oldGen = java.lang.management.ManagementFactory
                .getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
                .filter(pool -> pool.getName().contains("Old") || pool.getName().contains("Tenured")).toList();
        assertThat(oldGen).isNotEmpty();
        System.gc();
        oldGen.forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
        long before = oldGen.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();

        EvidenceHttp http = sc.http();
        Response created = http.postJson(CHENGDU_COURT, "", createJson("large", CQ_COURT.id(), null));
        UUID id = UUID.fromString(created.json().get("id").asString());
        Response put = http.send(http.request(CHENGDU_COURT, "/" + id + "/items/large.bin")
                .timeout(Duration.ofMinutes(5)).PUT(HttpRequest.BodyPublishers.ofFile(file)),
                "Content-Type", "application/octet-stream");
        assertThat(put.status()).as(put.body()).isEqualTo(201);
        assertThat(http.post(CHENGDU_COURT, "/" + id + "/seal").status()).isEqualTo(200);
        awaitTrue("the large package arrives", Duration.ofMinutes(5),
                () -> cq.http().get(CQ_COURT, "/" + id).status() == 200);
        long peak = oldGen.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        assertThat(peak - before).as("old generation growth while 256 MiB crossed").isLessThan(size / 2);

        HttpResponse<InputStream> download = HttpClient.newHttpClient().send(TestInfrastructure.signed(cq.http()
                .request(CQ_COURT, "/" + id + "/items/large.bin").GET().timeout(Duration.ofMinutes(5)).build()),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(download.statusCode()).isEqualTo(200);
        java.security.MessageDigest got = java.security.MessageDigest.getInstance("SHA-256");
        try (InputStream in = download.body()) {
            byte[] chunk = new byte[128 * 1024];
            for (int n; (n = in.read(chunk)) >= 0; ) {
                got.update(chunk, 0, n);
            }
        }
        assertThat(java.util.HexFormat.of().formatHex(got.digest())).isEqualTo(hex);
        Files.delete(file);
    }

    @Test
    void aRestartedNodeResumesTheFetchWhereItBroke() throws Exception {
        byte[] content = random(10 * 1024 * 1024);
        proxy.refuseAfterCut = true;
        proxy.cutAfter(3 * 1024 * 1024);
        int cutsBefore = proxy.cuts();
        UUID id;
        try {
            id = sealedPackage("restart", CQ_COURT, "huge.bin", content);
            awaitTrue("the content link is cut mid-item", Duration.ofSeconds(60), () -> proxy.cuts() > cutsBefore);
            long kept = cq.jdbc().sql("select count(*) from relay_item where package_id = :id").param("id", id)
                    .query(Long.class).single();
            assertThat(kept).isEqualTo(1);
            // The CQ node goes down with part of the item on disk, and comes back.
            cq.context().close();
            cq = node("CQ", "cq", cqKey, scKey, cq.tlsPort(), "https://localhost:" + proxy.port());
        }
        finally {
            proxy.refuseAfterCut = false;
            proxy.refusing = false;
        }
        UUID pkg = id;
        awaitTrue("the package arrives after the restart", Duration.ofSeconds(90),
                () -> cq.http().get(CQ_COURT, "/" + pkg).status() == 200);
        Map<String, Object> item = cq.jdbc().sql("select * from relay_item where package_id = :id").param("id", id)
                .query().singleRow();
        assertThat(((Number) item.get("last_range_start")).longValue()).as("resumed from what was on disk")
                .isGreaterThan(0);
        assertThat(hex(cq.http().get(CQ_COURT, "/" + id + "/items/huge.bin").bytes())).isEqualTo(hex(content));
    }

    @Test
    void evidencesArrivingInReverseAreAppliedInTheirLinkOrder() throws Exception {
        shovel.pausedToSc = true;
        UUID id;
        List<GetResponse> taken = new ArrayList<>();
        try (Connection cqBroker = connect(cqVhost, "guest", "guest"); Channel channel = cqBroker.createChannel()) {
            id = sealedPackage("reversed", CQ_COURT, "d.bin", random(10_000));
            UUID pkg = id;
            awaitTrue("the recipient sees the package", Duration.ofSeconds(60),
                    () -> cq.http().get(CQ_COURT, "/" + pkg).status() == 200);
            assertThat(cq.http().get(CQ_COURT, "/" + id + "/items/d.bin").status()).isEqualTo(200);
            // RELAY_ACCEPTED #1, DELIVERED #2, RETRIEVED #3 wait to cross to SC: take them, send them back to front.
            awaitTrue("three evidences wait to cross", Duration.ofSeconds(30), () -> {
                try {
                    GetResponse message = channel.basicGet(Messaging.linkOutQueue("SC"), true);
                    if (message != null) {
                        taken.add(message);
                    }
                    return taken.size() == 3;
                }
                catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
        }
        finally {
            shovel.pausedToSc = false;
        }
        try (Connection scBroker = connect(scVhost, linkUser, PASSWORD); Channel channel = scBroker.createChannel()) {
            for (int i = taken.size() - 1; i >= 0; i--) {
                GetResponse message = taken.get(i);
                channel.basicPublish(Messaging.LINK_IN_EXCHANGE, message.getEnvelope().getRoutingKey(),
                        message.getProps().builder().userId(linkUser).build(), message.getBody());
            }
        }
        UUID pkg = id;
        awaitTrue("the sender's node holds all evidences", Duration.ofSeconds(30),
                () -> evidences(sc, CHENGDU_COURT, pkg).size() == 4);
        List<String> applied = sc.jdbc().sql("""
                select data from custody_event where package_id = :id and type = 'evidence.evidence-received'
                order by seq""").param("id", id).query(String.class).list().stream()
                .map(data -> data.replaceAll(".*\"type\":\"([A-Z_]+)\".*", "$1")).toList();
        assertThat(applied).containsExactly("RELAY_ACCEPTED", "DELIVERED", "RETRIEVED");
        assertThat(sc.jdbc().sql("select in_seq from package_link where package_id = :id").param("id", id)
                .query(Long.class).single()).isEqualTo(3);
        assertThat(sc.jdbc().sql("select count(*) from link_pending where subject = :id").param("id", id.toString())
                .query(Long.class).single()).isZero();
    }

    @Test
    void contentThatDoesNotMatchTheManifestIsRefusedAndNeverServed() throws Exception {
        byte[] content = random(500_000);
        String sha = hex(content);
        FileSystemEvidenceStore scStore = sc.context().getBean(FileSystemEvidenceStore.class);
        // Sealed with the link paused, then the SC copy is altered on disk before the CQ node fetches it.
        shovel.paused = true;
        UUID id;
        Path object = scStore.pathOf(sha);
        try {
            id = sealedPackage("tampered", CQ_COURT, "c.bin", content);
            Files.setPosixFilePermissions(object, PosixFilePermissions.fromString("rw-r-----"));
            try (RandomAccessFile file = new RandomAccessFile(object.toFile(), "rw")) {
                file.seek(1234);
                file.write(content[1234] ^ 0x5a);
            }
        }
        finally {
            shovel.paused = false;
        }
        UUID pkg = id;
        awaitTrue("the CQ node refused the content at least once", Duration.ofSeconds(60), () -> {
            Integer mismatches = cq.jdbc().sql("select coalesce(max(mismatches), 0) from relay_item where "
                    + "package_id = :id").param("id", pkg).query(Integer.class).single();
            return mismatches >= 1;
        });
        assertThat(cq.http().get(CQ_COURT, "/" + id).status()).as("never shown while unverified").isEqualTo(404);
        assertThat(cq.jdbc().sql("select count(*) from custody_event where package_id = :id and type = "
                + "'evidence.mismatch-found'").param("id", id).query(Integer.class).single()).isPositive();

        // Repaired at the origin: the next attempt succeeds.
        try (RandomAccessFile file = new RandomAccessFile(object.toFile(), "rw")) {
            file.seek(1234);
            file.write(content[1234]);
        }
        awaitTrue("the package arrives once the content matches", Duration.ofSeconds(60),
                () -> cq.http().get(CQ_COURT, "/" + pkg).status() == 200);
        assertThat(hex(cq.http().get(CQ_COURT, "/" + id + "/items/c.bin").bytes())).isEqualTo(sha);
    }

    @Test
    void theLinkListenerRefusesAMessageThatDidNotComeOverTheLink() throws Exception {
        UUID id = UUID.randomUUID();
        String body = "{\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"evidence-exchange-service\",\"type\":"
                + "\"evidence.sealed\",\"subject\":\"" + id + "\",\"time\":\"2026-12-02T03:04:05Z\",\"fromAgency\":\""
                + CHENGDU_COURT.id() + "\",\"toAgency\":\"" + CQ_COURT.id() + "\",\"data\":{}}";
        try (Connection connection = connect(cqVhost, "guest", "guest");
                Channel channel = connection.createChannel()) {
            channel.basicPublish(Messaging.LINK_IN_EXCHANGE, "evidence.sealed", new AMQP.BasicProperties.Builder()
                    .userId("guest").contentType("application/json")
                    .headers(Map.of(Messaging.HEADER_LINK_SEQ, 1)).build(), body.getBytes());
            String dlq = ConsumerQueues.deadLetterQueueName(Messaging.EVIDENCE_LINK_QUEUE);
            GetResponse dead = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (dead == null && System.nanoTime() < deadline) {
                dead = channel.basicGet(dlq, true);
                if (dead == null) {
                    Thread.sleep(100);
                }
            }
            assertThat(dead).as("dead-lettered").isNotNull();
            assertThat(dead.getProps().getHeaders().get(DeadLetterHeaders.FAILURE_REASON).toString())
                    .contains("user-id 'guest' is not the link user");
        }
        assertThat(cq.jdbc().sql("select count(*) from evidence_package where id = :id").param("id", id)
                .query(Integer.class).single()).isZero();
    }

    /**
     * An evidence refused over the link (signed with a key the SC node does not pin for CQ) is dead-lettered, and its
     * place in the package's order is passed over: the evidences after it still apply.
     */
    @Test
    void aRefusedLinkEventLeavesNoHoleInItsPackagesOrder() throws Exception {
        shovel.pausedToSc = true;
        UUID id;
        List<GetResponse> taken = new ArrayList<>();
        try (Connection cqBroker = connect(cqVhost, "guest", "guest"); Channel channel = cqBroker.createChannel()) {
            id = sealedPackage("refused-first", CQ_COURT, "h.bin", random(10_000));
            UUID pkg = id;
            awaitTrue("the recipient sees the package", Duration.ofSeconds(60),
                    () -> cq.http().get(CQ_COURT, "/" + pkg).status() == 200);
            assertThat(cq.http().get(CQ_COURT, "/" + id + "/items/h.bin").status()).isEqualTo(200);
            awaitTrue("three evidences wait to cross", Duration.ofSeconds(30), () -> {
                try {
                    GetResponse message = channel.basicGet(Messaging.linkOutQueue("SC"), true);
                    if (message != null) {
                        taken.add(message);
                    }
                    return taken.size() == 3;
                }
                catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
        }
        finally {
            shovel.pausedToSc = false;
        }
        // #1 (RELAY_ACCEPTED) re-signed by an impostor under the CQ node's name.
        taken.sort(java.util.Comparator.comparingLong(m -> Long.parseLong(
                String.valueOf(m.getProps().getHeaders().get(Messaging.HEADER_LINK_SEQ)))));
        cn.chuanyu.contracts.EventEnvelope first = cn.chuanyu.kit.json.Json.read(taken.get(0).getBody());
        Map<String, Object> data = new HashMap<>(first.data());
        String note = (String) data.get("note");
        NoteSigner impostor = new NoteSigner(cqKey.name(), cn.chuanyu.kit.identity.Ed25519Keys.generate());
        data.put("note", impostor.sign(note.substring(0, note.indexOf("\n\n") + 1)));
        cn.chuanyu.contracts.EventEnvelope forged = new cn.chuanyu.contracts.EventEnvelope(first.id(), first.source(),
                first.type(), first.subject(), first.time(), first.correlationId(), first.fromAgency(),
                first.toAgency(), data);
        try (Connection scBroker = connect(scVhost, linkUser, PASSWORD); Channel channel = scBroker.createChannel()) {
            for (int i = 0; i < taken.size(); i++) {
                GetResponse message = taken.get(i);
                byte[] body = i == 0 ? cn.chuanyu.kit.json.Json.write(forged).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8) : message.getBody();
                channel.basicPublish(Messaging.LINK_IN_EXCHANGE, message.getEnvelope().getRoutingKey(),
                        message.getProps().builder().userId(linkUser).build(), body);
            }
        }
        UUID pkg = id;
        awaitTrue("the evidences after the refused one apply", Duration.ofSeconds(30),
                () -> sc.jdbc().sql("select in_seq from package_link where package_id = :id").param("id", pkg)
                        .query(Long.class).single() == 3);
        assertThat(evidences(sc, CHENGDU_COURT, id)).extracting(e -> e.path("type").asString())
                .contains("DELIVERED", "RETRIEVED").doesNotContain("RELAY_ACCEPTED");
        assertThat(sc.jdbc().sql("select count(*) from link_pending where subject = :id").param("id", id.toString())
                .query(Long.class).single()).isZero();
    }

    /**
     * A genuine link message whose processing fails (a database failure injected for that event) goes round the
     * kit's retry queue and comes back under this service's own user-id: still the link's (its first publisher is),
     * so it is applied. Another broker user claiming the link user in the first-publisher header is still refused.
     */
    @Test
    void aLinkMessageBackFromTheRetryQueueIsAcceptedAndAForgedFirstPublisherIsNot() throws Exception {
        shovel.paused = true;
        UUID id;
        List<GetResponse> taken = new ArrayList<>();
        String sealedEvent;
        try (Connection scBroker = connect(scVhost, "guest", "guest"); Channel channel = scBroker.createChannel()) {
            id = sealedPackage("retried", CQ_COURT, "r.bin", random(1000));
            String subject = "\"subject\":\"" + id + "\"";
            awaitTrue("the sealed package waits to cross", Duration.ofSeconds(30), () -> {
                try {
                    GetResponse message = channel.basicGet(Messaging.linkOutQueue("CQ"), true);
                    if (message != null) {
                        taken.add(message);
                    }
                    return taken.stream().anyMatch(m -> new String(m.getBody()).contains(subject));
                }
                catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            sealedEvent = cn.chuanyu.kit.json.Json.read(taken.stream()
                    .filter(m -> new String(m.getBody()).contains(subject)).findFirst().orElseThrow().getBody()).id();
        }
        int attempts = cq.context().getEnvironment()
                .getProperty("spring.rabbitmq.listener.simple.retry.max-retries", Integer.class, 4) + 1;
        JdbcClient db = cq.jdbc();
        db.sql("create sequence if not exists test_link_failures").update();
        db.sql("""
                create or replace function test_link_fail() returns trigger language plpgsql as $$
                begin
                  if new.consumer = '%s' and new.event_id = '%s' and nextval('test_link_failures') <= %d then
                    raise exception 'injected failure for %s';
                  end if;
                  return new;
                end $$""".formatted(LinkInListener.CONSUMER, sealedEvent, attempts, sealedEvent)).update();
        db.sql("""
                create trigger test_link_fail before insert on processed_event
                for each row execute function test_link_fail()""").update();
        try {
            try (Connection cqBroker = connect(cqVhost, linkUser, PASSWORD); Channel channel = cqBroker.createChannel()) {
                for (GetResponse message : taken) {
                    channel.basicPublish(Messaging.LINK_IN_EXCHANGE, message.getEnvelope().getRoutingKey(),
                            message.getProps().builder().userId(linkUser).build(), message.getBody());
                }
            }
            shovel.paused = false;
            UUID pkg = id;
            awaitTrue("the recipient sees the package", Duration.ofSeconds(90),
                    () -> cq.http().get(CQ_COURT, "/" + pkg).status() == 200);
        }
        finally {
            shovel.paused = false;
            db.sql("drop trigger if exists test_link_fail on processed_event").update();
        }
        assertThat(cq.context().getBean(MeterRegistry.class).find("chuanyu.consumer.retried")
                .tag("queue", Messaging.EVIDENCE_LINK_QUEUE).counters().stream()
                .mapToDouble(Counter::count).sum()).as("it went round the retry queue").isPositive();

        String other = "cyx-other-" + TestInfrastructure.RUN_ID;
        TestInfrastructure.rabbitmqctl("add_user", other, PASSWORD);
        try {
            TestInfrastructure.rabbitmqctl("set_permissions", "-p", cqVhost, other, "^$", "^chuanyu\\.link\\.in$",
                    "^$");
            UUID forged = UUID.randomUUID();
            String eventId = UUID.randomUUID().toString();
            String body = "{\"id\":\"" + eventId + "\",\"source\":\"evidence-exchange-service\",\"type\":"
                    + "\"evidence.sealed\",\"subject\":\"" + forged + "\",\"time\":\"2026-12-02T03:04:05Z\","
                    + "\"fromAgency\":\"" + CHENGDU_COURT.id() + "\",\"toAgency\":\"" + CQ_COURT.id()
                    + "\",\"data\":{}}";
            try (Connection connection = connect(cqVhost, other, PASSWORD);
                    Channel channel = connection.createChannel();
                    Connection admin = connect(cqVhost, "guest", "guest");
                    Channel reader = admin.createChannel()) {
                channel.basicPublish(Messaging.LINK_IN_EXCHANGE, "evidence.sealed", new AMQP.BasicProperties.Builder()
                        .userId(other).contentType("application/json")
                        .headers(Map.of(Messaging.HEADER_LINK_SEQ, 1,
                                PublisherIdentity.FIRST_PUBLISHER, linkUser)).build(), body.getBytes());
                String dlq = ConsumerQueues.deadLetterQueueName(Messaging.EVIDENCE_LINK_QUEUE);
                GetResponse dead = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (dead == null && System.nanoTime() < deadline) {
                    GetResponse next = reader.basicGet(dlq, true);
                    if (next != null && new String(next.getBody()).contains(eventId)) {
                        dead = next;
                    }
                    else if (next == null) {
                        Thread.sleep(100);
                    }
                }
                assertThat(dead).as("dead-lettered").isNotNull();
                assertThat(dead.getProps().getHeaders().get(DeadLetterHeaders.FAILURE_REASON).toString())
                        .contains("user-id '" + other + "' is not the link user");
            }
            assertThat(cq.jdbc().sql("select count(*) from evidence_package where id = :id").param("id", forged)
                    .query(Integer.class).single()).isZero();
        }
        finally {
            TestInfrastructure.rabbitmqctl("delete_user", other);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    static UUID sealedPackage(String title, Caller to, String name, byte[] content) {
        EvidenceHttp http = sc.http();
        Response created = http.postJson(CHENGDU_COURT, "", createJson(title, to.id(), null));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        UUID id = UUID.fromString(created.json().get("id").asString());
        Response put = http.put(CHENGDU_COURT, "/" + id + "/items/" + name, content, "Content-Type",
                "application/octet-stream");
        assertThat(put.status()).as(put.body()).isEqualTo(201);
        Response sealed = http.post(CHENGDU_COURT, "/" + id + "/seal");
        assertThat(sealed.status()).as(sealed.body()).isEqualTo(200);
        return id;
    }

    static List<JsonNode> evidences(Node node, Caller caller, UUID id) {
        Response response = node.http().get(caller, "/" + id + "/evidences");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<JsonNode> list = new ArrayList<>();
        response.json().forEach(list::add);
        return list;
    }

    static String digest(Node node, UUID id) {
        return node.jdbc().sql("select content_digest from package_link where package_id = :id").param("id", id)
                .query(String.class).single();
    }

    static int status(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A client presenting {@code p12} (none when null) and trusting only the SC node's certificate. */
    static HttpClient client(String p12) throws Exception {
        SSLContext context;
        if (p12 == null) {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("sc", LinkTls.certificate(dir.resolve("sc.pem").toString()));
            tmf.init(trust);
            context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
        }
        else {
            context = LinkTls.load(new LinkProperties.Tls(0, null, dir.resolve(p12), PASSWORD,
                    dir.resolve("sc.pem").toString(), dir.resolve("ca.pem").toString())).clientContext();
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static Node node(String region, String lower, NoteSigner own, NoteSigner peer, int tlsPort, String peerContentUrl) {
        Map<String, Object> p = new HashMap<>(TestInfrastructure.properties("evidence-" + lower));
        p.put("spring.rabbitmq.virtual-host", region.equals("SC") ? scVhost : cqVhost);
        p.put("server.port", "0");
        p.put("spring.datasource.hikari.maximum-pool-size", "4");
        p.put("chuanyu.evidence.store-dir", dir.resolve(lower + "/store").toString());
        p.put("chuanyu.evidence.signing-key-file", dir.resolve(lower + "/evidence.pem").toString());
        p.put("chuanyu.identity.service-key-file", dir.resolve(lower + "/service.pem").toString());
        p.put("chuanyu.node.region", region);
        p.put("chuanyu.node.name", own.name());
        p.put("chuanyu.node.key-file", dir.resolve(lower + "-node.pem").toString());
        p.put("chuanyu.node.peer.region", region.equals("SC") ? "CQ" : "SC");
        p.put("chuanyu.node.peer.name", peer.name());
        p.put("chuanyu.node.peer.verifier-key", peer.verifierKey());
        p.put("chuanyu.node.peer.content-url", peerContentUrl);
        p.put("chuanyu.node.tls.port", Integer.toString(tlsPort));
        p.put("chuanyu.node.tls.keystore", dir.resolve(lower + ".p12").toString());
        p.put("chuanyu.node.tls.password", PASSWORD);
        p.put("chuanyu.node.tls.peer-certificate", dir.resolve((region.equals("SC") ? "cq" : "sc") + ".pem").toString());
        p.put("chuanyu.node.tls.ca", dir.resolve("ca.pem").toString());
        p.put("chuanyu.link.user", linkUser);
        p.put("chuanyu.link.fetch-retry", "200ms");
        p.put("chuanyu.link.fetch-retry-max", "1s");
        p.put("chuanyu.link.read-timeout", "10s");
        p.putAll(overrides);
        // As command-line arguments: they win over application.yml (default properties would not).
        String[] args = p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(EvidenceExchangeServiceApplication.class)
                .run(args);
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        return new Node(context, port, tlsPort, own.name(), NoteVerifier.of(own.verifierKey()));
    }

    // --- certificates: a throwaway link CA, the two nodes, an unpinned one of the same CA, one of another CA -------

    static void certificates() throws Exception {
        Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                + "extendedKeyUsage=serverAuth,clientAuth\n");
        for (String ca : List.of("ca", "other-ca")) {
            openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                    ca + ".key", "-out", ca + ".pem", "-days", "2", "-subj", "/CN=test " + ca);
        }
        Map<String, String> issuers = Map.of("sc", "ca", "cq", "ca", "rogue", "ca", "other", "other-ca");
        for (Map.Entry<String, String> cert : issuers.entrySet()) {
            String n = cert.getKey();
            openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", n + ".key",
                    "-out", n + ".csr", "-subj", "/CN=" + n + ".test");
            openssl("x509", "-req", "-in", n + ".csr", "-CA", cert.getValue() + ".pem", "-CAkey",
                    cert.getValue() + ".key", "-set_serial", Long.toString(Math.abs(new Random().nextLong())),
                    "-out", n + ".pem", "-days", "2", "-extfile", "ext.cnf");
            openssl("pkcs12", "-export", "-in", n + ".pem", "-inkey", n + ".key", "-out", n + ".p12", "-passout",
                    "pass:" + PASSWORD, "-name", n);
        }
    }

    static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }

    // --- the broker link, as ./platform declares it --------------------------------------------------------------

    static Connection connect(String vhost, String user, String password) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(System.getenv().getOrDefault("RABBIT_HOST", "localhost"));
        factory.setVirtualHost(vhost);
        factory.setUsername(user);
        factory.setPassword(password);
        return factory.newConnection();
    }

    static void linkTopology(String vhost, String peer) throws Exception {
        try (Connection connection = connect(vhost, "guest", "guest"); Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(Messaging.EVENTS_EXCHANGE, "topic", true);
            channel.exchangeDeclare(Messaging.LINK_EXCHANGE, "headers", true);
            channel.exchangeBind(Messaging.LINK_EXCHANGE, Messaging.EVENTS_EXCHANGE, "#");
            String out = Messaging.linkOutQueue(peer);
            channel.queueDeclare(out, true, false, false, null);
            channel.queueBind(out, Messaging.LINK_EXCHANGE, "", Map.of("x-match", "all", Messaging.HEADER_LINK_TO, peer));
            channel.exchangeDeclare(Messaging.LINK_IN_EXCHANGE, "topic", true);
        }
    }

    /** Moves what waits in each node's link-out queue to the other's link-in exchange, as the link user. */
    static final class LinkShovel {

        volatile boolean paused;
        /** Pauses only CQ to SC, so the test can take those messages itself. */
        volatile boolean pausedToSc;
        private volatile boolean running = true;
        private final List<Thread> threads = new ArrayList<>();

        void start() {
            threads.add(direction(scVhost, Messaging.linkOutQueue("CQ"), cqVhost));
            threads.add(direction(cqVhost, Messaging.linkOutQueue("SC"), scVhost));
            threads.forEach(Thread::start);
        }

        private Thread direction(String from, String queue, String to) {
            Thread thread = new Thread(() -> {
                try (Connection src = connect(from, "guest", "guest"); Connection dst = connect(to, linkUser, PASSWORD)) {
                    Channel in = src.createChannel();
                    Channel out = dst.createChannel();
                    out.confirmSelect();
                    while (running) {
                        boolean hold = paused || (pausedToSc && to.equals(scVhost));
                        GetResponse message = hold ? null : in.basicGet(queue, false);
                        if (message == null) {
                            Thread.sleep(50);
                            continue;
                        }
                        AMQP.BasicProperties props = message.getProps().builder().userId(linkUser).build();
                        out.basicPublish(Messaging.LINK_IN_EXCHANGE, message.getEnvelope().getRoutingKey(), props,
                                message.getBody());
                        out.waitForConfirmsOrDie(10_000);
                        in.basicAck(message.getEnvelope().getDeliveryTag(), false);
                    }
                }
                catch (Exception ex) {
                    if (running) {
                        ex.printStackTrace();
                    }
                }
            }, "test-shovel-" + queue);
            thread.setDaemon(true);
            return thread;
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join(5000);
            }
        }
    }

    /** A TCP proxy in front of the SC node's link connector that can cut one connection after some bytes. */
    static final class CutProxy implements AutoCloseable {

        private final ServerSocket server;
        private final int target;
        private final AtomicLong cutAfter = new AtomicLong(-1);
        private final AtomicInteger cuts = new AtomicInteger();
        /** While set, connections are accepted and closed at once (the origin node unreachable). */
        volatile boolean refusing;
        volatile boolean refuseAfterCut;

        CutProxy(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            Thread accept = new Thread(this::accept, "test-cut-proxy");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return server.getLocalPort();
        }

        void cutAfter(long bytes) {
            cutAfter.set(bytes);
        }

        int cuts() {
            return cuts.get();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    if (refusing) {
                        closeQuietly(client);
                        continue;
                    }
                    Socket upstream = new Socket(java.net.InetAddress.getLoopbackAddress(), target);
                    pump(client.getInputStream(), upstream.getOutputStream(), false, client, upstream);
                    pump(upstream.getInputStream(), client.getOutputStream(), true, client, upstream);
                }
                catch (IOException ex) {
                    // closed
                }
            }
        }

        /** Bytes towards the client count down {@link #cutAfter} (on whichever connection, pooled ones too). */
        private void pump(InputStream in, OutputStream out, boolean towardsClient, Socket a, Socket b) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        out.write(buffer, 0, n);
                        if (towardsClient && cutAfter.get() >= 0 && cutAfter.addAndGet(-n) <= 0) {
                            cutAfter.set(-1);
                            if (refuseAfterCut) {
                                refusing = true;
                            }
                            cuts.incrementAndGet();
                            break;
                        }
                    }
                }
                catch (IOException ex) {
                    // one side went away
                }
                closeQuietly(a);
                closeQuietly(b);
            });
            thread.setDaemon(true);
            thread.start();
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            }
            catch (IOException ex) {
                // already closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random().nextBytes(bytes);
        return bytes;
    }

    static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            Thread.sleep(200);
        }
    }
}
