package cn.chuanyu.audit.bundle;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import cn.chuanyu.audit.checkpoint.TreeHead;
import cn.chuanyu.audit.checkpoint.TreeHeads;
import cn.chuanyu.audit.checkpoint.Witnessing;
import cn.chuanyu.kit.web.ServiceUnavailableException;
import cn.chuanyu.audit.entry.AuditEntry;
import cn.chuanyu.audit.entry.ExchangeEntries;
import cn.chuanyu.audit.log.LogStore;
import cn.chuanyu.audit.log.MerkleTree;
import cn.chuanyu.contracts.EventTypes;
import cn.chuanyu.kit.domain.NotFoundException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Assembles an exchange's proof bundle against the checkpoint published now. Every proof is computed against that
 * one checkpoint's size from the stored subtree hashes, which never change, so a checkpoint signed meanwhile does
 * not matter. An entry recorded after the checkpoint cannot be proven against it: it is counted, not included,
 * rather than signing a new head here (the published head is the one witnesses cosigned).
 */
@Service
class ProofBundles {

    /** An exchange has a handful of events; this bound only keeps one request's memory finite. */
    static final int MAX_ENTRIES = 1000;

    private final ExchangeEntries entries;
    private final TreeHeads heads;
    private final MerkleTree tree;
    private final ExchangeDocuments documents;
    private final Witnessing witnessing;
    private final Clock clock;

    ProofBundles(ExchangeEntries entries, TreeHeads heads, LogStore store, ExchangeDocuments documents,
            Witnessing witnessing, Clock clock) {
        this.entries = entries;
        this.heads = heads;
        this.tree = new MerkleTree(store);
        this.documents = documents;
        this.witnessing = witnessing;
        this.clock = clock;
    }

    /**
     * The bundle of {@code exchangeId} with the entries {@code visibleTo} may see (null: every entry).
     *
     * @throws NotFoundException when there is no entry of the exchange the caller may see
     */
    ProofBundle of(String exchangeId, String visibleTo) {
        List<AuditEntry> found = entries.of(exchangeId, visibleTo, MAX_ENTRIES);
        if (found.isEmpty()) {
            throw new NotFoundException("no audit entries for exchange " + exchangeId);
        }
        // The proofs go against the checkpoint the log publishes: with witnesses, the latest cosigned one.
        long size;
        String checkpoint;
        if (witnessing.enabled()) {
            Witnessing.Published published = witnessing.published().orElseThrow(() -> new ServiceUnavailableException(
                    "witnesses", "no checkpoint has been cosigned by " + witnessing.minCosignatures()
                            + " witness(es) yet; GET /api/v1/audit/witnesses shows why", 5, null));
            size = published.treeSize();
            checkpoint = published.checkpoint();
        }
        else {
            TreeHead head = heads.latest();
            size = head.treeSize();
            checkpoint = head.checkpoint();
        }
        List<ProofBundle.Entry> included = new ArrayList<>();
        List<ProofBundle.Proof> proofs = new ArrayList<>();
        int pending = 0;
        boolean sealed = false;
        for (AuditEntry entry : found) {
            if (entry.leafIndex() == null || entry.leafIndex() >= size || entry.canonical() == null) {
                pending++;
                continue;
            }
            sealed |= EventTypes.EVIDENCE_SEALED.equals(entry.type());
            included.add(new ProofBundle.Entry(entry.seq(), entry.leafIndex(), entry.type(), entry.canonical()));
            proofs.add(new ProofBundle.Proof(entry.leafIndex(), size, tree.inclusionPath(entry.leafIndex(), size)
                    .stream().map(h -> Base64.getEncoder().encodeToString(h)).toList()));
        }

        List<String> omissions = new ArrayList<>();
        if (pending > 0) {
            omissions.add(pending + " entries were recorded after the published checkpoint (tree size " + size
                    + "): fetch the bundle again once a newer checkpoint is published");
        }
        if (found.size() == MAX_ENTRIES) {
            omissions.add("only the first " + MAX_ENTRIES + " entries of the exchange");
        }
        JsonNode manifest = null;
        if (sealed) {
            manifest = documents.manifest(exchangeId, omissions).orElse(null);
        }
        Optional<ExchangeDocuments.Kind> kind = ExchangeDocuments.Kind.ofType(found.get(0).type());
        List<JsonNode> evidences = kind.map(k -> documents.deliveryEvidences(k, exchangeId, omissions))
                .orElse(List.of());
        ProofBundle.Keys keys = new ProofBundle.Keys(heads.signer().verifierKey(),
                witnessing.witnesses().stream().map(Witnessing.WitnessView::verifierKey).toList());
        return new ProofBundle(ProofBundle.VERSION, exchangeId, clock.instant(), included, checkpoint, proofs,
                keys, pending, manifest, evidences, omissions);
    }
}
