/**
 * Message contracts of Chuanyu Exchange: the event envelope, event types and broker names that every service
 * shares. Plain Java only, so any consumer (including partner tooling) can depend on it without Spring.
 */
package cn.chuanyu.contracts;
