package cn.chuanyu.casetransfer.assistance;

import java.util.UUID;

import cn.chuanyu.kit.validation.FreeText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

final class AssistanceActionRequests {

    private AssistanceActionRequests() {
    }

    record Complete(@NotBlank @Size(max = 20000) @FreeText String result, UUID evidencePackageId) {
    }

    record Decline(@NotBlank @Size(max = 2000) @FreeText String reason) {
    }
}
