package cn.chuanyu.evidence.signing;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.crypto.SignatureSuite;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.identity.Caller;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class SigningKeyController {

    record SigningKeyResponse(String algorithm, String keyId, String publicKeyPem) {
    }

    private final EvidenceSigningKey key;

    SigningKeyController(EvidenceSigningKey key) {
        this.key = key;
    }

    /** The key manifests are signed with today; each sealed manifest also carries the public key it was signed with. */
    @Operation(operationId = "getEvidenceSigningKey", tags = "Evidence packages",
            summary = "The public key manifests are signed with today",
            description = "Check a manifest's signature against this published key, not only against the key the "
                    + "manifest carries. `suite=sm2`: the SM2 key (PEM SubjectPublicKeyInfo) that makes the "
                    + "manifest's `signatureSm2` (404 while the SM2 suite is off).")
    @GetMapping("/api/v1/evidence-packages/signing-key")
    SigningKeyResponse signingKey(Caller caller, @RequestParam(required = false) String suite) {
        caller.requireRole(Role.AGENCY);
        return switch (SignatureSuite.ofParameter(suite)) {
            case ED25519 -> new SigningKeyResponse("Ed25519", key.keyId(), key.publicKeyPem());
            case SM2 -> new SigningKeyResponse("SM2", key.sm2KeyId().orElseThrow(SigningKeyController::sm2Off),
                    key.sm2PublicKeyPem().orElseThrow(SigningKeyController::sm2Off));
        };
    }

    private static NotFoundException sm2Off() {
        return new NotFoundException("the evidence service has no SM2 key: the SM2 suite is off "
                + "(chuanyu.crypto.sm2.enabled)");
    }
}
