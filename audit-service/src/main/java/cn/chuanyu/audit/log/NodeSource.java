package cn.chuanyu.audit.log;

import java.util.Map;
import java.util.Set;

/** Where stored complete-subtree hashes come from (the database, or a map in tests). */
public interface NodeSource {

    /** The hashes of those of the nodes that are stored; a node of a complete subtree of the log always is. */
    Map<NodeKey, byte[]> read(Set<NodeKey> keys);
}
