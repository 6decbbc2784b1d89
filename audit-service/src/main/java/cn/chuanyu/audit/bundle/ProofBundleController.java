package cn.chuanyu.audit.bundle;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@RequestMapping("/api/v1/audit/bundles")
class ProofBundleController {

    private final ProofBundles bundles;

    ProofBundleController(ProofBundles bundles) {
        this.bundles = bundles;
    }

    @Operation(operationId = "getProofBundle", tags = "Audit proofs",
            summary = "One exchange's audit trail with every proof, to check offline",
            description = "Every audit entry of the exchange in its canonical bytes, an inclusion proof of each "
                    + "against the one published checkpoint (with its signature and any cosignature lines), the "
                    + "verifier keys for information, and where they exist the sealed evidence manifest and the "
                    + "delivery evidences. Check it with `bin/chuanyu-verify verify-bundle FILE --log-key K "
                    + "--witness-key W`, with keys from your own configuration. Auditors and operators get every "
                    + "entry; an agency gets 404 unless it sent or received an entry of the exchange, and sees only "
                    + "those (a package's pre-seal entries only once it is sealed).",
            responses = @ApiResponse(responseCode = "200", description = "The bundle",
                    content = @Content(mediaType = ProofBundle.MEDIA_TYPE,
                            schema = @Schema(implementation = ProofBundle.class))))
    @GetMapping("/{exchangeId}")
    ResponseEntity<ProofBundle> bundle(Caller caller, @PathVariable @Size(max = 64) String exchangeId) {
        caller.requireRole(Role.AUDITOR, Role.OPERATOR, Role.AGENCY);
        ProofBundle bundle = bundles.of(exchangeId, caller.role() == Role.AGENCY ? caller.id() : null);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(ProofBundle.MEDIA_TYPE))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"proof-bundle-" + safe(exchangeId) + ".json\"")
                .body(bundle);
    }

    /** The id as a file name: it came from the path, so only the characters an id has. */
    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
