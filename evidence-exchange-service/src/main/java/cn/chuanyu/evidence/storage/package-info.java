/**
 * Where evidence bytes live: a content-addressed store behind {@link cn.chuanyu.evidence.storage.EvidenceStore}
 * (the file-system one here; an S3-compatible one can replace it), written to a temp object and moved into place
 * only when complete and verified.
 */
package cn.chuanyu.evidence.storage;
