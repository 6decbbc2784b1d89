/** Inclusion and consistency proofs of the audit log (RFC 9162 §2.1.3 and §2.1.4). */
package cn.chuanyu.audit.proof;
