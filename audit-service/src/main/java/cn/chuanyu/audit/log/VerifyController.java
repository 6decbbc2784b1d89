package cn.chuanyu.audit.log;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Audit integrity", description = "Checks that the trail is whole and unaltered (auditors and "
        + "operators)")
@RestController
class VerifyController {

    private final LogVerifier verifier;

    VerifyController(LogVerifier verifier) {
        this.verifier = verifier;
    }

    /** Recomputes the whole log from the stored entries; expensive on a long log, so for supervisors only. */
    @Operation(operationId = "verifyAuditLog", summary = "Recompute and check the whole audit log",
            description = "Recomputes every entry hash and the Merkle tree from the stored entries and reports what "
                    + "does not match. Expensive on a long log: auditors and operators only.")
    @GetMapping("/api/v1/audit/verify")
    VerifyReport verify(Caller caller) {
        caller.requireRole(Role.AUDITOR, Role.OPERATOR);
        return verifier.verify();
    }
}
