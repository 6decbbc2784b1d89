package cn.chuanyu.kit.node;

import java.util.Optional;

import cn.chuanyu.contracts.Region;
import cn.chuanyu.kit.crypto.CryptoProperties;
import cn.chuanyu.kit.note.NoteSigner;
import cn.chuanyu.kit.note.NoteSigners;
import cn.chuanyu.kit.note.NoteVerifier;
import cn.chuanyu.kit.note.Sm2NoteSignature;

/**
 * This node: its region, its note key (which signs delivery evidences and node statements) and, in two-region
 * mode, the peer node's pinned verifier key. On one node the region is empty and every agency is local.
 */
public class NodeIdentity {

    private final NodeProperties props;
    private final CryptoProperties crypto;
    private volatile NoteSigner signer;
    private final NoteVerifier peerVerifier;

    public NodeIdentity(NodeProperties props) {
        this(props, CryptoProperties.sm2Enabled(false));
    }

    public NodeIdentity(NodeProperties props, CryptoProperties crypto) {
        this.props = props;
        this.crypto = crypto;
        if (props.twoRegions()) {
            Region.valueOf(props.region());
            Region.valueOf(props.peer().region());
            if (props.peer().verifierKey().isBlank()) {
                throw new IllegalStateException("chuanyu.node.peer.verifier-key must pin the peer node's note key");
            }
            this.peerVerifier = NoteVerifier.of(props.peer().verifierKey());
        }
        else {
            this.peerVerifier = null;
        }
    }

    public NodeProperties properties() {
        return props;
    }

    public boolean twoRegions() {
        return props.twoRegions();
    }

    /** This node's region; empty on one node holding both regions. */
    public Optional<Region> region() {
        return props.twoRegions() ? Optional.of(Region.valueOf(props.region())) : Optional.empty();
    }

    /** The peer node's region; empty on one node. */
    public Optional<Region> peerRegion() {
        return props.twoRegions() ? Optional.of(Region.valueOf(props.peer().region())) : Optional.empty();
    }

    /** True when an agency of {@code region} is served by this node (always, on one node). */
    public boolean isLocal(Region agencyRegion) {
        return !props.twoRegions() || agencyRegion == Region.valueOf(props.region());
    }

    /**
     * Signs statements as this node (C2SP signed note); the key file is read, or made, on first use. With the SM2
     * suite on, every note also carries an SM2 line by the key beside it.
     */
    public NoteSigner signer() {
        NoteSigner current = signer;
        if (current == null) {
            synchronized (this) {
                if (signer == null) {
                    signer = NoteSigners.load(props.name(), props.keyFile(), crypto);
                }
                current = signer;
            }
        }
        return current;
    }

    /** This node's SM2 note signature (its public key and PEM); empty while the SM2 suite is off. */
    public Optional<Sm2NoteSignature> sm2() {
        return signer().sm2();
    }

    /** Verifies the peer node's notes with its pinned key; empty on one node. */
    public Optional<NoteVerifier> peerVerifier() {
        return Optional.ofNullable(peerVerifier);
    }
}
