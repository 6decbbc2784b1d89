/**
 * Transparency-log verification shared by the audit log, its witnesses and offline verifiers: C2SP tlog-checkpoint
 * parsing ({@link cn.chuanyu.kit.tlog.Checkpoint}), RFC 9162 consistency and inclusion proof checks
 * ({@link cn.chuanyu.kit.tlog.MerkleProofs}), C2SP tlog-cosignature {@code cosignature/v1} Ed25519 cosignatures
 * ({@link cn.chuanyu.kit.tlog.CosignatureSigner}, {@link cn.chuanyu.kit.tlog.CosignatureVerifier}) and the C2SP
 * tlog-witness request body ({@link cn.chuanyu.kit.tlog.AddCheckpointRequest}). Plain Java: no Spring, no I/O.
 */
package cn.chuanyu.kit.tlog;
