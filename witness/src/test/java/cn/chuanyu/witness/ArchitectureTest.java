package cn.chuanyu.witness;

import cn.chuanyu.kit.test.ModuleArchitectureTest;

/** The module boundaries of {@code ArchitectureRules}, checked on this module's main classes. */
class ArchitectureTest extends ModuleArchitectureTest {

    ArchitectureTest() {
        super("cn.chuanyu.witness");
    }
}
