package cn.chuanyu.kit;

import cn.chuanyu.kit.test.ModuleArchitectureTest;

/** The module boundaries of {@code ArchitectureRules}, checked on this module's main classes. */
class KitArchitectureTest extends ModuleArchitectureTest {

    KitArchitectureTest() {
        super("cn.chuanyu.kit");
    }
}
