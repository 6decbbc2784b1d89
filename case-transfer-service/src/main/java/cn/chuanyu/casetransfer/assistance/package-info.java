/**
 * Assistance requests (协作请求 / 司法协助): investigation, service of documents, enforcement, asset freezing,
 * locating a person. SUBMITTED → ACKNOWLEDGED → COMPLETED, or DECLINED from either open state, by the recipient.
 */
package cn.chuanyu.casetransfer.assistance;
