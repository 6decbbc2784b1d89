package cn.chuanyu.contracts;

import java.util.List;

/** Every event type published on the bus. The type is also the routing key. */
public final class EventTypes {

    public static final String AGENCY_REGISTERED = "agency.registered";

    public static final String CASE_TRANSFER_SUBMITTED = "case-transfer.submitted";

    public static final String CASE_TRANSFER_ACCEPTED = "case-transfer.accepted";

    public static final String CASE_TRANSFER_REJECTED = "case-transfer.rejected";

    public static final String CASE_TRANSFER_WITHDRAWN = "case-transfer.withdrawn";

    public static final String CASE_TRANSFER_OVERDUE = "case-transfer.overdue";

    public static final String ASSISTANCE_SUBMITTED = "assistance.submitted";

    public static final String ASSISTANCE_ACKNOWLEDGED = "assistance.acknowledged";

    public static final String ASSISTANCE_COMPLETED = "assistance.completed";

    public static final String ASSISTANCE_DECLINED = "assistance.declined";

    public static final String ASSISTANCE_OVERDUE = "assistance.overdue";

    public static final List<String> ALL = List.of(
            AGENCY_REGISTERED,
            CASE_TRANSFER_SUBMITTED,
            CASE_TRANSFER_ACCEPTED,
            CASE_TRANSFER_REJECTED,
            CASE_TRANSFER_WITHDRAWN,
            CASE_TRANSFER_OVERDUE,
            ASSISTANCE_SUBMITTED,
            ASSISTANCE_ACKNOWLEDGED,
            ASSISTANCE_COMPLETED,
            ASSISTANCE_DECLINED,
            ASSISTANCE_OVERDUE);

    private EventTypes() {
    }
}
