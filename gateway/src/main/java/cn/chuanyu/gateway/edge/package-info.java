/** What every request crossing the gateway gets: a correlation id and an access log line. */
package cn.chuanyu.gateway.edge;
