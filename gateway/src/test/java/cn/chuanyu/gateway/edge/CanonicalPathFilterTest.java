package cn.chuanyu.gateway.edge;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalPathFilterTest {

    @Test
    void pathsTheRoutesWouldReadDifferentlyAreNotCanonical() {
        for (String path : new String[] {"/%61pi/v1/ops", "/api/v1/%6Fps", "/api/v1/x%2Dy", "/api/v1/x%7e",
                "/api;x/v1/ops", "/api/v1/ops;jsessionid=1", "//api/v1/ops", "/api//v1", "/api/v1/../v1/ops",
                "/api/./v1", "/api/v1/ops/..", "/api/%2e%2e/v1", "/api%2Fv1", "/api\\v1", "/api/%zz", "/api/%4",
                "/api/%c0%ae", "api/v1"}) {
            assertThat(CanonicalPathFilter.isCanonical(path)).as(path).isFalse();
        }
    }

    @Test
    void ordinaryPathsAre() {
        for (String path : new String[] {"", "/", "/api/v1/ops/flows", "/api/v1/case-transfers/a%20b",
                "/api/v1/case-transfers/%E4%B8%AD", "/console/index.html", "/v3/api-docs/audit-service",
                "/api/v1/case-transfers/t.1_x~y"}) {
            assertThat(CanonicalPathFilter.isCanonical(path)).as(path).isTrue();
        }
    }
}
