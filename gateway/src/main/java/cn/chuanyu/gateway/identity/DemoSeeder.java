package cn.chuanyu.gateway.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.node.NodeIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * On the first start of a demo platform (empty registry), registers demo agencies of both regions plus an
 * operator and an auditor, and writes their API keys once to the credentials file (mode 600). Later starts find
 * the registry filled and leave both alone, so keys stay the same. In two-region mode a node seeds only its own
 * region's agencies (each with its node's {@code gatewayUrl}), its operator and its auditor: the peer's agencies
 * arrive over the link from the peer's registry.
 */
@Component
@ConditionalOnProperty("chuanyu.demo.credentials-file")
@Order(Ordered.HIGHEST_PRECEDENCE) // before AgencyAnnouncer, so a first start announces what it seeded
class DemoSeeder implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoSeeder.class);

    private record DemoAgency(String id, String name, Region region, AgencyKind kind) {
    }

    private static final DemoAgency[] AGENCIES = {
        new DemoAgency("sc-chengdu-intermediate-court", "成都市中级人民法院", Region.SC, AgencyKind.COURT),
        new DemoAgency("sc-chengdu-procuratorate", "成都市人民检察院", Region.SC, AgencyKind.PROCURATORATE),
        new DemoAgency("sc-mianyang-public-security", "绵阳市公安局", Region.SC, AgencyKind.PUBLIC_SECURITY),
        new DemoAgency("cq-first-intermediate-court", "重庆市第一中级人民法院", Region.CQ, AgencyKind.COURT),
        new DemoAgency("cq-yubei-public-security", "重庆市公安局渝北区分局", Region.CQ, AgencyKind.PUBLIC_SECURITY),
        new DemoAgency("cq-jiangbei-justice-bureau", "重庆市江北区司法局", Region.CQ, AgencyKind.JUSTICE_BUREAU),
    };

    private final PrincipalRegistry registry;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Path credentialsFile;
    private final NodeIdentity node;

    DemoSeeder(PrincipalRegistry registry, TransactionTemplate tx, JsonMapper json,
            @Value("${chuanyu.demo.credentials-file}") Path credentialsFile, NodeIdentity node) {
        this.registry = registry;
        this.tx = tx;
        this.json = json;
        this.credentialsFile = credentialsFile;
        this.node = node;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        Map<String, Object> credentials = tx.execute(status -> registry.isEmpty() ? seed() : null);
        if (credentials == null) {
            if (!Files.exists(credentialsFile)) {
                log.warn("the registry already holds principals but {} is missing: its keys cannot be shown again; "
                        + "drop the gateway database to reseed the demo", credentialsFile);
            }
            return;
        }
        Files.createDirectories(credentialsFile.toAbsolutePath().getParent());
        Files.deleteIfExists(credentialsFile);
        Files.createFile(credentialsFile, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(credentialsFile, json.writerWithDefaultPrettyPrinter().writeValueAsString(credentials),
                StandardOpenOption.TRUNCATE_EXISTING);
        log.info("seeded {} demo agencies, an operator and an auditor; keys written to {}",
                ((Map<?, ?>) credentials.get("agencies")).size(), credentialsFile);
    }

    private Map<String, Object> seed() {
        Map<String, Object> agencies = new LinkedHashMap<>();
        for (DemoAgency agency : AGENCIES) {
            if (!node.isLocal(agency.region())) {
                continue;
            }
            registry.registerAgency(agency.id(), agency.name(), agency.region(), agency.kind());
            Map<String, Object> entry = new LinkedHashMap<>(Map.of("name", agency.name(),
                    "region", agency.region().name(), "kind", agency.kind().name(),
                    "apiKey", registry.issueKey(agency.id())));
            if (node.twoRegions()) {
                entry.put("gatewayUrl", node.properties().gatewayUrl());
            }
            agencies.put(agency.id(), entry);
        }
        registry.registerStaff("ops-operator", "Integration operator (demo)", Role.OPERATOR);
        registry.registerStaff("supervisor-auditor", "Supervisor / auditor (demo)", Role.AUDITOR);
        Map<String, Object> credentials = new LinkedHashMap<>();
        credentials.put("agencies", agencies);
        credentials.put("operator", Map.of("id", "ops-operator", "apiKey", registry.issueKey("ops-operator")));
        credentials.put("auditor", Map.of("id", "supervisor-auditor",
                "apiKey", registry.issueKey("supervisor-auditor")));
        return credentials;
    }
}
