/**
 * Who may call: the principal registry (agencies, operators, auditors), their API keys (stored only as hashes),
 * authentication of each request and the signed principal handed to the services.
 */
package cn.chuanyu.gateway.identity;
