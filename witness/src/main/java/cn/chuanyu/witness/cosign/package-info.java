/**
 * Cosigning: C2SP tlog-witness {@code add-checkpoint}, the consistency check against the latest cosigned checkpoint
 * of each log, its durable record, and the {@code cosignature/v1} answer.
 */
package cn.chuanyu.witness.cosign;
