package cn.chuanyu.evidence.evidencepackage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the recipient's receipt found: per item, whether the stored bytes still hash to what was sealed. */
record ReceiptCheck(UUID packageId, String manifestSha256, String result, Instant checkedAt, List<ItemCheck> items) {

    record ItemCheck(String name, long size, String sha256, String status, String actualSha256) {
    }
}
