package cn.chuanyu.casetransfer.transfer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Bodies of the recipient's and sender's actions on a transfer. */
final class TransferActionRequests {

    private TransferActionRequests() {
    }

    record Accept(@Size(max = 2000) String note) {
    }

    record Reject(@NotBlank @Size(max = 2000) String reason) {
    }

    record Withdraw(@NotBlank @Size(max = 2000) String reason) {
    }
}
