package cn.chuanyu.kit.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SuspiciousPathTest {

    @Test
    void dotSegmentsAndEncodedSeparatorsAreCaught() {
        for (String path : new String[] {"/api/v1/case-transfers/../../actuator/env", "/api/v1/x/./y",
            "/api/v1/case-transfers/..", "/api/v1/case-transfers/..%2F..%2Fetc", "/api/v1/%2e%2e/admin",
            "/api/v1/a%5Cb", "/api/v1/a\\b", "/api/v1/%252e%252e", "/api/v1/x/%252F", "/api/v1/x/%25c0%25ae", "/api/v1/inbox/..;/case-transfers",
            "/api/v1/case-transfers/%00", "/api/v1/case-transfers/%c0%ae", "/api/v1/x/%c0%af", "/api/v1/x/%ff",
            "/api/v1/x/%e7%8e", "/api/v1/x/a%0d%0aX-Forged:%201", "/api/v1/x/%7f", "/api/v1/x/%zz", "/api/v1/x/%"}) {
            assertThat(SuspiciousPaths.matches(path)).as(path).isTrue();
        }
    }

    @Test
    void ordinaryPathsPass() {
        for (String path : new String[] {"/api/v1/case-transfers", "/api/v1/case-transfers/3f1e-9a",
            "/api/v1/evidence-packages/p1/items/%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.jpg",
            "/api/v1/evidence-packages/p1/items/report.v2.pdf", "/api/v1/audit/entries",
            "/api/v1/evidence-packages/p1/items/a+b%20c.pdf", "/api/v1/evidence-packages/p1/items/100%25.txt",
            "/api/v1/evidence-packages/p1/items/50%25%20off", "/api/v1/evidence-packages/p1/items/x%25"}) {
            assertThat(SuspiciousPaths.matches(path)).as(path).isFalse();
        }
    }
}
