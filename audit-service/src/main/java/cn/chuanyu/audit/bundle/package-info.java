/**
 * One proof bundle per exchange: its audit entries in their canonical bytes, an inclusion proof of each against the
 * one published checkpoint (with its cosignatures), the keys for information, and where they exist the sealed
 * evidence manifest and the delivery evidences, fetched from the services that hold them. Checked offline by
 * {@code bin/chuanyu-verify verify-bundle}.
 */
package cn.chuanyu.audit.bundle;
