package cn.chuanyu.kit.web;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.KitTestApplication;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/** The Idempotency-Key filter over real HTTP and PostgreSQL: what a retry gets back, and for how long. */
@SpringBootTest(classes = {KitTestApplication.class, IdempotencyFilterIT.Endpoints.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"chuanyu.outbox.relay-enabled=false", "chuanyu.idempotency.ttl=1h",
                "chuanyu.identity.audience=service-kit"})   // what TestHttp signs for in this module
class IdempotencyFilterIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "kit_web");
    }

    static final AtomicInteger CREATED = new AtomicInteger();

    @TestConfiguration
    static class Endpoints {

        @Bean
        ThingsController thingsController() {
            return new ThingsController();
        }
    }

    @RestController
    static class ThingsController {

        @PostMapping("/api/test/things")
        ResponseEntity<Map<String, Object>> create() {
            int n = CREATED.incrementAndGet();
            return ResponseEntity.created(URI.create("/api/test/things/" + n)).body(Map.of("n", n));
        }

        /** Like a webhook registration: the secret is in this response only. */
        @PostMapping("/api/test/secrets")
        ResponseEntity<Map<String, Object>> secret() {
            int n = CREATED.incrementAndGet();
            return ResponseEntity.created(URI.create("/api/test/secrets/" + n)).cacheControl(CacheControl.noStore())
                    .body(Map.of("n", n, "secret", "s3cret-" + n));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    IdempotencyRecordPurge purge;

    final Caller caller = new Caller("ops-" + UUID.randomUUID().toString().substring(0, 8), Role.OPERATOR, null,
            null);

    @Test
    void aRetryWithinTheTtlGetsTheStoredResponseAndChangesNothing() {
        String key = UUID.randomUUID().toString();
        TestHttp.Response first = post("/api/test/things", key);
        int before = CREATED.get();
        TestHttp.Response replay = post("/api/test/things", key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(CREATED.get()).isEqualTo(before);
    }

    @Test
    void aResponseMarkedNoStoreIsNeverReplayedWithItsBody() {
        String key = UUID.randomUUID().toString();
        TestHttp.Response first = post("/api/test/secrets", key);
        String secret = first.json().path("secret").asString();
        int before = CREATED.get();
        TestHttp.Response replay = post("/api/test/secrets", key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(secret).startsWith("s3cret-");
        assertThat(replay.status()).as(replay.body()).isEqualTo(409);
        assertThat(replay.contentType()).startsWith(ProblemJson.MEDIA_TYPE);
        assertThat(replay.body()).doesNotContain(secret);
        assertThat(replay.header("Location")).isEqualTo(first.header("Location"));
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(CREATED.get()).as("the replay created nothing").isEqualTo(before);
        assertThat(storedBody(key)).as("the secret is not kept in the database").isEmpty();
    }

    @Test
    void anExpiredRecordIsIgnoredBeforeThePurgeAndTheKeyWorksAgain() {
        String key = UUID.randomUUID().toString();
        TestHttp.Response first = post("/api/test/things", key);
        age(key, "2 hours");

        TestHttp.Response again = post("/api/test/things", key);

        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isNull();
        assertThat(again.header("Location")).isNotEqualTo(first.header("Location"));
        // The new response now answers retries with the key, for a TTL from now.
        TestHttp.Response replay = post("/api/test/things", key);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.header("Location")).isEqualTo(again.header("Location"));
    }

    @Test
    void thePurgeDeletesExpiredRecordsOnly() {
        String expired = UUID.randomUUID().toString();
        String live = UUID.randomUUID().toString();
        post("/api/test/things", expired);
        post("/api/test/things", live);
        age(expired, "61 minutes");

        assertThat(purge.purgeExpired()).isGreaterThanOrEqualTo(1);

        assertThat(count(expired)).isZero();
        assertThat(count(live)).isOne();
        assertThat(purge.isRunning()).as("the purge runs on its own every purge interval").isTrue();
    }

    private TestHttp.Response post(String path, String key) {
        return TestHttp.postJson("http://localhost:" + port + path, "{}", "X-Chuanyu-Principal",
                TestInfrastructure.token(caller), "Idempotency-Key", key);
    }

    private void age(String key, String by) {
        jdbc.sql("update idempotency_record set created_at = now() - cast(:by as interval) "
                        + "where caller_id = :caller and idempotency_key = :key")
                .param("by", by).param("caller", caller.id()).param("key", key).update();
    }

    private int count(String key) {
        return jdbc.sql("select count(*) from idempotency_record where caller_id = :caller and idempotency_key = :key")
                .param("caller", caller.id()).param("key", key).query(Integer.class).single();
    }

    private byte[] storedBody(String key) {
        return jdbc.sql("select body from idempotency_record where caller_id = :caller and idempotency_key = :key")
                .param("caller", caller.id()).param("key", key).query(byte[].class).single();
    }
}
