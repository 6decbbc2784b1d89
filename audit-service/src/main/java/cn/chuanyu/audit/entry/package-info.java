/** Audit entries: recorded once per event, searched, exported, scoped to the agencies party to them. */
package cn.chuanyu.audit.entry;
