package cn.chuanyu.audit.bundle;

import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import tools.jackson.databind.JsonNode;

/** The services that hold what a bundle adds to the trail, resolved by name through discovery. */
final class ExchangeServiceClients {

    private ExchangeServiceClients() {
    }

    @FeignClient(name = "evidence-exchange-service", contextId = "bundleEvidenceService")
    interface EvidenceService {

        @GetMapping("/api/v1/evidence-packages/{id}/manifest")
        JsonNode manifest(@PathVariable("id") String id);

        @GetMapping("/api/v1/evidence-packages/{id}/evidences")
        JsonNode evidences(@PathVariable("id") String id);
    }

    @FeignClient(name = "case-transfer-service", contextId = "bundleCaseTransferService")
    interface CaseTransferService {

        @GetMapping("/api/v1/case-transfers/{id}/evidences")
        JsonNode caseTransferEvidences(@PathVariable("id") String id);

        @GetMapping("/api/v1/assistance-requests/{id}/evidences")
        JsonNode assistanceEvidences(@PathVariable("id") String id);
    }
}
