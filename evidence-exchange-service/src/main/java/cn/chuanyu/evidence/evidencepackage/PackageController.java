package cn.chuanyu.evidence.evidencepackage;

import java.net.URI;
import java.util.UUID;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.evidence.evidencepackage.Responses.ManifestResponse;
import cn.chuanyu.evidence.evidencepackage.Responses.PackageResponse;
import cn.chuanyu.evidence.evidencepackage.Responses.PackageSummary;
import cn.chuanyu.evidence.evidencepackage.Responses.ReceiptResponse;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.evidence.custody.CustodyEntry;
import cn.chuanyu.kit.web.InvalidParameterException;
import cn.chuanyu.kit.web.Page;
import cn.chuanyu.kit.web.Paging;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(PackageController.BASE)
class PackageController {

    static final String BASE = "/api/v1/evidence-packages";

    private final PackageService service;

    PackageController(PackageService service) {
        this.service = service;
    }

    @PostMapping
    ResponseEntity<PackageResponse> create(Caller caller, @Valid @RequestBody CreatePackageRequest request) {
        caller.requireRole(Role.AGENCY);
        EvidencePackage created = service.create(request, caller);
        return ResponseEntity.created(URI.create(BASE + "/" + created.id()))
                .body(PackageResponse.of(created, java.util.List.of()));
    }

    @GetMapping
    Page<PackageSummary> list(Caller caller, @RequestParam(required = false) String direction,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        caller.requireRole(Role.AGENCY);
        if (direction != null && !direction.equals("incoming") && !direction.equals("outgoing")) {
            throw new InvalidParameterException("direction", "must be incoming or outgoing");
        }
        return service.list(caller, direction == null ? "both" : direction, Paging.limit(limit), cursor);
    }

    @GetMapping("/{id}")
    PackageResponse get(Caller caller, @PathVariable UUID id) {
        caller.requireRole(Role.AGENCY);
        EvidencePackage p = service.get(id, caller);
        return PackageResponse.of(p, service.items(id));
    }

    @PostMapping("/{id}/seal")
    ManifestResponse seal(Caller caller, @PathVariable UUID id) {
        caller.requireRole(Role.AGENCY);
        return service.seal(id, caller);
    }

    @GetMapping("/{id}/manifest")
    ManifestResponse manifest(Caller caller, @PathVariable UUID id) {
        caller.requireRole(Role.AGENCY);
        return service.manifest(id, caller);
    }

    @PostMapping("/{id}/receipt")
    ReceiptResponse receipt(Caller caller, @PathVariable UUID id) {
        caller.requireRole(Role.AGENCY);
        return service.receipt(id, caller);
    }

    @GetMapping("/{id}/custody")
    Page<CustodyEntry> custody(Caller caller, @PathVariable UUID id, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        caller.requireRole(Role.AGENCY);
        return service.custody(id, caller, Paging.limit(limit), cursor);
    }
}
