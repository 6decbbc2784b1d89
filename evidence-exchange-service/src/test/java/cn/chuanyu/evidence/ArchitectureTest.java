package cn.chuanyu.evidence;

import cn.chuanyu.kit.test.ArchitectureRules;
import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/** The module boundaries of {@link ArchitectureRules}, checked on this module's main classes. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = ArchitectureRules.mainClassesOf("cn.chuanyu.evidence");

    @Test
    void usesNoOtherDeployablesCode() {
        ArchitectureRules.SERVICES_ARE_INDEPENDENT.check(CLASSES);
    }

    @Test
    void domainKnowsNoInfrastructure() {
        ArchitectureRules.DOMAIN_KNOWS_NO_INFRASTRUCTURE.check(CLASSES);
    }

    @Test
    void packagesFormNoCycle() {
        ArchitectureRules.noPackageCycles("cn.chuanyu.evidence").check(CLASSES);
    }
}
