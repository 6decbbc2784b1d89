/** The nodes of the platform as any caller may see them: regions, gateways, note keys, the link between them. */
package cn.chuanyu.audit.node;
