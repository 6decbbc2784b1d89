/**
 * Domain errors shared by the services' aggregates: no Spring, no HTTP. Each kind says what went wrong in business
 * terms (not found, a rule broken, a state that does not allow it, a stale version); the web layer decides the status.
 */
package cn.chuanyu.kit.domain;
