/** Signed tree heads: the Ed25519 key outside the database, C2SP checkpoints, the verifier key. */
package cn.chuanyu.audit.checkpoint;
