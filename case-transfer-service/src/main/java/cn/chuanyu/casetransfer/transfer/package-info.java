/** Case transfers (案件移送): a case handed from one agency to another, with its lifecycle. */
package cn.chuanyu.casetransfer.transfer;
