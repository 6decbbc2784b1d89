package cn.chuanyu.system;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import cn.chuanyu.client.ChuanyuClient;
import cn.chuanyu.client.Evidence;
import cn.chuanyu.client.Inbox;
import cn.chuanyu.client.InboxFollower;
import cn.chuanyu.client.Transfers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agencies' client library (in this JVM) and the {@code cyx} command line (as processes through bin/cyx) against
 * the running platform: the transfer path seen from both sides, a large upload killed half way and resumed, and
 * evidence verification that catches one changed byte.
 */
class ClientAndCliIT {

    static final String SENDER = "sc-chengdu-intermediate-court";
    static final String RECIPIENT = "cq-first-intermediate-court";
    static final JsonMapper JSON = JsonMapper.builder().build();

    static Platform platform;

    @BeforeAll
    static void startPlatform() {
        platform = Platform.shared();
    }

    static ChuanyuClient client(String agency) {
        return ChuanyuClient.builder().gateway(platform.url("gateway")).apiKey(platform.agencyKey(agency)).build();
    }

    static Cyx cyx(String apiKey, Path configDir) {
        return new Cyx(platform.url("gateway"), apiKey, configDir);
    }

    @Test
    void aTransferSubmittedWithTheLibraryIsSeenAndAcceptedWithCyxAndTheSenderSeesTheAcceptance(@TempDir Path dir)
            throws Exception {
        Transfers.Transfer submitted = client(SENDER).transfers().submit(new Transfers.NewTransfer(
                "(2026)川01刑初" + System.nanoTime() % 100000 + "号", "客户端库示例", "CRIMINAL", RECIPIENT, "被告人户籍地在重庆",
                null, null));
        String id = submitted.id().toString();
        Cyx recipient = cyx(platform.agencyKey(RECIPIENT), dir.resolve("recipient"));

        // the recipient's follower prints each item once, and keeps its place between runs
        List<JsonNode> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Cyx.Run run = recipient.run("inbox", "follow", "--once", "--json");
            assertThat(run.exit()).as(run.stderr()).isZero();
            for (String line : run.lines()) {
                seen.add(JSON.readTree(line));
            }
            return seen.stream().anyMatch(item -> item.path("exchangeId").asString().equals(id));
        });
        JsonNode item = seen.stream().filter(i -> i.path("exchangeId").asString().equals(id)).findFirst().orElseThrow();
        assertThat(item.path("type").asString()).isEqualTo("case-transfer.submitted");
        assertThat(seen.stream().map(i -> i.path("cursor").asString()).distinct().count()).isEqualTo(seen.size());
        Cyx.Run again = recipient.run("inbox", "follow", "--once", "--json");
        assertThat(again.lines()).noneMatch(line -> line.contains(id));

        Cyx.Run accepted = recipient.run("transfers", "accept", id, "--note", "同意接收", "--json");
        assertThat(accepted.exit()).as(accepted.stderr()).isZero();
        assertThat(JSON.readTree(accepted.stdout()).path("state").asString()).isEqualTo("ACCEPTED");

        // accepting twice: the 409 problem as text on stderr, exit 3
        Cyx.Run twice = recipient.run("transfers", "accept", id);
        assertThat(twice.exit()).isEqualTo(3);
        assertThat(twice.stderr()).contains("409");
        assertThat(twice.stdout()).isEmpty();

        // the sender follows its inbox with the library and sees the acceptance
        Path cursor = dir.resolve("sender.cursor");
        List<Inbox.Item> senderItems = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            client(SENDER).inbox().follower(InboxFollower.fileStore(cursor), senderItems::add).drain();
            return senderItems.stream().anyMatch(i -> i.exchangeId().equals(id)
                    && i.type().equals("case-transfer.accepted"));
        });
        assertThat(client(SENDER).transfers().get(submitted.id()).state()).isEqualTo("ACCEPTED");

        // and the auditor checks the submission's audit entry offline with cyx (the offline verifier's rules)
        ChuanyuClient auditor = ChuanyuClient.builder().gateway(platform.url("gateway"))
                .apiKey(platform.credentials().path("auditor").path("apiKey").asString()).build();
        long[] seq = {0};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode items = auditor.audit().entries(Map.of("exchangeId", id)).path("items");
            if (items.size() > 0) {
                seq[0] = items.get(0).path("seq").asLong();
            }
            return seq[0] > 0;
        });
        Cyx.Run verified = cyx(platform.credentials().path("auditor").path("apiKey").asString(), dir.resolve("auditor"))
                .run("audit", "entry", Long.toString(seq[0]), "--verify", "--save", dir.resolve("proof").toString());
        assertThat(verified.exit()).as(verified.stdout() + verified.stderr()).isZero();
        assertThat(verified.stdout()).contains("VALID: entry seq " + seq[0]);
        assertThat(dir.resolve("proof/proof.json")).exists();
    }

    @Test
    void a200MiBPutKilledHalfWayResumesWhenRunAgainAndEndsWithTheRightDigest(@TempDir Path dir) throws Exception {
        Cyx sender = cyx(platform.agencyKey(SENDER), dir.resolve("sender"));
        Cyx.Run created = sender.run("evidence", "create", "--to", RECIPIENT, "--title", "大文件续传", "--json");
        assertThat(created.exit()).as(created.stderr()).isZero();
        String packageId = JSON.readTree(created.stdout()).path("id").asString();

        Path file = dir.resolve("video.bin");
        writeRandom(file, 200L * 1024 * 1024);
        long size = Files.size(file);

        Process first = sender.builder("evidence", "put", packageId, file.toString())
                .redirectOutput(dir.resolve("first.out").toFile()).redirectError(dir.resolve("first.err").toFile())
                .start();
        // half way by the service's own count: the upload's URL is in cyx's state file, its offset comes from HEAD
        Path states = dir.resolve("sender/uploads");
        long[] held = {0};
        await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(20)).until(() -> {
            assertThat(first.isAlive()).as("the first put ended before it was killed").isTrue();
            held[0] = offset(states);
            return held[0] >= size / 2;
        });
        first.destroyForcibly();
        assertThat(first.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        long atKill = offset(states);
        assertThat(atKill).as("bytes held when killed").isBetween(size / 2, size - 1);

        Cyx.Run second = sender.run(Duration.ofMinutes(10), "evidence", "put", packageId, file.toString(), "--json");
        assertThat(second.exit()).as(second.stderr()).isZero();
        JsonNode done = JSON.readTree(second.stdout());
        assertThat(done.path("resumedFrom").asLong()).isGreaterThanOrEqualTo(atKill);
        String localSha = Evidence.sha256Hex(file);
        assertThat(done.path("sha256").asString()).isEqualTo(localSha);

        Evidence.EvidencePackage stored = client(SENDER).evidence().get(UUID.fromString(packageId));
        assertThat(stored.items()).singleElement().satisfies(item -> {
            assertThat(item.name()).isEqualTo("video.bin");
            assertThat(item.size()).isEqualTo(size);
            assertThat(item.sha256()).isEqualTo(localSha);
        });
    }

    @Test
    void evidenceVerifyPassesAndThenFailsAfterOneByteOfALocalFileChanges(@TempDir Path dir) throws Exception {
        Cyx sender = cyx(platform.agencyKey(SENDER), dir.resolve("sender"));
        Cyx recipient = cyx(platform.agencyKey(RECIPIENT), dir.resolve("recipient"));
        Path files = Files.createDirectories(dir.resolve("files"));
        Files.writeString(files.resolve("report.txt"), "鉴定意见书\n");
        writeRandom(files.resolve("photo.jpg"), 3 * 1024 * 1024 + 11);

        String packageId = JSON.readTree(sender.run("evidence", "create", "--to", RECIPIENT, "--title", "核验示例",
                "--json").stdout()).path("id").asString();
        Cyx.Run put = sender.run("evidence", "put", packageId, files.resolve("report.txt").toString(),
                files.resolve("photo.jpg").toString());
        assertThat(put.exit()).as(put.stderr()).isZero();
        Cyx.Run sealed = sender.run("evidence", "seal", packageId);
        assertThat(sealed.exit()).as(sealed.stderr()).isZero();

        // the recipient pins the platform's evidence key, downloads, and verifies
        Path pinned = dir.resolve("evidence-key.pem");
        Files.writeString(pinned, client(RECIPIENT).evidence().signingKey().publicKeyPem());
        Path got = Files.createDirectories(dir.resolve("got"));
        for (String name : List.of("report.txt", "photo.jpg")) {
            Cyx.Run get = recipient.run("evidence", "get", packageId, name, "-o", got.resolve(name).toString());
            assertThat(get.exit()).as(get.stderr()).isZero();
            assertThat(Files.mismatch(got.resolve(name), files.resolve(name))).isEqualTo(-1L);
        }
        Cyx.Run valid = recipient.run("evidence", "verify", packageId, "--dir", got.toString(), "--key",
                pinned.toString());
        assertThat(valid.exit()).as(valid.stdout() + valid.stderr()).isZero();
        assertThat(valid.stdout()).contains("VALID");

        try (RandomAccessFile photo = new RandomAccessFile(got.resolve("photo.jpg").toFile(), "rw")) {
            photo.seek(1_000_000);
            int b = photo.read();
            photo.seek(1_000_000);
            photo.write(b ^ 0x01);
        }
        Cyx.Run invalid = recipient.run("evidence", "verify", packageId, "--dir", got.toString(), "--key",
                pinned.toString());
        assertThat(invalid.exit()).as(invalid.stdout() + invalid.stderr()).isEqualTo(1);
        assertThat(invalid.stdout()).contains("INVALID").contains("photo.jpg: DIGEST_MISMATCH");

        // a key that is not the platform's does not verify the seal either
        Path other = dir.resolve("other.pem");
        java.security.KeyPair keys = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(other, "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Files.write(got.resolve("photo.jpg"), Files.readAllBytes(files.resolve("photo.jpg")));
        Cyx.Run wrongKey = recipient.run("evidence", "verify", packageId, "--dir", got.toString(), "--key",
                other.toString());
        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(wrongKey.stdout()).contains("signature does not verify");
    }

    /** Upload-Offset of the one unfinished upload cyx keeps state for (0 before it exists). */
    private static long offset(Path states) throws IOException, InterruptedException {
        if (!Files.isDirectory(states)) {
            return 0;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(states)) {
            files = list.filter(p -> !p.toString().endsWith(".tmp")).toList();
        }
        if (files.isEmpty()) {
            return 0;
        }
        String url = Files.readString(files.get(0)).strip();
        if (url.isEmpty()) {
            return 0;
        }
        HttpResponse<Void> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + platform.agencyKey(SENDER)).header("Tus-Resumable", "1.0.0")
                .build(), HttpResponse.BodyHandlers.discarding());
        return head.statusCode() == 200 ? head.headers().firstValueAsLong("Upload-Offset").orElse(0) : 0;
    }

    private static void writeRandom(Path file, long size) throws IOException {
        Random random = new Random(size);
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buffer.length) {
                random.nextBytes(buffer);
                out.write(buffer, 0, (int) Math.min(buffer.length, left));
            }
        }
    }
}
