package cn.chuanyu.evidence.evidencepackage;

import java.net.URI;
import java.util.UUID;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.evidence.evidencepackage.Responses.ManifestResponse;
import cn.chuanyu.evidence.evidencepackage.Responses.PackageResponse;
import cn.chuanyu.evidence.evidencepackage.Responses.PackageSummary;
import cn.chuanyu.evidence.evidencepackage.Responses.ReceiptResponse;
import cn.chuanyu.evidence.custody.CustodyEntry;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.InvalidParameterException;
import cn.chuanyu.kit.web.Page;
import cn.chuanyu.kit.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

@Tag(name = "Evidence packages", description = "证据包: files one agency hands to another, sealed under a "
        + "signed manifest, with a chain of custody. Only the two parties see a package.")
@RestController
@RequestMapping(PackageController.BASE)
class PackageController {

    static final String BASE = "/api/v1/evidence-packages";

    private final PackageService service;
    private final JsonMapper json;

    PackageController(PackageService service, JsonMapper json) {
        this.service = service;
        this.json = json;
    }

    @Operation(operationId = "createEvidencePackage", summary = "Open an evidence package for another agency",
            description = "The package is OPEN: add items (PUT an item, or a resumable upload), then seal it. It may "
                    + "belong to a case transfer or an assistance request.")
    @PostMapping
    ResponseEntity<PackageResponse> create(Caller caller, @Valid @RequestBody CreatePackageRequest request) {
        caller.requireRole(Role.AGENCY);
        EvidencePackage created = service.create(request.command(), caller);
        return ResponseEntity.created(URI.create(BASE + "/" + created.id()))
                .body(PackageResponse.of(created, java.util.List.of()));
    }

    @Operation(operationId = "listEvidencePackages", summary = "List the caller's evidence packages, newest first",
            description = "`direction` is incoming or outgoing (default: both); `nextCursor` fetches the next page.")
    @GetMapping
    Page<PackageSummary> list(Caller caller, @RequestParam(required = false) String direction,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        caller.requireRole(Role.AGENCY);
        if (direction != null && !direction.equals("incoming") && !direction.equals("outgoing")) {
            throw new InvalidParameterException("direction", "must be incoming or outgoing");
        }
        Page<ListedPackage> page = service.list(caller, direction == null ? "both" : direction, Paging.limit(limit),
                cursor);
        return new Page<>(page.items().stream().map(PackageSummary::of).toList(), page.nextCursor());
    }

    @Operation(operationId = "getEvidencePackage", summary = "Read an evidence package and its items",
            description = "Sender and recipient only; 404 for anyone else.")
    @GetMapping("/{id}")
    PackageResponse get(Caller caller, @PathVariable UUID id) {
        caller.requireRole(Role.AGENCY);
        EvidencePackage p = service.get(id, caller);
        return PackageResponse.of(p, service.items(id));
    }

    @Operation(operationId = "sealEvidencePackage", summary = "Seal a package under a signed manifest (sender)",
            description = "Freezes the package: the manifest lists every item with its size and SHA-256, in RFC 8785 "
                    + "canonical JSON signed with the service's Ed25519 key. An empty package cannot be sealed.")
    @PostMapping("/{id}/seal")
    ManifestResponse seal(Caller caller, @PathVariable UUID id) {
        caller.requireRole(Role.AGENCY);
        return ManifestResponse.of(service.seal(id, caller), json);
    }

    @Operation(operationId = "getEvidenceManifest", summary = "Read the signed manifest of a sealed package",
            description = "The manifest, its canonical bytes, their SHA-256, the signature and the key that made it.")
    @GetMapping("/{id}/manifest")
    ManifestResponse manifest(Caller caller, @PathVariable UUID id) {
        caller.requireRole(Role.AGENCY);
        return ManifestResponse.of(service.manifest(id, caller), json);
    }

    @Operation(operationId = "confirmEvidenceReceipt",
            summary = "Confirm receipt: re-hash every item against the seal (recipient)",
            description = "The service hashes every stored item again and answers, per item, VERIFIED or MISMATCH; "
                    + "the result joins the chain of custody.")
    @PostMapping("/{id}/receipt")
    ReceiptResponse receipt(Caller caller, @PathVariable UUID id) {
        caller.requireRole(Role.AGENCY);
        return ReceiptResponse.of(service.receipt(id, caller));
    }

    @Operation(operationId = "getEvidenceCustody", summary = "The package's chain of custody",
            description = "Every event of the package in order: created, items added, sealed, downloads, receipts. "
                    + "`nextCursor` fetches the next page.")
    @GetMapping("/{id}/custody")
    Page<CustodyEntry> custody(Caller caller, @PathVariable UUID id, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        caller.requireRole(Role.AGENCY);
        return service.custody(id, caller, Paging.limit(limit), cursor);
    }
}
