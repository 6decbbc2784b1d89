package cn.chuanyu.audit.node;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import cn.chuanyu.audit.link.LinkMonitor;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.node.NodeIdentity;
import cn.chuanyu.kit.note.Sm2NoteSignature;
import cn.chuanyu.kit.node.NodeProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * This node and its peer, for any authenticated caller: which node serves which region, where its agencies call
 * it, and the note key its signed statements (delivery evidences) verify against. The peer's key is the one pinned
 * in this node's configuration, not one the peer sent: that is the key a party should check the peer's evidences
 * with.
 */
@Tag(name = "Nodes", description = "The platform's nodes: regions, gateways, note keys, link state")
@RestController
class NodesController {

    private final NodeIdentity node;
    private final LinkMonitor links;

    NodesController(NodeIdentity node, LinkMonitor links) {
        this.node = node;
        this.links = links;
    }

    /**
     * @param region      the region the node serves; null on a node serving both (one-node mode)
     * @param regions     every region the node serves
     * @param name        the node's name, also its note key's name
     * @param gatewayUrl  where its agencies call it
     * @param verifierKey its note verifier key ({@code <name>+<hex id>+<base64>})
     * @param self        whether this is the node answering
     * @param link        for the peer: this node's link to it as last seen (null for this node, or not yet seen)
     * @param sm2PublicKeyPem this node's SM2 note key (PEM SubjectPublicKeyInfo), which checks the SM2 line of its
     *                    notes; null for the peer and when the SM2 suite is off
     */
    record Node(Region region, List<Region> regions, String name, String gatewayUrl, String verifierKey,
            boolean self, LinkState link, String sm2PublicKeyPem) {
    }

    /** @param state RUNNING, STARTING, PAUSED or DOWN; @param since since when (null when unknown) */
    record LinkState(LinkMonitor.State state, Instant since) {
    }

    @Operation(operationId = "listNodes", summary = "This node and its peer",
            description = "Region, gateway URL and note verifier key of each node, and the link's state. On a "
                    + "node serving both regions: one entry, region null, regions [SC, CQ], no link.")
    @GetMapping("/api/v1/nodes")
    List<Node> nodes(Caller caller) {
        NodeProperties props = node.properties();
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Node(node.region().orElse(null),
                node.region().map(List::of).orElse(Arrays.asList(Region.values())), props.name(),
                props.gatewayUrl(), node.signer().verifierKey(), true, null,
                node.sm2().map(Sm2NoteSignature::publicKeyPem).orElse(null)));
        node.peerRegion().ifPresent(peer -> nodes.add(new Node(peer, List.of(peer), props.peer().name(),
                props.peer().gatewayUrl(), props.peer().verifierKey(), false,
                links.lastKnown().map(l -> new LinkState(l.state(), l.since())).orElse(null), null)));
        return nodes;
    }
}
