package cn.chuanyu.audit.accounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import cn.chuanyu.kit.test.ChildProcess;
import cn.chuanyu.kit.test.TestInfrastructure;

/**
 * An instance of this run's own whose accounts the launch recipe made ({@code bin/launch accounts}): its databases,
 * the owner and service roles, the vhost and the broker users, exactly as {@code ./platform up} makes them. Dropped
 * ({@code bin/launch drop}) when the JVM ends.
 */
final class RecipeInstance {

    static final String NAME = "cyx_acct_" + TestInfrastructure.RUN_ID;

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path VAR = Path.of("target", "accounts-" + TestInfrastructure.RUN_ID).toAbsolutePath();

    private static boolean made;

    private RecipeInstance() {
    }

    static synchronized void make() {
        if (!made) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> launch("drop")));
            launch("accounts");
            made = true;
        }
    }

    /** The vhost: the recipe names it after the instance. */
    static String vhost() {
        return NAME;
    }

    static String database(String account) {
        return NAME + "_" + account;
    }

    static String ownerRole() {
        return NAME + "_owner";
    }

    /** A service's database role: gateway, case_transfer, evidence or audit. */
    static String dbRole(String account) {
        return NAME + "_" + account;
    }

    /** A service's broker user: gateway, case-transfer, evidence or audit. */
    static String brokerUser(String account) {
        return NAME + "-" + account;
    }

    static String dbPassword(String role) {
        return secret("db-" + role);
    }

    static String brokerPassword(String user) {
        return secret("rabbit-" + user);
    }

    /** The recipe's AUDIT_PUBLISHERS for this instance. */
    static String auditPublishers() {
        return brokerUser("gateway") + "=gateway," + brokerUser("case-transfer") + "=case-transfer-service,"
                + brokerUser("evidence") + "=evidence-exchange-service," + brokerUser("audit") + "=audit-service";
    }

    private static String secret(String name) {
        try {
            return Files.readString(VAR.resolve("secrets").resolve(name)).strip();
        }
        catch (IOException ex) {
            throw new IllegalStateException("the recipe made no secret " + name, ex);
        }
    }

    private static void launch(String what) {
        List<String> command = new ArrayList<>(List.of("env", "CHUANYU_INSTANCE=" + NAME, "CHUANYU_VAR=" + VAR,
                "bash", ROOT.resolve("bin/launch").toString(), what));
        try {
            ChildProcess.Result result = ChildProcess.run(command, Duration.ofSeconds(180));
            if (result.exit() != 0) {
                throw new IllegalStateException("bin/launch " + what + " failed: " + result.output());
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("bin/launch " + what + " failed", ex);
        }
    }
}
