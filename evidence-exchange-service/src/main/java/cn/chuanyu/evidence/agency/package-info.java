/** This service's copy of the agency registry, kept current from the gateway's agency events. */
package cn.chuanyu.evidence.agency;
