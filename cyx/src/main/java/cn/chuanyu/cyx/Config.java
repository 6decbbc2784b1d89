package cn.chuanyu.cyx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

import cn.chuanyu.client.ChuanyuClient;
import tools.jackson.databind.JsonNode;

/** Where cyx finds the gateway and the key: the environment first, then what {@code cyx login} stored. */
final class Config {

    static final class NotConfigured extends RuntimeException {
        NotConfigured(String message) {
            super(message);
        }
    }

    private Config() {
    }

    static Path dir() {
        String own = System.getenv("CYX_CONFIG_DIR");
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("cyx");
    }

    static Path file() {
        return dir().resolve("config.json");
    }

    static Map<String, String> stored() {
        Path file = file();
        Map<String, String> values = new LinkedHashMap<>();
        if (Files.exists(file)) {
            try {
                JsonNode node = Output.JSON.readTree(Files.readString(file));
                node.properties().forEach(e -> values.put(e.getKey(), e.getValue().asString()));
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return values;
    }

    static String gateway() {
        String env = System.getenv("CYX_GATEWAY");
        if (env != null && !env.isBlank()) {
            return env;
        }
        String stored = stored().get("gateway");
        if (stored != null) {
            return stored;
        }
        throw new NotConfigured("no gateway: set CYX_GATEWAY or run `cyx login --gateway URL`");
    }

    static String apiKey() {
        String env = System.getenv("CYX_API_KEY");
        if (env != null && !env.isBlank()) {
            return env;
        }
        String stored = stored().get("apiKey");
        if (stored != null) {
            return stored;
        }
        throw new NotConfigured("no API key: set CYX_API_KEY or run `cyx login`");
    }

    static ChuanyuClient client() {
        return ChuanyuClient.builder().gateway(gateway()).apiKey(apiKey()).build();
    }

    /** Writes the file readable by its owner only, created so from the start (never briefly world-readable). */
    static void store(String gateway, String apiKey) {
        Path file = file();
        try {
            Files.createDirectories(file.getParent());
            Map<String, String> values = new LinkedHashMap<>();
            values.put("gateway", gateway);
            values.put("apiKey", apiKey);
            byte[] bytes = Output.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(values);
            Path tmp = file.resolveSibling("config.json.tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
                        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            }
            catch (UnsupportedOperationException notPosix) {
                Files.createFile(tmp);
            }
            Files.write(tmp, bytes, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
