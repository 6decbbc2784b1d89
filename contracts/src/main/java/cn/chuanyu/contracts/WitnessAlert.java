package cn.chuanyu.contracts;

/**
 * Data of {@link EventTypes#OPS_WITNESS_ALERT}.
 *
 * @param kind               {@code refused} (a witness would not cosign: the log forked or went back) or
 *                           {@code stale} (no checkpoint cosigned by enough witnesses for longer than the threshold)
 * @param witness            the witness's name (for {@code stale}: the witnesses not cosigning, comma separated)
 * @param reason             what the witness or the log said
 * @param witnessTreeSize    for {@code refused}: the size of the head the witness cosigned last, if it said
 * @param witnessRootHash    for {@code refused}: that head's root hash (base64), if it said
 * @param logTreeSize        the size of the head the log presented
 * @param logRootHash        that head's root hash (base64)
 * @param cosignedAgeSeconds how old the published cosigned checkpoint is (null if none was ever cosigned)
 */
public record WitnessAlert(String kind, String witness, String reason, Long witnessTreeSize, String witnessRootHash,
        long logTreeSize, String logRootHash, Long cosignedAgeSeconds) {
}
