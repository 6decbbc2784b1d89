package cn.chuanyu.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import cn.chuanyu.kit.test.TestInfrastructure;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;

/** What the audit tests share: their infrastructure, a signing key in a temp dir, and a few readers. */
public final class AuditTestSupport {

    /** The log's signing key lives here during tests, never under the working directory. */
    public static final Path KEY_DIR;

    static {
        try {
            KEY_DIR = Files.createTempDirectory("audit-keys-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private AuditTestSupport() {
    }

    /** This run's vhost and the database {@code cyx_test_<database>_<run>}, plus the temp signing key. */
    public static void register(DynamicPropertyRegistry registry, String database) {
        TestInfrastructure.register(registry, database);
        registry.add("chuanyu.audit.signing-key-file", () -> KEY_DIR.resolve(database + ".key").toString());
        registry.add("chuanyu.identity.service-key-file",
                () -> KEY_DIR.resolve("audit-service-private.pem").toString());
        registry.add("chuanyu.node.key-file", () -> KEY_DIR.resolve(database + "-node.key").toString());
    }

    public static List<byte[]> hashes(JsonNode array) {
        return array.valueStream().map(n -> HexFormat.of().parseHex(n.asString())).toList();
    }
}
