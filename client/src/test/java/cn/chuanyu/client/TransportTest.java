package cn.chuanyu.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportTest {

    static final String TRANSFER = """
            {"id":"0b0c5a7e-1111-4e6a-9a34-6f1c2b3d4e5f","state":"SUBMITTED","caseNumber":"X1","title":"t",
             "caseType":"CRIMINAL","fromAgency":"a-aa","toAgency":"b-bb","reason":"r","overdue":false,"version":1,
             "someFieldANewerServerAdds":true}""";

    final List<Duration> slept = new ArrayList<>();
    final RetryPolicy recording = RetryPolicy.defaults().withSleeper(slept::add);

    static Transfers.NewTransfer newTransfer() {
        return new Transfers.NewTransfer("X1", "t", "CRIMINAL", "b-bb", "r", null, null);
    }

    @Test
    void aPostRetriedAfter503HonoursRetryAfterAndReusesItsIdempotencyKey() {
        try (StubServer stub = new StubServer((ex, seen, i) -> {
            if (i < 2) {
                StubServer.respond(ex, 503, "application/problem+json",
                        "{\"status\":503,\"title\":\"Service Unavailable\"}", "Retry-After", "2");
            }
            else {
                StubServer.respond(ex, 201, "application/json", TRANSFER);
            }
        })) {
            Transfers.Transfer t = stub.client(recording).transfers().submit(newTransfer());

            assertThat(t.state()).isEqualTo("SUBMITTED");
            assertThat(stub.seen).hasSize(3);
            String key = stub.seen.get(0).header("Idempotency-Key");
            assertThat(key).isNotBlank();
            assertThat(stub.seen).allSatisfy(s -> assertThat(s.header("Idempotency-Key")).isEqualTo(key));
            assertThat(stub.seen).allSatisfy(s -> assertThat(s.header("Authorization")).isEqualTo("Bearer test-key"));
            assertThat(slept).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
        }
    }

    @Test
    void aPostThatTimedOutIsSentAgainWithTheSameKey() {
        AtomicInteger calls = new AtomicInteger();
        try (StubServer stub = new StubServer((ex, seen, i) -> {
            if (calls.getAndIncrement() == 0) {
                sleep(1500);
            }
            StubServer.respond(ex, 201, "application/json", TRANSFER);
        })) {
            ChuanyuClient client = ChuanyuClient.builder().gateway(stub.url()).apiKey("k").retry(recording)
                    .requestTimeout(Duration.ofMillis(400)).build();

            client.transfers().submit(newTransfer(), "my-own-key");

            assertThat(stub.seen).hasSizeGreaterThanOrEqualTo(2);
            assertThat(stub.seen).allSatisfy(s -> assertThat(s.header("Idempotency-Key")).isEqualTo("my-own-key"));
        }
    }

    @Test
    void a500OnAGetIsRetriedWithBackOff() {
        try (StubServer stub = new StubServer((ex, seen, i) -> {
            if (i == 0) {
                StubServer.respond(ex, 500, "text/html", "<h1>oops</h1>");
            }
            else {
                StubServer.respond(ex, 200, "application/json", TRANSFER);
            }
        })) {
            stub.client(recording).transfers().get(java.util.UUID.randomUUID());
            assertThat(stub.seen).hasSize(2);
            assertThat(slept).hasSize(1);
        }
    }

    @Test
    void aRetryAfterBeyondTheBudgetEndsTheCallAtOnceWithTheProblem() {
        RetryPolicy budget = new RetryPolicy(5, Duration.ofSeconds(10), Duration.ofMillis(10), slept::add);
        try (StubServer stub = new StubServer((ex, seen, i) -> StubServer.respond(ex, 429,
                "application/problem+json", "{\"status\":429,\"title\":\"Too many requests\",\"retryAfterSeconds\":60}",
                "Retry-After", "60"))) {
            assertThatThrownBy(() -> stub.client(budget).transfers().submit(newTransfer()))
                    .isInstanceOfSatisfying(ProblemException.TooManyRequests.class, p -> {
                        assertThat(p.retryAfter()).contains(Duration.ofSeconds(60));
                        assertThat(p.properties()).containsEntry("retryAfterSeconds", 60);
                    });
            assertThat(stub.seen).hasSize(1);
            assertThat(slept).isEmpty();
        }
    }

    @Test
    void retriesStopAfterMaxAttempts() {
        RetryPolicy three = new RetryPolicy(3, Duration.ofMinutes(5), Duration.ofMillis(10), slept::add);
        try (StubServer stub = new StubServer((ex, seen, i) -> StubServer.respond(ex, 503, null, null,
                "Retry-After", "1"))) {
            assertThatThrownBy(() -> stub.client(three).transfers().list(null, null, null, null))
                    .isInstanceOf(ProblemException.ServiceUnavailable.class);
            assertThat(stub.seen).hasSize(3);
        }
    }

    @Test
    void aValidationProblemBecomesATypedExceptionWithEveryFieldError() {
        String problem = """
                {"type":"about:blank","title":"Bad Request","status":400,"detail":"3 invalid fields",
                 "instance":"/api/v1/case-transfers",
                 "errors":[{"field":"caseType","message":"must be one of CRIMINAL, CIVIL"},
                           {"field":"bogus","message":"unknown field"},{"field":"title","message":"must not be blank"}]}""";
        try (StubServer stub = new StubServer((ex, seen, i) -> StubServer.respond(ex, 400,
                "application/problem+json", problem))) {
            assertThatThrownBy(() -> stub.client(recording).transfers().submit(newTransfer()))
                    .isInstanceOfSatisfying(ProblemException.InvalidRequest.class, p -> {
                        assertThat(p.status()).isEqualTo(400);
                        assertThat(p.detail()).isEqualTo("3 invalid fields");
                        assertThat(p.instance()).isEqualTo("/api/v1/case-transfers");
                        assertThat(p.errors()).extracting(ProblemException.FieldError::field)
                                .containsExactly("caseType", "bogus", "title");
                        assertThat(p.describe()).contains("caseType: must be one of CRIMINAL, CIVIL");
                    });
            assertThat(stub.seen).hasSize(1);
        }
    }

    @Test
    void otherStatusesMapToTheirTypes() {
        int[] statuses = {401, 403, 404, 409, 412, 502};
        Class<?>[] types = {ProblemException.Unauthorized.class, ProblemException.Forbidden.class,
                ProblemException.NotFound.class, ProblemException.Conflict.class, ProblemException.Conflict.class,
                ProblemException.ServerError.class};
        for (int k = 0; k < statuses.length; k++) {
            int status = statuses[k];
            try (StubServer stub = new StubServer((ex, seen, i) -> StubServer.respond(ex, status,
                    "application/problem+json", "{\"status\":" + status + ",\"title\":\"x\",\"currentState\":\"ACCEPTED\"}"))) {
                assertThatThrownBy(() -> stub.client(RetryPolicy.none()).transfers().accept(java.util.UUID.randomUUID(), null))
                        .isInstanceOf(types[k])
                        .satisfies(p -> assertThat(((ProblemException) p).properties()).containsEntry("currentState", "ACCEPTED"));
            }
        }
    }

    @Test
    void retryAfterAcceptsSecondsAndHttpDates() {
        assertThat(Transport.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(Transport.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(Transport.retryAfter("soon")).isNull();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
