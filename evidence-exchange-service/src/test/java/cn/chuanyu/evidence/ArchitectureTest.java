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

    /**
     * One known cycle is left out, and only it: {@code web.EvidenceProblemHandler} maps two exceptions of
     * {@code evidencepackage} to problems while {@code evidencepackage.ItemController} uses {@code web.ContentTypes}
     * and {@code web.RawBody}. Evidence's own move of its domain errors to the kit's removes it; any other cycle
     * fails here now.
     */
    @Test
    void packagesFormNoCycle() {
        ArchitectureRules.noPackageCycles("cn.chuanyu.evidence")
                .ignoreDependency("cn.chuanyu.evidence.web.EvidenceProblemHandler",
                        "cn.chuanyu.evidence.evidencepackage.RangeNotSatisfiableException")
                .ignoreDependency("cn.chuanyu.evidence.web.EvidenceProblemHandler",
                        "cn.chuanyu.evidence.evidencepackage.StoredEvidenceMismatchException")
                .check(CLASSES);
    }
}
