package cn.chuanyu.audit.proof;

import java.util.List;

import cn.chuanyu.audit.checkpoint.TreeHead;
import cn.chuanyu.audit.entry.AgencyVisibility;
import cn.chuanyu.audit.checkpoint.TreeHeads;
import cn.chuanyu.audit.log.LogStore;
import cn.chuanyu.audit.log.MerkleHashes;
import cn.chuanyu.audit.log.MerkleTree;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.web.InvalidParameterException;
import cn.chuanyu.kit.domain.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Inclusion and consistency proofs, served from the stored subtree hashes (a few milliseconds however long the
 * log). Without an explicit tree size they prove against the latest signed head, signing a fresh one when the
 * entry is newer than it, so a proof always matches a checkpoint the caller can fetch.
 */
@Tag(name = "Audit proofs", description = "Merkle inclusion and consistency proofs and signed tree heads: "
        + "check the trail without trusting the service. Every role may read them.")
@RestController
@RequestMapping("/api/v1/audit/proofs")
class ProofController {

    private final LogStore store;
    private final MerkleTree tree;
    private final TreeHeads heads;
    private final AgencyVisibility visibility;

    ProofController(LogStore store, TreeHeads heads, AgencyVisibility visibility) {
        this.store = store;
        this.tree = new MerkleTree(store);
        this.heads = heads;
        this.visibility = visibility;
    }

    @Operation(operationId = "getInclusionProof", summary = "Prove that an entry is in the log",
            description = "The audit path from entry `seq` to the root of the tree of size `treeSize` (default: the "
                    + "latest signed head, signed afresh when the entry is newer than it).")
    @GetMapping("/inclusion")
    InclusionProof inclusion(Caller caller, @RequestParam(required = false) Long seq,
            @RequestParam(required = false) Long treeSize) {
        caller.requireRole(Role.AUDITOR, Role.OPERATOR, Role.AGENCY);
        if (seq == null) {
            throw new InvalidParameterException("seq", "is required");
        }
        if (seq < 1) {
            throw new InvalidParameterException("seq", "must be at least 1");
        }
        LogStore.Leaf leaf = store.leafOfSeq(seq)
                .filter(l -> caller.role() != Role.AGENCY || visibility.sees(caller.id(), l.seq()))
                .orElseThrow(() -> new NotFoundException("no audit entry with seq " + seq));
        long size;
        if (treeSize == null) {
            TreeHead head = heads.latest();
            if (head.treeSize() <= leaf.leafIndex()) {
                head = heads.signNow();
            }
            size = head.treeSize();
        }
        else {
            if (treeSize <= leaf.leafIndex()) {
                throw new InvalidParameterException("treeSize", "must be greater than the entry's leaf index ("
                        + leaf.leafIndex() + ")");
            }
            if (!store.holds(treeSize)) {
                throw new InvalidParameterException("treeSize", "must not exceed the log's size ("
                        + store.treeSize() + ")");
            }
            size = treeSize;
        }
        List<String> path = tree.inclusionPath(leaf.leafIndex(), size).stream().map(MerkleHashes::hex).toList();
        return new InclusionProof(leaf.seq(), leaf.leafIndex(), size, MerkleHashes.hex(leaf.leafHash()), path);
    }

    @Operation(operationId = "getConsistencyProof", summary = "Prove that a larger log extends a smaller one",
            description = "The consistency proof from tree size `from` to tree size `to` (default: the latest signed "
                    + "head): nothing in the first `from` entries was changed or removed.")
    @GetMapping("/consistency")
    ConsistencyProof consistency(Caller caller, @RequestParam(required = false) Long from,
            @RequestParam(required = false) Long to) {
        caller.requireRole(Role.AUDITOR, Role.OPERATOR, Role.AGENCY);
        if (from == null) {
            throw new InvalidParameterException("from", "is required");
        }
        if (from < 1) {
            throw new InvalidParameterException("from", "must be at least 1");
        }
        long size;
        if (to == null) {
            TreeHead head = heads.latest();
            if (head.treeSize() < from) {
                head = heads.signNow();
            }
            size = head.treeSize();
            if (from > size) {
                throw new InvalidParameterException("from", "must not exceed the log's size (" + size + ")");
            }
        }
        else {
            if (to < from) {
                throw new InvalidParameterException("to", "must be at least from (" + from + ")");
            }
            if (!store.holds(to)) {
                throw new InvalidParameterException("to", "must not exceed the log's size (" + store.treeSize() + ")");
            }
            size = to;
        }
        List<String> path = tree.consistencyPath(from, size).stream().map(MerkleHashes::hex).toList();
        return new ConsistencyProof(from, size, path);
    }
}
