/**
 * The national algorithms beside Ed25519 and SHA-256: SM2 signatures (GB/T 32918, with SM3 and the default user
 * identifier) and SM3 digests (GB/T 32905), both from BouncyCastle; switched on by {@code chuanyu.crypto.sm2.enabled}.
 */
package cn.chuanyu.kit.crypto;
