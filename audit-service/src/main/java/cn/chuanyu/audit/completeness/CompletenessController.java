package cn.chuanyu.audit.completeness;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CompletenessController {

    private final CompletenessRepository repository;

    CompletenessController(CompletenessRepository repository) {
        this.repository = repository;
    }

    /** Per producer: the last number received and the numbers that never arrived. */
    @Operation(operationId = "getAuditCompleteness", tags = "Audit integrity",
            summary = "Per producer, the last event number received and the numbers missing",
            description = "Every producer numbers its events; a gap is an event that never reached the trail. "
                    + "Auditors and operators only.")
    @GetMapping("/api/v1/audit/completeness")
    CompletenessReport completeness(Caller caller) {
        caller.requireRole(Role.AUDITOR, Role.OPERATOR);
        return repository.report();
    }
}
