package cn.chuanyu.kit.node;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which node of the platform this service belongs to ({@code chuanyu.node.*}, see chuanyu-defaults.yml).
 *
 * @param region     "SC" or "CQ" when the platform runs as two nodes, one per region; empty on one node holding
 *                   both regions
 * @param name       the node's name, also the name of its note key (e.g. {@code sc.chuanyu.local})
 * @param keyFile    the node's Ed25519 note key (PKCS#8 and public PEM blocks), made on first start if missing
 * @param gatewayUrl where this node's agencies call it
 * @param peer       the other region's node (two-region mode only)
 */
@ConfigurationProperties("chuanyu.node")
public record NodeProperties(
        @DefaultValue("") String region,
        @DefaultValue("chuanyu.local") String name,
        @DefaultValue("keys/node-ed25519.key") Path keyFile,
        @DefaultValue("") String gatewayUrl,
        @DefaultValue Peer peer) {

    /**
     * @param region      the peer's region
     * @param name        the peer node's name
     * @param verifierKey the peer's note verifier key, pinned here ({@code <name>+<hex id>+<base64>})
     * @param gatewayUrl  where the peer's agencies call it (shown by {@code GET /api/v1/nodes})
     * @param contentUrl  the peer's mutual-TLS endpoint for evidence content
     */
    public record Peer(@DefaultValue("") String region, @DefaultValue("") String name,
            @DefaultValue("") String verifierKey, @DefaultValue("") String gatewayUrl,
            @DefaultValue("") String contentUrl) {
    }

    public boolean twoRegions() {
        return !region.isBlank();
    }
}
