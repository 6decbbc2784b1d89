package cn.chuanyu.contracts;

import java.util.List;

/** Every event type published on the bus. The type is also the routing key. */
public final class EventTypes {

    public static final String AGENCY_REGISTERED = "agency.registered";

    public static final String CASE_TRANSFER_SUBMITTED = "case-transfer.submitted";

    public static final String CASE_TRANSFER_ACCEPTED = "case-transfer.accepted";

    public static final String CASE_TRANSFER_REJECTED = "case-transfer.rejected";

    public static final String CASE_TRANSFER_WITHDRAWN = "case-transfer.withdrawn";

    public static final List<String> ALL = List.of(
            AGENCY_REGISTERED,
            CASE_TRANSFER_SUBMITTED,
            CASE_TRANSFER_ACCEPTED,
            CASE_TRANSFER_REJECTED,
            CASE_TRANSFER_WITHDRAWN);

    private EventTypes() {
    }
}
