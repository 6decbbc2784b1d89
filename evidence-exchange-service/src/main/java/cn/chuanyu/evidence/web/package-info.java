/** HTTP concerns shared by the evidence features: the raw request body, and problems specific to evidence. */
package cn.chuanyu.evidence.web;
