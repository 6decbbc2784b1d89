package cn.chuanyu.evidence.relay;

import java.util.List;
import java.util.UUID;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.evidence.evidencepackage.PackageService;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.node.DeliveryEvidenceNotes.Evidence;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The signed delivery evidences of a package (two regions; none on one node). */
@Tag(name = "Evidence packages")
@RestController
class EvidencesController {

    private final PackageService packages;
    private final RelayRepository relay;

    EvidencesController(PackageService packages, RelayRepository relay) {
        this.packages = packages;
        this.relay = relay;
    }

    @Operation(operationId = "listEvidencePackageEvidences", summary = "The package's signed delivery evidences",
            description = "SUBMISSION_ACCEPTED (the sender's node stored the sealed package), RELAY_ACCEPTED and "
                    + "DELIVERED (the recipient's node holds every item, verified against the manifest), RETRIEVED "
                    + "(the recipient downloaded an item). Each `note` is a C2SP signed note by the issuing node's "
                    + "key (GET /api/v1/nodes shows it); evidences of the other node were verified with its pinned "
                    + "key before they were kept. RELAY_FAILED (the sender's node: no RELAY_ACCEPTED within "
                    + "CHUANYU_LINK_RELAY_DEADLINE) and NON_DELIVERY (the recipient's node: not downloaded within "
                    + "CHUANYU_LINK_DELIVERY_DEADLINE) when a deadline passed. The two parties and auditors (the "
                    + "evidences only, never the package); 404 for anyone else. Empty when the platform runs as one "
                    + "node.")
    @GetMapping("/api/v1/evidence-packages/{id}/evidences")
    List<Evidence> evidences(Caller caller, @PathVariable UUID id) {
        caller.requireRole(Role.AGENCY, Role.AUDITOR);
        if (caller.hasRole(Role.AGENCY)) {
            packages.requireVisible(id, caller);
        }
        else {
            packages.requireExists(id);
        }
        return relay.evidences(id);
    }
}
