/**
 * The audit trail as an RFC 9162 Merkle log: canonical entry bytes, leaf and node hashes, the single writer that
 * appends entries with their leaves and complete subtrees, proofs from stored subtrees, and full verification.
 */
package cn.chuanyu.audit.log;
