/** The agency directory every service that addresses agencies keeps, fed from the gateway's registry events. */
package cn.chuanyu.kit.agency;
