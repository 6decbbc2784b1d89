package cn.chuanyu.kit.test;

import java.io.IOException;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.identity.Ed25519Keys;
import cn.chuanyu.kit.identity.PrincipalTokens;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Per-test-run isolation on the machine's real RabbitMQ and PostgreSQL: one fresh vhost and fresh database names
 * per JVM, so parallel or repeated runs never see each other's messages or rows. Also the gateway key pair the
 * tests sign principals with.
 */
public final class TestInfrastructure {

    public static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);

    public static final KeyPair GATEWAY_KEYS = Ed25519Keys.generate();

    private static final Set<String> DATABASES = ConcurrentHashMap.newKeySet();

    private static String vhost;

    private TestInfrastructure() {
    }

    /** A vhost of this run's own, created on first use and deleted when the JVM ends. */
    public static synchronized String vhost() {
        if (vhost == null) {
            String name = "cyx-test-" + RUN_ID;
            rabbitmqctl("add_vhost", name);
            rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> rabbitmqctl("delete_vhost", name)));
            vhost = name;
        }
        return vhost;
    }

    /** This run's database for the service; dropped when the JVM ends, so repeated runs leave nothing behind. */
    public static String database(String service) {
        return dropAtExit("cyx_test_" + service.replace('-', '_') + "_" + RUN_ID);
    }

    /** A database name of this run that something else creates (a launched service): dropped when the JVM ends. */
    public static String dropAtExit(String name) {
        if (DATABASES.add(name)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> dropDatabase(name)));
        }
        return name;
    }

    private static void dropDatabase(String name) {
        String url = "jdbc:postgresql://" + env("DB_HOST", "localhost") + ":" + env("DB_PORT", "5432") + "/postgres";
        // Cached Spring contexts and started services shut down beside this hook and may still (re)connect: force,
        // and try again a few times.
        for (int attempt = 1; attempt <= 5; attempt++) {
            try (Connection connection = DriverManager.getConnection(url, env("DB_USER", "postgres"),
                    env("DB_PASSWORD", "")); Statement statement = connection.createStatement()) {
                statement.execute("drop database if exists " + name + " with (force)");
                return;
            }
            catch (SQLException ex) {
                if (attempt == 5) {
                    System.err.println("could not drop test database " + name + ": " + ex.getMessage());
                    return;
                }
                try {
                    Thread.sleep(1000);
                }
                catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Points a Spring test at this run's vhost and database and trusts the test gateway key. */
    public static void register(DynamicPropertyRegistry registry, String service) {
        properties(service).forEach((key, value) -> registry.add(key, () -> value));
    }

    /** The same settings, for applications a test starts and stops itself. */
    public static Map<String, Object> properties(String service) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.rabbitmq.virtual-host", vhost());
        properties.put("chuanyu.database.name", database(service));
        properties.put("chuanyu.identity.gateway-public-key", Ed25519Keys.toPem(GATEWAY_KEYS.getPublic()));
        properties.put("chuanyu.identity.gateway-private-key", Ed25519Keys.toPem(GATEWAY_KEYS.getPrivate()));
        return properties;
    }

    /** The service the tests of this module call (its artifactId, set by the build; see the root pom). */
    public static final String AUDIENCE = System.getProperty("chuanyu.test.audience", "unknown-service");

    private static final String UNSIGNED = "test-unsigned-principal:";
    private static final PrincipalTokens.Issuer GATEWAY = new PrincipalTokens.Issuer(PrincipalTokens.GATEWAY,
            GATEWAY_KEYS.getPrivate());

    /**
     * Names the caller for a request a test is about to send through {@link TestHttp} (or {@link #signed}): a
     * placeholder that is signed, like the gateway does, for that one request (method, path, {@link #AUDIENCE}) as
     * it is sent. Anything else that sends it sends a token every service refuses.
     */
    public static String token(Caller caller) {
        return UNSIGNED + String.join("|", caller.id(), caller.role().name(),
                caller.region() == null ? "" : caller.region().name(),
                caller.kind() == null ? "" : caller.kind().name());
    }

    /** A real principal token, as the gateway signs it, for one request to {@code audience}. */
    public static String token(Caller caller, String audience, String method, String rawPath) {
        return GATEWAY.tokenFor(caller, audience, method, rawPath, Instant.now());
    }

    /** Checks a token a stub service received as that service would (it accepts each token once). */
    public static PrincipalTokens.Verified verifyAs(String service, String token, String method, String rawPath) {
        return new PrincipalTokens.Verifier(service, java.util.Map.of(PrincipalTokens.GATEWAY,
                GATEWAY_KEYS.getPublic())).verify(token, method, rawPath, Instant.now());
    }

    /** The request with its {@link #token(Caller)} placeholder, if any, signed for exactly this request. */
    public static HttpRequest signed(HttpRequest request) {
        String principal = request.headers().firstValue(PrincipalTokens.HEADER).orElse(null);
        if (principal == null || !principal.startsWith(UNSIGNED)) {
            return request;
        }
        String[] f = principal.substring(UNSIGNED.length()).split("\\|", -1);
        Caller caller = new Caller(f[0], Role.valueOf(f[1]), f[2].isEmpty() ? null : Region.valueOf(f[2]),
                f[3].isEmpty() ? null : AgencyKind.valueOf(f[3]));
        return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase(PrincipalTokens.HEADER))
                .header(PrincipalTokens.HEADER, token(caller, AUDIENCE, request.method(), request.uri().getRawPath()))
                .build();
    }

    public static void rabbitmqctl(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "rabbitmqctl";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            ChildProcess.Result result = ChildProcess.run(List.of(command), Duration.ofSeconds(60));
            if (result.exit() != 0) {
                throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + result.output());
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("rabbitmqctl is needed by the tests", ex);
        }
    }
}
