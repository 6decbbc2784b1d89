package cn.chuanyu.evidence.linkage;

import java.util.UUID;

import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * case-transfer-service, resolved by name through discovery (static in chuanyu-defaults.yml, or Consul). Both reads
 * answer 404 when the exchange does not exist or the forwarded caller is not one of its parties.
 */
@FeignClient(name = "case-transfer-service")
interface CaseTransferClient {

    @GetMapping("/api/v1/case-transfers/{id}")
    ExchangeView caseTransfer(@PathVariable("id") UUID id);

    @GetMapping("/api/v1/assistance-requests/{id}")
    ExchangeView assistanceRequest(@PathVariable("id") UUID id);
}
