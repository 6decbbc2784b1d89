package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#EVIDENCE_MISMATCH_FOUND}: stored bytes of an item no longer hash to its recorded digest.
 * {@code detectedDuring} is {@code download} or {@code receipt}; {@code actualSha256} and {@code actualSize} are
 * null when the stored file is gone (or, for a download that stopped at a size check, not hashed).
 */
public record EvidenceMismatchFound(String name, String expectedSha256, String actualSha256, Long actualSize,
        String detectedDuring, String detectedBy) {
}
