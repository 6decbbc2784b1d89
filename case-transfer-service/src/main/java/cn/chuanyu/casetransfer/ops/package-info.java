/** What integration operators ask of this service: exchanges waiting past their deadlines. */
package cn.chuanyu.casetransfer.ops;
