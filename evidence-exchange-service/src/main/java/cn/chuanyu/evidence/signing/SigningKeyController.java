package cn.chuanyu.evidence.signing;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
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
                    + "manifest carries.")
    @GetMapping("/api/v1/evidence-packages/signing-key")
    SigningKeyResponse signingKey(Caller caller) {
        caller.requireRole(Role.AGENCY);
        return new SigningKeyResponse("Ed25519", key.keyId(), key.publicKeyPem());
    }
}
