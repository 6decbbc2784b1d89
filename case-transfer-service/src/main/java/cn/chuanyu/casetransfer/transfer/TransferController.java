package cn.chuanyu.casetransfer.transfer;

import java.net.URI;
import java.util.UUID;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/case-transfers")
class TransferController {

    private final TransferService service;

    TransferController(TransferService service) {
        this.service = service;
    }

    @PostMapping
    ResponseEntity<TransferResponse> submit(Caller caller, @Valid @RequestBody SubmitTransferRequest request) {
        caller.requireRole(Role.AGENCY);
        CaseTransfer transfer = service.submit(request, caller);
        return ResponseEntity.created(URI.create("/api/v1/case-transfers/" + transfer.id()))
                .body(TransferResponse.of(transfer));
    }

    @GetMapping("/{id}")
    TransferResponse get(Caller caller, @PathVariable UUID id) {
        caller.requireRole(Role.AGENCY);
        return TransferResponse.of(service.get(id, caller));
    }
}
