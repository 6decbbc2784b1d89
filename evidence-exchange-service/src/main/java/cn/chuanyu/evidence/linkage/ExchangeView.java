package cn.chuanyu.evidence.linkage;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What this service needs of a case transfer or assistance request; the rest of the answer is ignored. */
@JsonIgnoreProperties(ignoreUnknown = true)
record ExchangeView(UUID id, String fromAgency, String toAgency, String state) {
}
