package cn.chuanyu.casetransfer.transfer;

import cn.chuanyu.kit.validation.FreeText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Bodies of the recipient's and sender's actions on a transfer. */
final class TransferActionRequests {

    private TransferActionRequests() {
    }

    record Accept(@Size(max = 2000) @FreeText String note) {
    }

    record Reject(@NotBlank @Size(max = 2000) @FreeText String reason) {
    }

    record Withdraw(@NotBlank @Size(max = 2000) @FreeText String reason) {
    }
}
