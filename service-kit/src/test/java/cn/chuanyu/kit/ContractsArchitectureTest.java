package cn.chuanyu.kit;

import cn.chuanyu.kit.test.ArchitectureRules;
import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * The contracts module's rules, checked here because contracts cannot use the kit's test-jar: the kit depends on
 * contracts, and Maven refuses a cycle even in test scope. The kit has the contracts' classes on its class path.
 * Contracts are one package, so there is no package cycle to look for.
 */
class ContractsArchitectureTest {

    private static final JavaClasses CLASSES = ArchitectureRules.mainClassesOf("cn.chuanyu.contracts");

    @Test
    void contractsArePlainJava() {
        ArchitectureRules.CONTRACTS_ARE_PLAIN_JAVA.check(CLASSES);
    }
}
