package cn.chuanyu.casetransfer.exchange;

/** Something with deadlines whose overdue events the {@link DeadlineScanner} raises. */
public interface OverdueSource {

    /** Raises the overdue event once for up to {@code batch} items past their deadline; returns how many. */
    int raiseOverdue(int batch);
}
