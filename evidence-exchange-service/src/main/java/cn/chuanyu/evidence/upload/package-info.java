/**
 * Resumable uploads of large items: tus 1.0.0 core with the creation and termination extensions
 * (https://tus.io/protocols/resumable-upload). The digest is checked over the whole file when the last byte arrives.
 */
package cn.chuanyu.evidence.upload;
