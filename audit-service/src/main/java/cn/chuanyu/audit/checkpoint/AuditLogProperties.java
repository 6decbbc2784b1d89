package cn.chuanyu.audit.checkpoint;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the signed log ({@code chuanyu.audit.*}).
 *
 * @param origin         the log's name: first line of every checkpoint and the name of its signing key; a
 *                       schema-less URL without spaces or '+'
 * @param signingKeyFile the Ed25519 key pair (PEM), generated there on first start; kept outside the database.
 *                       Several instances of the service must share it
 * @param signInterval   how often the current tree head is signed
 */
@ConfigurationProperties("chuanyu.audit")
public record AuditLogProperties(String origin, String signingKeyFile, Duration signInterval) {

    public AuditLogProperties {
        origin = origin == null || origin.isBlank() ? "chuanyu.exchange/audit-log" : origin;
        signingKeyFile = signingKeyFile == null || signingKeyFile.isBlank() ? "var/keys/audit-log-ed25519.key"
                : signingKeyFile;
        signInterval = signInterval == null ? Duration.ofSeconds(5) : signInterval;
    }

    /** Relative paths are resolved against the working directory (the repository root under ./platform). */
    public Path signingKeyPath() {
        return Path.of(signingKeyFile);
    }
}
