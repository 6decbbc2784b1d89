package cn.chuanyu.casetransfer.transfer;

import java.util.UUID;

import org.springframework.stereotype.Component;

/** What other features may ask about transfers without reaching into this package. */
@Component
public class TransferLookup {

    private final TransferRepository transfers;

    TransferLookup(TransferRepository transfers) {
        this.transfers = transfers;
    }

    /** Whether the transfer exists between exactly these two agencies (in either direction). */
    public boolean bothParties(UUID transferId, String agency, String otherAgency) {
        return transfers.find(transferId)
                .map(t -> t.rules().includes(agency) && t.rules().includes(otherAgency))
                .orElse(false);
    }
}
