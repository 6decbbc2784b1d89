package cn.chuanyu.evidence.linkage;

/** The kinds of exchange a package can belong to, with the request field that names each. */
public enum LinkKind {
    CASE_TRANSFER("caseTransferId", "case transfer"),
    ASSISTANCE_REQUEST("assistanceRequestId", "assistance request");

    private final String field;
    private final String label;

    LinkKind(String field, String label) {
        this.field = field;
        this.label = label;
    }

    public String field() {
        return field;
    }

    public String label() {
        return label;
    }
}
