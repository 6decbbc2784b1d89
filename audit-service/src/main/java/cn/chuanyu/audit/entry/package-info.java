/** Audit entries: one per event on the bus, stored once, listed in sequence order. */
package cn.chuanyu.audit.entry;
