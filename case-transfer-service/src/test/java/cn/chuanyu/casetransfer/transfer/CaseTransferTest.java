package cn.chuanyu.casetransfer.transfer;

import java.time.Instant;

import cn.chuanyu.kit.web.InvalidFieldException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaseTransferTest {

    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

    private static SubmitTransferRequest request(String toAgency) {
        return new SubmitTransferRequest("  (2026)川01刑初123号 ", "跨区域诈骗案", CaseType.CRIMINAL, toAgency,
                "被告人户籍地在重庆", null);
    }

    @Test
    void aSubmittedTransferStartsInSubmittedAndAnnouncesItself() {
        CaseTransfer.Submitted submitted = CaseTransfer.submit(request("cq-first-intermediate-court"),
                "sc-chengdu-intermediate-court", NOW);

        CaseTransfer transfer = submitted.transfer();
        assertThat(transfer.state()).isEqualTo(TransferState.SUBMITTED);
        assertThat(transfer.fromAgency()).isEqualTo("sc-chengdu-intermediate-court");
        assertThat(transfer.caseNumber()).isEqualTo("(2026)川01刑初123号");
        assertThat(transfer.createdAt()).isEqualTo(NOW);
        assertThat(submitted.event().caseNumber()).isEqualTo(transfer.caseNumber());
        assertThat(submitted.event().caseType()).isEqualTo("CRIMINAL");
    }

    @Test
    void anAgencyCannotTransferACaseToItself() {
        assertThatThrownBy(() -> CaseTransfer.submit(request("sc-chengdu-intermediate-court"),
                "sc-chengdu-intermediate-court", NOW))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageContaining("itself");
    }

    @Test
    void onlyTheTwoAgenciesAreParties() {
        CaseTransfer transfer = CaseTransfer.submit(request("cq-first-intermediate-court"),
                "sc-chengdu-intermediate-court", NOW).transfer();

        assertThat(transfer.isParty("sc-chengdu-intermediate-court")).isTrue();
        assertThat(transfer.isParty("cq-first-intermediate-court")).isTrue();
        assertThat(transfer.isParty("cq-yubei-public-security")).isFalse();
    }
}
