package cn.chuanyu.audit.proof;

import java.util.List;

/** RFC 9162 consistency proof between the trees of {@code from} and {@code to} leaves; hashes in lowercase hex. */
public record ConsistencyProof(long from, long to, List<String> path) {
}
