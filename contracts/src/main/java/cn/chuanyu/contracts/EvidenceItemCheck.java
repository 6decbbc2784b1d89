package cn.chuanyu.contracts;

/**
 * One item's result in an {@link EvidenceReceiptVerified}: {@code status} is {@code verified} or {@code mismatch};
 * {@code actualSha256} is what the stored bytes hash to now (null when the stored file is missing).
 */
public record EvidenceItemCheck(String name, String sha256, String status, String actualSha256) {
}
