package cn.chuanyu.audit.log;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class VerifyController {

    private final LogVerifier verifier;

    VerifyController(LogVerifier verifier) {
        this.verifier = verifier;
    }

    /** Recomputes the whole log from the stored entries; expensive on a long log, so for supervisors only. */
    @GetMapping("/api/v1/audit/verify")
    VerifyReport verify(Caller caller) {
        caller.requireRole(Role.AUDITOR, Role.OPERATOR);
        return verifier.verify();
    }
}
