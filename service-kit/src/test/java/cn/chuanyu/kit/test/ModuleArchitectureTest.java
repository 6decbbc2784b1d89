package cn.chuanyu.kit.test;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The rules of {@link ArchitectureRules} for one deployable module: extend it with the module's root package. The
 * classes are imported once per test class (an import takes seconds).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ModuleArchitectureTest {

    private final String rootPackage;
    private final JavaClasses classes;

    protected ModuleArchitectureTest(String rootPackage) {
        this.rootPackage = rootPackage;
        this.classes = ArchitectureRules.mainClassesOf(rootPackage);
    }

    @Test
    void usesNoOtherDeployablesCode() {
        ArchitectureRules.SERVICES_ARE_INDEPENDENT.check(classes);
    }

    @Test
    void domainKnowsNoInfrastructure() {
        ArchitectureRules.DOMAIN_KNOWS_NO_INFRASTRUCTURE.check(classes);
    }

    @Test
    void packagesFormNoCycle() {
        ArchitectureRules.noPackageCycles(rootPackage).check(classes);
    }
}
