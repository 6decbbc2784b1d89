/**
 * Links from evidence packages to the exchanges they belong to (case transfers, assistance requests), checked with
 * case-transfer-service over OpenFeign, guarded by Resilience4j.
 */
package cn.chuanyu.evidence.linkage;
